"""Who may use the look-back and the effectiveness sheet; built on ``ledger.access``.

Decisions (links, verdicts, assessments) are the inspection office's, for inspections of its
region and not of a unit the user belongs to, as for close-out. Reading the status table and
the sheet is open to the office and the observers of the region. Matching a newly imported
inspection may also be started by whoever imported it (the group or the office). Anyone else
who can read the inspection gets ``PermissionDenied`` (403); the rest ``NotFound`` (404).
"""

from __future__ import annotations

from typing import Any

from zhenggai.ledger import access
from zhenggai.ledger.models import Inspection


def require_office(by: Any, inspection: Inspection) -> None:
    scope = access.scope_of(by)
    allowed = (
        inspection.round.region_id in scope.office_regions and inspection.unit_id not in scope.units
    )
    access.require(scope, inspection, allowed)


def require_region_reader(by: Any, inspection: Inspection) -> None:
    scope = access.scope_of(by)
    access.require(scope, inspection, inspection.round.region_id in scope.read_regions)


def require_importer(by: Any, inspection: Inspection) -> None:
    scope = access.scope_of(by)
    access.require(scope, inspection, access.is_group_or_office(scope, inspection))
