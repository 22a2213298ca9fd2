"""Reading a unit's 版头 for the document builders (``zhenggai.reports``); never writes."""

from __future__ import annotations

from zhenggai.documents.models import UnitDocumentSettings
from zhenggai.ledger.models import Unit
from zhenggai.reports.gbt9704 import Letterhead, doc_number


def settings_of(unit: Unit) -> UnitDocumentSettings | None:
    found: UnitDocumentSettings | None = UnitDocumentSettings.objects.filter(unit=unit).first()
    return found


def letterhead_for(unit: Unit, *, upward: bool) -> Letterhead | None:
    """The 版头 of the unit's documents, or ``None`` before its settings are entered. An
    upward document (上行文: the reports to the office) names its 签发人."""
    row = settings_of(unit)
    if row is None:
        return None
    number = doc_number(row.number_prefix, row.number_year, row.next_number)
    signer = (row.signer or "＿＿") if upward else None
    return Letterhead(organ_mark=row.organ_mark, number=number, signer=signer)
