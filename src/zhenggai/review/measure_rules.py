"""Rules that judge one measure at a time (its problem and the notice give context)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from zhenggai.notice.model import DateMention
from zhenggai.review import words
from zhenggai.review.findings import Finding, Rule, Severity
from zhenggai.review.snapshot import MeasureView, ProblemView, Snapshot

INFO, WARNING, SERIOUS = Severity.INFO, Severity.WARNING, Severity.SERIOUS


@dataclass(frozen=True)
class Hit:
    """What a measure check found; the rule turns it into a :class:`Finding`."""

    message: str
    evidence: tuple[str, ...]
    severity: Severity | None = None  # None: the rule's default


MeasureCheck = Callable[[MeasureView, ProblemView, Snapshot], list[Hit]]


def measure_rule(
    rule_id: str, name: str, severity: Severity, explanation: str, check: MeasureCheck
) -> Rule:
    """A rule that runs ``check`` on every measure of the snapshot."""

    def run(snapshot: Snapshot) -> Iterator[Finding]:
        for problem in snapshot.problems:
            for measure in problem.measures:
                for hit in check(measure, problem, snapshot):
                    yield Finding(
                        rule=rule_id,
                        severity=hit.severity or severity,
                        aspect=measure.aspect,
                        problem=measure.problem,
                        measure=measure.no,
                        message=hit.message,
                        evidence=hit.evidence,
                    )

    return Rule(rule_id, name, severity, explanation, run)


def study_only(measure: MeasureView, problem: ProblemView, _: Snapshot) -> list[Hit]:
    studied = words.find_all(words.STUDY, measure.text)
    if not studied or words.ACT.search(measure.text):
        return []
    if words.STUDY_PROBLEM.search(problem.topic):
        # Studying answers a study problem in part; still worth a look, not a warning.
        return [Hit("措施只有学习，未见学习之外的行动或成果（问题本身涉及学习）", studied, INFO)]
    return [Hit("措施只有学习、重新学习，未见整改行动或成果", studied)]


def vague(measure: MeasureView, _: ProblemView, __: Snapshot) -> list[Hit]:
    if _has_precise_date(measure) or _has_output(measure):
        return []
    loose = words.find_all(words.VAGUE, measure.text) + _vague_dates(measure)
    if not loose:
        return []
    return [Hit("措施没有具体日期、没有可核验的成果（文件、文号、数量），只有原则性表述", loose)]


def _has_precise_date(measure: MeasureView) -> bool:
    if measure.deadline is not None:
        return True
    return any(
        d.precision in ("day", "month") and not words.in_title(measure.text, d)
        for d in measure.dates
    )


def _has_output(measure: MeasureView) -> bool:
    return bool(measure.documents or measure.outputs or words.OUTPUT_ACT.search(measure.text))


def _vague_dates(measure: MeasureView) -> tuple[str, ...]:
    return tuple(d.text for d in measure.dates if d.meaning in words.VAGUE_DATE_MEANINGS)


def pending(measure: MeasureView, _: ProblemView, __: Snapshot) -> list[Hit]:
    # A published notice presents every listed measure as done unless its status says otherwise.
    if measure.status is not None and words.NOT_DONE_STATUS.search(measure.status):
        return []
    waiting = words.find_all(words.PENDING, measure.text)
    if not waiting:
        return []
    shown = f"标为“{measure.status}”" if measure.status else "作为已完成事项公布"
    return [Hit(f"措施{shown}，但文字表明仍在进行或等待中", waiting)]


def date_anomaly(measure: MeasureView, _: ProblemView, snapshot: Snapshot) -> list[Hit]:
    hits: list[Hit] = []
    for mention in measure.dates:
        if words.in_title(measure.text, mention):
            continue
        problem = _date_problem(mention, snapshot)
        if problem is not None:
            message, severity = problem
            hits.append(Hit(message, (mention.text,), severity))
    return hits


def _date_problem(mention: DateMention, snapshot: Snapshot) -> tuple[str, Severity] | None:
    start, end = mention.start, mention.end
    if start and end and end < start:
        return "日期的结束早于开始", SERIOUS
    if end and snapshot.inspection_start and end < snapshot.inspection_start:
        return f"日期早于巡察开始（{snapshot.inspection_start}），不可能是本轮整改", WARNING
    latest = snapshot.published or snapshot.today.isoformat()
    if start and start > latest:
        which = "通报日期" if snapshot.published else "今天"
        return f"日期晚于{which}（{latest}），整改情况不应写未来的事", WARNING
    return None


def off_topic(measure: MeasureView, problem: ProblemView, _: Snapshot) -> list[Hit]:
    # Problem titles are a handful of characters, so any shared topical bigram is a sign the
    # measure speaks to the problem; tuning on the seed found no useful threshold above "none"
    # (docs/review.md), hence the rule's low severity.
    if words.bigrams(problem.topic) & words.bigrams(measure.text):
        return []
    return [Hit("措施与问题（及所属方面）没有任何共同用语，可能没有针对问题整改", (problem.title,))]


RULES = (
    measure_rule(
        "study_only",
        "以学代改",
        WARNING,
        "措施只写了学习、重新学习、传达文件，没有学习之外的行动或成果（制定、建立、开展活动等）。",
        study_only,
    ),
    measure_rule(
        "vague",
        "空泛",
        WARNING,
        "措施没有具体日期，也没有文件、文号、数量或制定、建立、归档等可核验的成果，只有“加强、提高、进一步、认真、"
        "扎实”或“年初、定期、立即”一类表述。",
        vague,
    ),
    measure_rule(
        "pending",
        "未完成",
        SERIOUS,
        "措施作为已完成公布（或状态为完成），文字里却有“有待、正在、逐步、拟、尚未”等未完成用语。",
        pending,
    ),
    measure_rule(
        "date_anomaly",
        "日期异常",
        WARNING,
        "措施中的日期早于巡察开始、晚于通报（或今天），或结束早于开始。",
        date_anomaly,
    ),
    measure_rule(
        "off_topic",
        "措施不对题",
        INFO,
        "措施与所属问题及其方面标题没有任何共同用语（去除常用词后的汉字二元组）。",
        off_topic,
    ),
)
