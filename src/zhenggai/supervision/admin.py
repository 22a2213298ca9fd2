"""Read-only admin pages for the system administrator: reminders (to check delivery), and the
督办单 and 约谈 on record. Nothing is written here: reminders come from ``zhenggai remind``,
orders and interviews from the audited actions in ``escalation``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhenggai.ledger.admin import is_sysadmin
from zhenggai.supervision.models import Interview, Reminder, SupervisionOrder


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_sysadmin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnly):
    list_display = ("sent_at", "recipient", "subject", "kind", "deadline", "channel", "emailed_at")
    list_filter = ("subject", "kind", "channel")
    search_fields = ("recipient__username", "email")
    list_select_related = ("recipient",)


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnly):
    list_display = ("__str__", "region", "measure", "reply_by", "status", "issued_at")
    list_filter = ("status", "year")
    list_select_related = ("region", "measure")


@admin.register(Interview)
class InterviewAdmin(ReadOnly):
    list_display = ("date", "unit", "measure", "order", "recorded_by")
    list_select_related = ("unit", "measure", "order", "recorded_by")
