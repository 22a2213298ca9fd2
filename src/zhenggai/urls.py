"""Top-level URLs: the screens at ``/``, the API at ``/api/``, login at ``/accounts/``."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from zhenggai.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", api.urls),
    path("", include("zhenggai.web.urls")),
]
