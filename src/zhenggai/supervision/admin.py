"""Read-only admin pages: reminders for the system administrator (to check delivery, without
the measure they are about), and the 督办单 (with the unit's answers) and 约谈 on record for a
superuser only (they are ledger content, which no administrator role reads). Nothing is written
here: reminders come from ``zhenggai remind``, orders, answers and interviews from the audited
actions in ``escalation``."""

from __future__ import annotations

from django.contrib import admin

from zhenggai.ledger.admin import SuperuserReadOnly, SysadminReadOnly
from zhenggai.supervision.models import Interview, OrderReply, Reminder, SupervisionOrder


@admin.register(Reminder)
class ReminderAdmin(SysadminReadOnly):
    list_display = ("sent_at", "recipient", "subject", "kind", "deadline", "channel", "emailed_at")
    list_filter = ("subject", "kind", "channel")
    search_fields = ("recipient__username", "email")
    list_select_related = ("recipient",)
    exclude = ("measure",)


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(SuperuserReadOnly):
    list_display = ("__str__", "region", "measure", "reply_by", "status", "issued_at")
    list_filter = ("status", "year")
    list_select_related = ("region", "measure")


@admin.register(Interview)
class InterviewAdmin(SuperuserReadOnly):
    list_display = ("date", "unit", "measure", "order", "recorded_by")
    list_select_related = ("unit", "measure", "order", "recorded_by")


@admin.register(OrderReply)
class OrderReplyAdmin(SuperuserReadOnly):
    list_display = ("order", "replied_by", "replied_at", "outcome", "reviewed_by", "reviewed_at")
    list_filter = ("outcome",)
    list_select_related = ("order", "replied_by", "reviewed_by")
