from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhenggai.web"
    label = "web"
    verbose_name = "整改台账页面"

    def ready(self) -> None:
        from zhenggai.web import checks  # noqa: F401  (registers the deployment checks)
