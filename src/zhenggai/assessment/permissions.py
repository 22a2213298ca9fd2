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
    access.require(scope, inspection, access.may_assess(scope, inspection))


def require_region_reader(by: Any, inspection: Inspection) -> None:
    scope = access.scope_of(by)
    access.require(scope, inspection, access.may_read_assessment(scope, inspection))


def require_importer(by: Any, inspection: Inspection) -> None:
    scope = access.scope_of(by)
    access.require(scope, inspection, access.may_match_lookback(scope, inspection))
