"""The second factor: TOTP (an authenticator app) plus ten one-time recovery codes.

Who must have one: the roles in ``ZHENGGAI_REQUIRE_2FA`` (the office and the administrators
by default) and any account the security administrator marks (``AccountSecurity.require_2fa``).
Anyone who has one confirmed must use it.
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.ledger import audit
from zhenggai.security.models import AccountSecurity

RECOVERY_CODES = 10
TOTP_NAME = "totp"
RECOVERY_NAME = "recovery"


def requires_second_factor(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    roles = set(settings.ZHENGGAI_REQUIRE_2FA)
    if user.is_superuser and "sysadmin" in roles:
        return True
    if user.memberships.filter(role__in=roles).exists():
        return True
    return AccountSecurity.objects.filter(user=user, require_2fa=True).exists()


def has_second_factor(user: Any) -> bool:
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed TOTP device the enrolment page shows (made once, kept until confirmed,
    so reloading the page does not change the key the user already scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG: no image service, nothing leaves the intranet."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4))


def manual_key(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into the app."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def confirm_enrolment(request: HttpRequest, code: str) -> list[str] | None:
    """Confirm the pending device with its first code; on success the session counts as
    verified and the ten recovery codes (to show once) are returned; a wrong code: None."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or not device.verify_token(code.strip()):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit.record("auth.2fa.enrol", actor=user, target=user)
    otp_login(request, device)
    return codes


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(request: HttpRequest, code: str) -> bool:
    """The step after the password: a TOTP code or a recovery code (used up)."""
    user = request.user
    code = code.strip().replace(" ", "").lower()
    # Six digits are a TOTP code, anything else a recovery code: each goes to its own device
    # only, so a good code never counts as a failure (and a throttle step) on the other one.
    kind = "totp" if code.isdigit() else "recovery"
    model = TOTPDevice if kind == "totp" else StaticDevice
    with transaction.atomic():
        candidates = model.objects.select_for_update().filter(user=user, confirmed=True)
        device = next((d for d in candidates if d.verify_token(code)), None)
        audit.record(
            "auth.2fa.verify",
            actor=user,
            target=user,
            success=device is not None,
            detail=f"factor={kind}",
        )
    if device is None:
        return False
    otp_login(request, device)
    return True


def reset_second_factor(user: Any, *, by: Any) -> int:
    """Remove the account's devices (lost phone) and revoke its API tokens — a token made
    with the old factor must not outlive it; the next login enrols again. Audited; the
    number of tokens revoked."""
    from zhenggai.api.models import ApiToken

    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit.record(
            "auth.2fa.reset", actor=by, target=user, detail=f"api tokens revoked: {revoked}"
        )
    return revoked


def set_required(user: Any, required: bool, *, by: Any) -> None:
    """The security administrator's per-account switch; audited."""
    with transaction.atomic():
        record, _created = AccountSecurity.objects.select_for_update().get_or_create(user=user)
        before = {"require_2fa": record.require_2fa}
        record.require_2fa = required
        record.save(update_fields=["require_2fa"])
        audit.record(
            "auth.2fa.require",
            actor=by,
            target=user,
            before=before,
            after={"require_2fa": required},
        )
