"""The production URLs plus ``/bench/bare/``: a logged-in view that does nothing, through the
same middleware (session, login steps, CSP) — the ceiling a page is compared with."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from zhenggai.urls import urlpatterns as production


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *production]
