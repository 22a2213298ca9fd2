"""Admin: the indicator sheet is configuration adjusted here (saves, deletes and the list's
inline edits each go through ``admin_actions`` onto the audit chain); links and assessments
are shown read-only, because they change only through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from zhenggai.assessment.models import Assessment, Indicator, ProblemLink
from zhenggai.ledger.admin import AuditedAdmin


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("code", "area", "name", "points", "source", "active")
    list_editable = ("points", "active")
    list_filter = ("area", "active")


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ProblemLink)
class ProblemLinkAdmin(ReadOnlyAdmin):
    list_display = ("problem", "earlier", "score", "kind", "state")
    list_filter = ("kind", "state")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("inspection", "total", "grade", "complete", "assessed_at")
