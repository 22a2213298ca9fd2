"""Changing a unit's document settings: the unit's leader or liaison, audited.

The same rules as the ledger's actions: who may act is ``access.may_edit_document_settings``
(outsiders ``NotFound``, readers ``PermissionDenied``), the input is checked before anything is
written, and the change and its audit event are one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.documents.models import UnitDocumentSettings
from zhenggai.ledger import access, audit
from zhenggai.ledger.errors import ValidationError
from zhenggai.ledger.models import Inspection, User

FIELDS = ("organ_mark", "number_prefix", "number_year", "next_number", "signer")
# The 代字 is the organ's abbreviation: no brackets, no 〔〕 or 号 of its own.
BAD_PREFIX = re.compile(r"[〔〕\[\]()（）［］号第\d]")


def update_settings(inspection: Inspection, changes: Mapping[str, Any], *, by: User) -> Any:
    """Create or change the settings of the inspection's unit."""
    cleaned = _clean(changes)
    with transaction.atomic():
        current = access.get_inspection_for(by, inspection.pk)
        scope = access.scope_of(by)
        access.require(scope, current, access.may_edit_document_settings(scope, current))
        row = UnitDocumentSettings.objects.select_for_update().filter(unit=current.unit).first()
        before = audit.snapshot(row, FIELDS) if row is not None else None
        if row is None:
            row = UnitDocumentSettings(unit=current.unit)
        for name, value in cleaned.items():
            setattr(row, name, value)
        row.updated_by, row.updated_at = by, timezone.now()
        row.save()
        after = audit.snapshot(row, FIELDS)
        audit.record("documents.settings", actor=by, target=row, before=before, after=after)
    return row


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = {name: changes.get(name) for name in FIELDS}
    for name in ("organ_mark", "number_prefix", "signer"):
        cleaned[name] = str(cleaned[name] or "").strip()
    errors: dict[str, list[str]] = {}
    if not cleaned["organ_mark"]:
        errors["organ_mark"] = [_("请填写发文机关标志。")]
    if not cleaned["number_prefix"] or BAD_PREFIX.search(cleaned["number_prefix"]):
        errors["number_prefix"] = [_("发文机关代字只写代字本身，如“汴科协文”。")]
    if not isinstance(cleaned["number_year"], int) or not 2000 <= cleaned["number_year"] <= 2100:
        errors["number_year"] = [_("年份应为四位数字。")]
    if not isinstance(cleaned["next_number"], int) or cleaned["next_number"] < 1:
        errors["next_number"] = [_("发文顺序号应为正整数。")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationError(first, errors)
    return cleaned
