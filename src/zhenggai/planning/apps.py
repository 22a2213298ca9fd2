from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "zhenggai.planning"
    label = "planning"
    verbose_name = _("整改方案")
