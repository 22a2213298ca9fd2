from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "zhenggai.security"
    label = "security"
    verbose_name = _("身份鉴别")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhenggai.security import signals  # noqa: F401  (connects the receivers)
