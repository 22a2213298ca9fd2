"""Django admin: users, roles and organisations for the system administrator; the audit trail,
read-only, for whoever holds the ``view_auditevent`` permission (the audit administrator).

Ledger data (inspections, measures, evidence) is not registered here on purpose: the system
administrator manages accounts, not rectification work, and every ledger write goes through
the actions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from zhenggai.ledger.models import (
    AuditEvent,
    InspectionGroup,
    InspectionRound,
    Membership,
    Region,
    Role,
    Unit,
    User,
)


def is_sysadmin(user: Any) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    return bool(user.is_superuser or user.memberships.filter(role=Role.SYSADMIN).exists())


class SysadminOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Open to the system administrator role (and superusers), closed to everyone else."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_sysadmin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_sysadmin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)


class SysadminReadOnly(SysadminOnly):
    """Records the system writes itself (through audited actions): the system administrator
    reads them, nobody changes them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ("region", "unit", "group")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)


@admin.register(User)
class ZhenggaiUserAdmin(SysadminOnly, UserAdmin):  # type: ignore[misc,type-arg]
    inlines = (MembershipInline,)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if getattr(request.user, "is_superuser", False):
            return fieldsets
        # A system administrator must not be able to make anyone (themselves included) a
        # superuser: that would bypass the separation of the three administrator roles.
        hidden = {"is_superuser", "groups", "user_permissions"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]


@admin.register(Membership)
class MembershipAdmin(SysadminOnly):
    list_display = ("user", "role", "region", "unit", "group")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name", "region__name", "group__name")
    autocomplete_fields = ("user", "region", "unit", "group")
    list_select_related = ("user", "region", "unit", "group")


@admin.register(Region)
class RegionAdmin(SysadminOnly):
    list_display = ("name", "parent")
    search_fields = ("name",)
    list_select_related = ("parent",)


@admin.register(Unit)
class UnitAdmin(SysadminOnly):
    list_display = ("name", "short_name", "region", "parent")
    list_filter = ("region",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region", "parent")


@admin.register(InspectionGroup)
class InspectionGroupAdmin(SysadminOnly):
    list_display = ("name", "region")
    search_fields = ("name",)
    list_select_related = ("region",)


@admin.register(InspectionRound)
class InspectionRoundAdmin(SysadminOnly):
    list_display = ("name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name",)
    list_select_related = ("region",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "actor_label", "action", "target_type", "target_label", "success")
    list_filter = ("action", "success")
    search_fields = ("actor_label", "target_label", "detail")
    date_hierarchy = "at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
