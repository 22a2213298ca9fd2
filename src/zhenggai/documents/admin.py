"""Read-only admin page of the units' 版头 settings: they are changed by the unit's leader or
liaison on the 公文版头 screen (``documents.actions.update_settings``, audited), not here."""

from __future__ import annotations

from django.contrib import admin

from zhenggai.documents.models import UnitDocumentSettings
from zhenggai.ledger.admin import SysadminReadOnly


@admin.register(UnitDocumentSettings)
class UnitDocumentSettingsAdmin(SysadminReadOnly):
    list_display = ("unit", "organ_mark", "number_prefix", "number_year", "next_number", "signer")
    list_select_related = ("unit",)
