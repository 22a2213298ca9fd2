"""Deployment checks of our own, shown by ``zhenggai manage check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def https_needs_a_trusted_proxy(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """ZHENGGAI_HTTPS=1 behind a proxy that nobody trusts redirects every request forever:
    waitress drops X-Forwarded-Proto from an untrusted peer, so no request looks secure."""
    if settings.HTTPS and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "ZHENGGAI_HTTPS is on but ZHENGGAI_TRUSTED_PROXY is not set: "
                "`zhenggai serve` ignores X-Forwarded-Proto and every request redirects to https.",
                hint="Set ZHENGGAI_TRUSTED_PROXY to the reverse proxy's IP address "
                "(see docs/deployment.md).",
                id="zhenggai.W001",
            )
        ]
    return []
