"""Top-level URLs. The ledger's screens and API are added by later stages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
