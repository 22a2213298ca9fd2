from __future__ import annotations

from django.contrib import admin

from zhenggai.api.models import ApiToken
from zhenggai.ledger.admin import SysadminReadOnly


@admin.register(ApiToken)
class ApiTokenAdmin(SysadminReadOnly):
    """Read-only for the system administrator: who holds which token, until when. A token is
    stopped by its owner (revoke) or by deactivating the account, both on record."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at")
    exclude = ("digest",)
