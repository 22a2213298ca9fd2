from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhenggai.web"
    label = "web"
    verbose_name = "整改台账页面"
