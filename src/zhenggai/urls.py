"""Top-level URLs: the screens at ``/``, the API at ``/api/``, login at ``/accounts/``, the
published notices at ``/public/``."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from zhenggai.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("zhenggai.security.urls")),
    path("api/", api.urls),
    # The published notices, readable without signing in.
    path("public/", include("zhenggai.public.urls")),
    # The captcha images of the public opinion form (drawn on the server, no third party).
    path("captcha/", include("captcha.urls")),
    path("opinions/", include("zhenggai.opinions.urls")),
    path("", include("zhenggai.web.urls")),
]
