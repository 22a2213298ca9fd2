"""Per-request caching of the user's scope (``access.request_scope_cache``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from zhenggai.ledger import access


class ScopePerRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with access.request_scope_cache():
            return self.get_response(request)
