"""Read-only admin pages of the plans: written only by ``zhenggai.planning.actions``."""

from __future__ import annotations

from django.contrib import admin

from zhenggai.ledger.admin import SysadminReadOnly
from zhenggai.planning.models import ChangeRequest, Plan, PlanOpinion, PlanVersion


@admin.register(Plan)
class PlanAdmin(SysadminReadOnly):
    list_display = ("inspection", "status", "version")
    list_filter = ("status",)
    list_select_related = ("inspection__round", "inspection__unit")


@admin.register(PlanVersion)
class PlanVersionAdmin(SysadminReadOnly):
    list_display = ("plan", "number", "status", "submitted_at", "late", "sha256")
    list_filter = ("status", "late")


@admin.register(PlanOpinion)
class PlanOpinionAdmin(SysadminReadOnly):
    list_display = ("version", "role", "reviewer", "agrees", "at")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(SysadminReadOnly):
    list_display = ("plan", "kind", "status", "requested_by", "requested_at")
    list_filter = ("kind", "status")
