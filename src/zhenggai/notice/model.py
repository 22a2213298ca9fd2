"""The parsed notice: plain dataclasses and their JSON form (``zhenggai.notice/1``).

The JSON contract lives in ``shared/design/notice-json.md``; keys may be added, never removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA = "zhenggai.notice/1"

Precision = Literal["day", "month", "year", "quarter", "vague"]


# Not frozen: a frozen dataclass builds several times slower, and the parser makes one per date.
# Treat a mention as a value all the same (nothing changes one once the resolver returns it).
@dataclass(slots=True)
class DateMention:
    """A date or date range as written in the text, resolved to ISO dates.

    ``start``/``end`` are ISO ``YYYY-MM-DD`` strings covering the whole period named
    (``2024年3月`` → 2024-03-01 … 2024-03-31, precision ``month``). A single day has
    ``start == end``; ``截至X`` has ``start=None``. Vague phrases (年初, 每季度, 长期坚持)
    have precision ``vague`` and a ``meaning`` code; their dates are ``None`` unless the
    text pins them down.
    """

    text: str
    start: str | None
    end: str | None
    precision: Precision
    meaning: str | None = None
    # Character offsets of ``text`` in the string it was found in (not serialised).
    span: tuple[int, int] = field(default=(0, 0), compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "precision": self.precision,
        }
        if self.meaning is not None:
            out["meaning"] = self.meaning
        return out


@dataclass
class Entities:
    """Facts found inside a measure's text, kept as written."""

    documents: list[str] = field(default_factory=list)  # titles in 《》
    doc_numbers: list[str] = field(default_factory=list)  # 汴科协文〔2024〕6号
    counts: list[str] = field(default_factory=list)  # 共学习9次, 3个先进集体
    percentages: list[str] = field(default_factory=list)  # 60%, 百分之六十
    money: list[str] = field(default_factory=list)  # 7.132万元
    status_words: list[str] = field(default_factory=list)  # 有待审核中, 正在, 已完成

    def to_json(self) -> dict[str, list[str]]:
        return {
            "documents": list(self.documents),
            "doc_numbers": list(self.doc_numbers),
            "counts": list(self.counts),
            "percentages": list(self.percentages),
            "money": list(self.money),
            "status_words": list(self.status_words),
        }


@dataclass
class Measure:
    no: int
    text: str
    dates: list[DateMention] = field(default_factory=list)
    entities: Entities = field(default_factory=Entities)
    # What the notice reports about this measure (整改状态：完成 / 完成情况：已完成).
    status: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "no": self.no,
            "text": self.text,
            "dates": [d.to_json() for d in self.dates],
            "status": self.status,
        }
        out.update(self.entities.to_json())
        return out


@dataclass
class Problem:
    no: int
    title: str
    implicit: bool = False
    measures: list[Measure] = field(default_factory=list)
    # Words under the problem heading that are neither title nor measure
    # (the finding itself, a cause analysis).
    description: str = ""
    # Status reported for the whole problem (整改状态：阶段性完成).
    status: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "no": self.no,
            "title": self.title,
            "implicit": self.implicit,
            "description": self.description,
            "status": self.status,
            "measures": [m.to_json() for m in self.measures],
        }


@dataclass
class Aspect:
    no: int
    title: str
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "no": self.no,
            "title": self.title,
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass
class Inspection:
    group: str | None = None
    start: str | None = None
    end: str | None = None
    feedback: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "start": self.start,
            "end": self.end,
            "feedback": self.feedback,
        }


@dataclass
class Stated:
    """Totals the notice itself states about the feedback (never counted from the tree)."""

    aspects: int | None = None
    problems: int | None = None
    measures: int | None = None
    done: int | None = None
    rate_percent: float | None = None

    def to_json(self) -> dict[str, Any]:
        rate = self.rate_percent
        if rate is not None and rate == int(rate):
            rate = int(rate)
        return {
            "aspects": self.aspects,
            "problems": self.problems,
            "measures": self.measures,
            "done": self.done,
            "rate_percent": rate,
        }


@dataclass
class Contacts:
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    post_boxes: list[str] = field(default_factory=list)  # 邮政信箱 / 通信地址
    websites: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, list[str]]:
        return {
            "phones": list(self.phones),
            "emails": list(self.emails),
            "post_boxes": list(self.post_boxes),
            "websites": list(self.websites),
        }


@dataclass
class Notice:
    title: str | None = None
    issuer: str | None = None
    inspection: Inspection = field(default_factory=Inspection)
    stated: Stated = field(default_factory=Stated)
    aspects: list[Aspect] = field(default_factory=list)
    contacts: Contacts = field(default_factory=Contacts)
    basis: list[str] = field(default_factory=list)  # 《中国共产党巡视工作条例》
    # Words between the opening and the first aspect (organisation of the work, totals).
    preamble: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "title": self.title,
            "issuer": self.issuer,
            "inspection": self.inspection.to_json(),
            "basis": list(self.basis),
            "stated": self.stated.to_json(),
            "aspects": [a.to_json() for a in self.aspects],
            "contacts": self.contacts.to_json(),
        }

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Notice:
        """The inverse of ``to_dict`` for the tree, header, totals and contacts — what an
        import or a publication needs. Dates and entities inside measures are not read back
        (``parse`` finds them again from the text). Raises ``KeyError``, ``TypeError`` or
        ``ValueError`` on a malformed tree."""
        header = data.get("inspection") or {}
        stated = data.get("stated") or {}
        contacts = data.get("contacts") or {}
        return cls(
            title=data.get("title"),
            issuer=data.get("issuer"),
            inspection=Inspection(
                group=header.get("group"),
                start=header.get("start"),
                end=header.get("end"),
                feedback=header.get("feedback"),
            ),
            stated=Stated(**{key: stated.get(key) for key in Stated.__dataclass_fields__}),
            aspects=[_aspect_from(a) for a in data.get("aspects") or []],
            contacts=Contacts(
                **{key: list(contacts.get(key) or []) for key in Contacts.__dataclass_fields__}
            ),
            basis=list(data.get("basis") or []),
        )

    def measures(self) -> list[Measure]:
        return [m for a in self.aspects for p in a.problems for m in p.measures]


def _aspect_from(data: dict[str, Any]) -> Aspect:
    problems = [_problem_from(p) for p in data.get("problems") or []]
    return Aspect(no=int(data["no"]), title=str(data.get("title") or ""), problems=problems)


def _problem_from(data: dict[str, Any]) -> Problem:
    return Problem(
        no=int(data["no"]),
        title=str(data.get("title") or ""),
        implicit=bool(data.get("implicit")),
        measures=[_measure_from(m) for m in data.get("measures") or []],
        description=str(data.get("description") or ""),
        status=data.get("status"),
    )


def _measure_from(data: dict[str, Any]) -> Measure:
    return Measure(no=int(data["no"]), text=str(data["text"]), status=data.get("status"))
