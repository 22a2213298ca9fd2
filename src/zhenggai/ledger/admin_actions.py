"""The administration's writes (三员): accounts, role grants and organisations, each saved
with one audit event in one transaction, as the ledger's actions are.

The admin pages call these instead of ``save()``/``delete()``; the rules come from
``zhenggai.ledger.access`` and are checked here again, so a page that forgets one still
cannot make the write. Snapshots never carry a password hash.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from zhenggai.ledger import access, audit
from zhenggai.ledger.errors import PermissionDenied
from zhenggai.ledger.models import (
    ADMIN_ROLES,
    InspectionGroup,
    InspectionRound,
    Membership,
    Region,
    Role,
    Unit,
    User,
)

ORGANISATIONS = (Region, Unit, InspectionGroup, InspectionRound)
SECRET_FIELDS = frozenset({"password"})


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object as it is in the database now, without secrets."""
    data = audit.snapshot(obj)
    return {name: value for name, value in data.items() if name not in SECRET_FIELDS}


def stored(obj: models.Model) -> models.Model | None:
    """The saved version of ``obj`` (before the form's changes), or None for a new one."""
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def save(obj: models.Model, *, by: Any, role: str | None = None) -> models.Model:
    """Add or change an account, a grant or an organisation. Any other model (another app's
    admin page) is saved only for a holder of ``role``, the administrator role of its page."""
    with transaction.atomic():
        before = stored(obj)
        _check_save(obj, before, by, role)
        obj.save()
        detail = ""
        if isinstance(obj, Membership):
            derive_staff(obj.user)
            detail = f"is_staff={obj.user.is_staff}"
        verb = "change" if before is not None else "add"
        audit.record(
            f"admin.{obj._meta.model_name}.{verb}",
            actor=by,
            target=obj,
            before=snapshot(before) if before is not None else None,
            after=snapshot(obj),
            detail=detail,
        )
    return obj


def delete(obj: models.Model, *, by: Any, role: str | None = None) -> None:
    """Delete an account (its grants go with it), a grant or an organisation."""
    with transaction.atomic():
        _check_delete(obj, by, role)
        before = snapshot(obj)
        if isinstance(obj, User):
            before["memberships"] = [str(m) for m in obj.memberships.all()]
        target_user = obj.user if isinstance(obj, Membership) else None
        audit.record(f"admin.{obj._meta.model_name}.delete", actor=by, target=obj, before=before)
        obj.delete()
        if target_user is not None:
            derive_staff(target_user)


def set_password(account: User, *, by: Any) -> User:
    """Store the password the form has just set on ``account`` (or its disabling)."""
    with transaction.atomic():
        if not access.may_set_password(by, account):
            raise PermissionDenied()
        account.save(update_fields=["password"])
        detail = "password set" if account.has_usable_password() else "password disabled"
        audit.record("admin.user.set_password", actor=by, target=account, detail=detail)
    return account


def record_relations(obj: models.Model, names: list[str], *, by: Any) -> None:
    """Note the many-to-many fields (an account's groups and permissions, which only a
    superuser sees) the admin form has just saved."""
    after = {name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in names}
    with transaction.atomic():
        audit.record(f"admin.{obj._meta.model_name}.relations", actor=by, target=obj, after=after)


def derive_staff(account: User) -> None:
    """``is_staff`` (entry to the admin) follows the grants: an administrator role gives it,
    losing the last one takes it away. A superuser keeps it."""
    staff = account.is_superuser or account.memberships.filter(role__in=ADMIN_ROLES).exists()
    if account.is_staff != staff:
        account.is_staff = staff
        account.save(update_fields=["is_staff"])


# --- the rules, checked again at the write -------------------------------------------------


def _check_save(obj: models.Model, before: models.Model | None, by: Any, role: str | None) -> None:
    if isinstance(obj, Membership):
        keep = obj.pk if before is not None else None
        refusal = access.grant_refusal(by, obj.user, obj.role, keep=keep)
        if before is not None and not refusal:
            refusal = access.revoke_refusal(by, before.user)  # type: ignore[attr-defined]
        if refusal:
            raise PermissionDenied(refusal)
    elif isinstance(obj, User):
        if before is None:
            allowed = access.may_create_account(by) and not (obj.is_superuser or obj.is_staff)
        else:
            allowed = access.may_change_account(by, before, _changed(before, obj))
        if not allowed:
            raise PermissionDenied()
    elif not _may_keep(obj, by, role):
        raise PermissionDenied()


def _check_delete(obj: models.Model, by: Any, role: str | None) -> None:
    if isinstance(obj, Membership):
        refusal = access.revoke_refusal(by, obj.user)
        if refusal:
            raise PermissionDenied(refusal)
    elif isinstance(obj, User):
        if not access.may_delete_account(by, obj):
            raise PermissionDenied()
    elif not _may_keep(obj, by, role):
        raise PermissionDenied()


def _may_keep(obj: models.Model, by: Any, role: str | None) -> bool:
    """Organisations are the system administrator's; another app's records its page's role's."""
    if isinstance(obj, ORGANISATIONS):
        return access.may_administer(by, Role.SYSADMIN)
    return role is not None and access.may_administer(by, role)


def _changed(before: models.Model, after: models.Model) -> set[str]:
    old, new = snapshot(before), snapshot(after)
    ignored = {"last_login"}
    return {name for name in new if new[name] != old.get(name) and name not in ignored}
