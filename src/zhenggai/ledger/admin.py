"""Django admin for the three administrator roles (三员), each doing only its own part:

  系统管理员 sysadmin         units, regions, groups, rounds; accounts' basic data
  安全管理员 security_admin   role grants (Membership), activating/deactivating accounts,
                              password resets of ordinary accounts
  审计管理员 audit_admin      reads and exports the audit trail, runs the chain check

No role sees or changes a superuser's account (superusers are made on the command line), and
no role grants itself anything: the rules live in ``zhenggai.ledger.access``. Every write is
an audited action (``zhenggai.ledger.admin_actions``), never a bare ``save()``.

Ledger data (inspections, measures, evidence) is not registered here on purpose: the
administrators manage accounts, not rectification work, and every ledger write goes through
the actions.
"""

from __future__ import annotations

import csv
from contextvars import ContextVar
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger import access, admin_actions, audit
from zhenggai.ledger.errors import PermissionDenied
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
    return access.may_administer(user, Role.SYSADMIN)


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Open to one administrator role (``role``); every write goes through ``admin_actions``.
    Another app's admin page subclasses it and sets ``role`` (e.g. ``Role.SECURITY_ADMIN``
    for lockouts): its writes are then audited and allowed to that role only."""

    role: Any = Role.SYSADMIN

    def _allowed(self, request: HttpRequest) -> bool:
        return access.may_administer(request.user, self.role)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with refused_as_403():
            admin_actions.save(obj, by=request.user, role=self.role)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with refused_as_403():
            admin_actions.delete(obj, by=request.user, role=self.role)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with refused_as_403(), transaction.atomic():
            for obj in queryset:
                admin_actions.delete(obj, by=request.user, role=self.role)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Many-to-many fields and inline rows; changed many-to-many fields go on record."""
        super().save_related(request, form, formsets, change)
        m2m = {f.name for f in form.instance._meta.many_to_many}
        changed = sorted(m2m & set(form.changed_data))
        if changed:
            admin_actions.record_relations(form.instance, changed, by=request.user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (the grants on an account's page) one audited action each."""
        with refused_as_403():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                admin_actions.delete(obj, by=request.user, role=self.role)
            for obj in instances:
                admin_actions.save(obj, by=request.user, role=self.role)


class refused_as_403:  # a context manager, named like contextlib's
    """An action's refusal shows as the admin's 403 page (the pages' own checks should have
    kept the user from getting this far)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: Any, tb: Any) -> None:
        if isinstance(error, PermissionDenied):
            raise Forbidden(error.message) from error


# The old name, for the read-only pages of other apps (reminders, tokens).
SysadminOnly = AuditedAdmin


class SysadminReadOnly(AuditedAdmin):
    """Records the system writes itself (through audited actions): the system administrator
    reads them, nobody changes them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SuperuserReadOnly(SysadminReadOnly):
    """Ledger records kept by other apps (督办单, 约谈): no administrator role reads ledger
    content, so only a superuser sees them here, read-only."""

    def _allowed(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "is_superuser", False))


# --- accounts ------------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """An account's grants, on its page: the security administrator's, never on their own."""

    model = Membership
    extra = 0
    autocomplete_fields = ("region", "unit", "group")

    def _allowed(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return False
        return not access.revoke_refusal(request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)


# The user whose request is changing a password (the password form has no request).
_password_actor: ContextVar[Any] = ContextVar("password_actor", default=None)


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        return admin_actions.set_password(user, by=_password_actor.get())


@admin.register(User)
class ZhenggaiUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[misc,type-arg]
    """Accounts: the system administrator adds them and keeps their basic data; the security
    administrator (de)activates them, resets ordinary accounts' passwords and grants roles.
    Superusers are not listed (command line only); ``is_staff`` follows the grants."""

    role: Any = Role.SYSADMIN
    inlines = (MembershipInline,)
    change_password_form = AuditedPasswordChangeForm
    list_display = ("username", "first_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff")

    def _allowed(self, request: HttpRequest) -> bool:
        roles = access.admin_roles_of(request.user)
        return Role.SYSADMIN in roles or Role.SECURITY_ADMIN in roles

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        if getattr(request.user, "is_superuser", False):
            return queryset
        return queryset.filter(is_superuser=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.may_create_account(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self._allowed(request):
            return False
        return obj is None or access.may_touch_account(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return is_sysadmin(request.user)
        return access.may_delete_account(request.user, obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None or request.user.is_superuser:  # type: ignore[union-attr]
            return super().get_fieldsets(request, obj)
        roles = access.admin_roles_of(request.user)
        fields = ["username"]
        if Role.SYSADMIN in roles:
            fields += ["first_name", "last_name", "email"]
        if Role.SECURITY_ADMIN in roles:
            fields += ["password", "is_active"]
        return [(None, {"fields": [*fields, "is_staff", "last_login", "date_joined"]})]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None or request.user.is_superuser:  # type: ignore[union-attr]
            return ()
        editable: set[str] = set()
        for role in access.admin_roles_of(request.user):
            editable |= access.ACCOUNT_FIELDS.get(role, frozenset())
        if obj.pk == request.user.pk:
            editable -= access.ACCOUNT_FIELDS[Role.SECURITY_ADMIN]
        shown = [f for _name, opts in self.get_fieldsets(request, obj) for f in opts["fields"]]
        return [f for f in shown if f not in editable and f != "password"]

    def has_security_permission(self, request: HttpRequest) -> bool:
        """The account actions of ``zhenggai.security.admin`` (unlock, second factor): the
        security administrator's only."""
        return access.may_administer(request.user, Role.SECURITY_ADMIN)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        account = self.get_object(request, id)
        if account is None:
            raise Http404()
        if not access.may_set_password(request.user, account):
            raise Forbidden()
        token = _password_actor.set(request.user)
        try:
            with transaction.atomic():
                return super().user_change_password(request, id, form_url)
        finally:
            _password_actor.reset(token)


class MembershipForm(forms.ModelForm):  # type: ignore[type-arg]
    """Refuses, with one clear line, a grant the security administrator may not make."""

    actor: Any = None

    def clean(self) -> Any:
        data = super().clean()
        account, role = data.get("user"), data.get("role")
        if account is not None and role:
            keep = self.instance.pk
            refusal = access.grant_refusal(self.actor, account, role, keep=keep)
            if not refusal and keep is not None:
                refusal = access.revoke_refusal(self.actor, self.instance.user)
            if refusal:
                raise ValidationError(refusal)
        return data


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    """Role grants: the security administrator's. Their own grants and superusers' are shown
    to nobody but a superuser here, so they cannot be changed."""

    role: Any = Role.SECURITY_ADMIN
    form = MembershipForm
    list_display = ("user", "role", "region", "unit", "group")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name", "region__name", "group__name")
    autocomplete_fields = ("user", "region", "unit", "group")
    list_select_related = ("user", "region", "unit", "group")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        queryset = super().get_queryset(request)
        if getattr(request.user, "is_superuser", False):
            return queryset
        return queryset.filter(user__is_superuser=False).exclude(user=request.user)

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        return type("MembershipForm", (form,), {"actor": request.user})


# --- organisations: the system administrator's ---------------------------------------------


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("name", "parent")
    search_fields = ("name",)
    list_select_related = ("parent",)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "region", "parent")
    list_filter = ("region",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region", "parent")


@admin.register(InspectionGroup)
class InspectionGroupAdmin(AuditedAdmin):
    list_display = ("name", "region")
    search_fields = ("name",)
    list_select_related = ("region",)


@admin.register(InspectionRound)
class InspectionRoundAdmin(AuditedAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name",)
    list_select_related = ("region",)


# --- the audit trail: the audit administrator's --------------------------------------------

EXPORT_COLUMNS = (
    *("id", "at", "actor_label", "action", "target_type", "target_id"),
    *("target_label", "success", "detail", "before", "after", "hash"),
)


@admin.register(AuditEvent)
class AuditEventAdmin(SysadminReadOnly):
    """Read-only: the audit administrator reads it, exports it (CSV) and checks the chain."""

    role: Any = Role.AUDIT_ADMIN
    list_display = ("at", "actor_label", "action", "target_type", "target_label", "success")
    list_filter = ("action", "success")
    search_fields = ("actor_label", "target_label", "detail")
    date_hierarchy = "at"
    actions = ("export_csv",)
    change_list_template = "admin/ledger/auditevent/change_list.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in AuditEvent._meta.fields]

    def get_urls(self) -> list[Any]:
        verify = self.admin_site.admin_view(self.verify_view)
        return [path("verify/", verify, name="ledger_auditevent_verify"), *super().get_urls()]

    def verify_view(self, request: HttpRequest) -> HttpResponse:
        """Run ``verify_audit_chain`` and show its verdict; the check itself goes on record."""
        if not self.has_view_permission(request):
            raise Forbidden()
        report = audit.verify_audit_chain()
        with transaction.atomic():
            detail = f"ok={report.ok} checked={report.checked} bad={report.bad_event_id}"
            audit.record("audit.verify", actor=request.user, success=report.ok, detail=detail)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("审计链校验"),
            "report": report,
        }
        return TemplateResponse(request, "admin/ledger/auditevent/verify.html", context)

    @admin.action(description=_("导出所选审计记录（CSV）"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with the BOM
        writer = csv.writer(response)
        writer.writerow(EXPORT_COLUMNS)
        events = queryset.order_by("id")
        for event in events.iterator():
            writer.writerow([_csv_cell(getattr(event, name)) for name in EXPORT_COLUMNS])
        with transaction.atomic():
            detail = f"{events.count()} events"
            audit.record("audit.export", actor=request.user, detail=detail)
        return response


def _csv_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run: text starting with = + - @ gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
