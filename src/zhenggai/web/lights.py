"""The traffic light of a measure, for the screens and the API: the one rule of
``zhenggai.supervision.deadlines`` (settings-driven; yellow also when behind plan).

Pass ``start=measure.inspection.feedback_date`` to get "behind plan"; without it only the
deadline counts.
"""

from __future__ import annotations

from zhenggai.supervision.deadlines import DONE_STATUSES, GREEN, LIGHT_LABELS, RED, YELLOW, light

# The default of ``ZHENGGAI_YELLOW_DAYS``; the rule itself reads the setting.
DUE_SOON_DAYS = 7

__all__ = ["DONE_STATUSES", "DUE_SOON_DAYS", "GREEN", "LIGHT_LABELS", "RED", "YELLOW", "light"]
