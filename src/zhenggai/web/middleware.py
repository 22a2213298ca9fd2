"""The interface language: the one the user chose, else Simplified Chinese.

Django's ``LocaleMiddleware`` falls back to the browser's ``Accept-Language``; government PCs
often send ``en-US`` while their users read Chinese, so the browser is never asked here. The
choice is the language cookie that ``django.views.i18n.set_language`` sets (中文 / English in
the page header).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language in the cookie when it is one of ``LANGUAGES``, else ``LANGUAGE_CODE``."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if code and code in dict(settings.LANGUAGES):
        return code
    return str(settings.LANGUAGE_CODE)


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            # The thread serves other requests (and tests) next: no language leaks into them.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
