"""Content-Security-Policy and Cache-Control on every answer (等保 2.0 L3, docs/security.md).

CSP: the pages load scripts, styles, images and fonts from this server only (ECharts is
vendored under ``static/``), no inline script or ``style`` attribute, no plug-ins, no framing,
forms post back here only. Cache-Control: everything behind the login — pages, exports,
evidence downloads, the API — is ``no-store``, so a shared PC or a proxy keeps no copy of
ledger data. Static files keep whitenoise's caching; the published notices at ``/public/``
may be kept for a few minutes (they are public and change only when a new version is
published). An answer that already says how to cache it (the login page) is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # ECharts' "save as image" and the API docs' icons
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PRIVATE = "no-store"
PUBLIC_SECONDS = 300
PUBLIC_NAMESPACE = "public"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if "Cache-Control" not in response.headers:  # whitenoise's static files have their own
            response.headers["Cache-Control"] = cache_control(request, response)
        return response


def cache_control(request: HttpRequest, response: HttpResponse) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == PUBLIC_NAMESPACE and response.status_code == 200:
        # A response that sets a cookie (a signed-in reader's session) is kept by the
        # browser only, never by a shared cache.
        scope = "private" if response.cookies else "public"
        return f"{scope}, max-age={PUBLIC_SECONDS}"
    return PRIVATE
