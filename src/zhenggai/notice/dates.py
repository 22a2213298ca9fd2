"""Chinese dates in notices → ISO dates with a precision. (Being written: see helper task.)"""

from __future__ import annotations

from zhenggai.notice.model import DateMention


class DateResolver:
    """Finds dates in text in document order, remembering the last full year and month.

    Feed it the document's pieces in reading order: a date missing its year (11月17日) takes
    the year of the nearest earlier date that had one.
    """

    def __init__(self, year: int | None = None, month: int | None = None) -> None:
        self.year = year
        self.month = month

    def extract(self, text: str) -> list[DateMention]:
        raise NotImplementedError


def extract_dates(text: str, *, year: int | None = None) -> list[DateMention]:
    """All dates in one text, years inherited within it."""
    return DateResolver(year=year).extract(text)
