from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "zhenggai.ledger"
    label = "ledger"
    verbose_name = _("整改台账")

    def ready(self) -> None:
        # Imported for its side effect, once the app registry is ready: it connects receivers.
        from zhenggai.ledger import signals  # noqa: F401
