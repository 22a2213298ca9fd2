"""Generated province-sized ledgers for measuring pages at scale (``generate_scale``).

A province → cities → counties → units hierarchy; each unit inspected in three rounds
(about 12 problems and 40 measures in all), with statuses, deadlines, evidence references,
progress notes, decisions, pending extensions and the audit events of those decisions. The
texts are those of the seed notice and the fixtures (``/work/shared`` in development, the
demo's seed otherwise), so that look-back and review read real sentences.

**Real data** is any inspection not made by the generator: every generated inspection has
``issuer == GENERATOR_ISSUER``. The generator refuses to run when any other inspection exists
(withdrawn ones included), so it can never mix invented measures into a real ledger.

Rows go in with ``bulk_create`` in batches of ``BATCH``. The audit events are the one
exception to "audit rows are written one by one": ``seal_audit_events`` links and signs them
with the chain's own ``audit.compute_hash`` under the locked chain head, inserts them in
batches and moves the head once, anchoring the new end after the commit, so that
``verify_audit_chain`` checks them like any other rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from zhenggai.ledger import anchor, audit
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import (
    Aspect,
    AuditEvent,
    DeadlineExtension,
    Decision,
    DecisionKind,
    Evidence,
    EvidenceKind,
    Inspection,
    InspectionGroup,
    InspectionRound,
    Measure,
    MeasureKind,
    MeasureStatus,
    Membership,
    Problem,
    ProgressNote,
    Region,
    Role,
    Unit,
    User,
)

log = logging.getLogger("zhenggai.scale")

GENERATOR_ISSUER = "规模测试数据（generate_scale 生成）"
BATCH = 2000
UNITS_PER_COUNTY = 30
COUNTIES_PER_CITY = 8
ROUNDS = 3
# (aspects, problems per aspect, measures per problem) of one inspection: 2 × 2 × 3.33 ≈ 13
# measures and 4 problems, three rounds ≈ 12 problems and 40 measures a unit.
ASPECTS, PROBLEMS_PER_ASPECT = 2, 2
MEASURES_PER_PROBLEM = (3, 3, 4)
DEPARTMENTS = (
    "科协",
    "文化和旅游体育局",
    "卫生健康委员会",
    "教育局",
    "市场监督管理局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "民政局",
    "公安局",
    "人民医院",
    "人民法院",
    "总工会",
    "财政局",
    "自然资源局",
)
LEADERS = ("党组书记 张明", "党组成员、副局长 李华", "党组成员 王芳", "副主任 赵刚")
PEOPLE = ("刘洋", "陈静", "赵磊", "孙丽", "周涛", "吴敏")
SECTIONS = ("办公室", "综合科", "业务科", "财务科", "人事科")
# Each round's feedback, in days before today, and how its measures stand now: the oldest
# round is mostly closed, the newest mostly at work with deadlines in the coming weeks.
ROUND_AGE_DAYS = (720, 360, 60)
STATUS_WEIGHTS: tuple[dict[str, int], ...] = (
    {"closed": 80, "phase_complete": 12, "submitted": 3, "in_progress": 5},
    {"closed": 45, "phase_complete": 15, "submitted": 10, "returned": 5, "in_progress": 25},
    {"closed": 5, "submitted": 10, "returned": 3, "in_progress": 55, "not_started": 27},
)
T = TypeVar("T", bound=models.Model)


@dataclass(frozen=True)
class Texts:
    """Sentences from real notices: aspect titles, problem titles, measure texts."""

    aspects: list[str]
    problems: list[str]
    measures: list[str]


def _notice_sources() -> list[str]:
    shared = Path(__file__).resolve().parents[4].parent / "shared"
    files = sorted((shared / "fixtures" / "notices").glob("*.txt"))
    files += sorted((shared / "seed").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    if not texts:  # an installed package: the demo's seed is always there
        seed = resources.files("zhenggai.ledger") / "demo_data" / "longting-kexie-2024.txt"
        texts = [seed.read_text(encoding="utf-8")]
    return texts


def load_texts() -> Texts:
    from zhenggai.notice import parse

    aspects, problems, measures = [], [], []
    for raw in _notice_sources():
        for aspect in parse(raw).aspects:
            aspects.append(aspect.title)
            for problem in aspect.problems:
                problems.append(problem.title or aspect.title)
                measures += [m.text for m in problem.measures if m.text]
    if not (aspects and problems and measures):
        raise LedgerError("没有可用的通报文本来生成测试数据。")
    return Texts(aspects, problems, measures)


# --- the refusal ---------------------------------------------------------------------------


def real_inspections() -> int:
    """Inspections the generator did not make (withdrawn ones included)."""
    return Inspection.objects.exclude(issuer=GENERATOR_ISSUER).count()


def refuse_real_data() -> None:
    found = real_inspections()
    if found:
        log.warning("generate_scale refused: %d inspections not made by the generator", found)
        raise LedgerError(
            f"数据库中已有 {found} 个不是测试数据生成器建立的巡察（真实数据），拒绝生成测试数据。"
            "请使用一个空的或只含生成数据的数据库。"
        )


# --- the generator -------------------------------------------------------------------------


@dataclass
class Counts:
    regions: int = 0
    units: int = 0
    users: int = 0
    inspections: int = 0
    problems: int = 0
    measures: int = 0
    evidence: int = 0
    decisions: int = 0
    audit_events: int = 0
    extra: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Province:
    region: Region
    office: User
    counties: list[Region]
    units: list[Unit]
    liaisons: dict[int, User]  # unit id → liaison
    owners: dict[int, User]  # unit id → owner


def _bulk(model: type[T], rows: Iterable[T]) -> list[T]:
    return model.objects.bulk_create(list(rows), batch_size=BATCH)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate(
    units: int,
    seed: int = 1,
    password: str | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> Counts:
    """Make a province of ``units`` units and their ledgers. Refuses real data (see above)."""
    if units < 1:
        raise LedgerError("单位数至少为 1。")
    refuse_real_data()
    rng = random.Random(seed)
    texts = load_texts()
    counts = Counts()
    province = _organisations(units, seed, password, counts)
    progress(f"organisations: {counts.units} units, {counts.users} accounts")
    today = timezone.localdate()
    rounds = _rounds(province, today)
    for number, batch in enumerate(_chunks(province.units, 500), 1):
        with transaction.atomic():
            _ledgers(batch, province, rounds, texts, rng, today, counts)
        progress(f"ledgers: {min(number * 500, len(province.units))}/{len(province.units)} units")
    _analyze()
    return counts


def _analyze() -> None:
    """Fresh planner statistics: before them, PostgreSQL plans the lists over 4·10⁵ freshly
    loaded measures as if the tables were small (office list 200 ms of SQL, 23 ms after)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _organisations(units: int, seed: int, password: str | None, counts: Counts) -> Province:
    counties_needed = -(-units // UNITS_PER_COUNTY)
    cities_needed = -(-counties_needed // COUNTIES_PER_CITY)
    with transaction.atomic():
        province = Region.objects.create(name=f"测试省{seed}")
        cities = _bulk(
            Region, (Region(name=f"第{c + 1}市", parent=province) for c in range(cities_needed))
        )
        counties = _bulk(
            Region,
            (
                Region(
                    name=f"{cities[k // COUNTIES_PER_CITY].name}第{k + 1}区",
                    parent=cities[k // COUNTIES_PER_CITY],
                )
                for k in range(counties_needed)
            ),
        )
        made = _bulk(
            Unit,
            (
                Unit(
                    region=counties[u // UNITS_PER_COUNTY],
                    name=f"{counties[u // UNITS_PER_COUNTY].name}{_department(u)}{u + 1}",
                    short_name=f"{_department(u)}{u + 1}",
                )
                for u in range(units)
            ),
        )
        hashed = make_password(password) if password else "!"  # "!": no password login
        office = User.objects.create(username=f"scale{seed}-office", password=hashed)
        Membership.objects.create(user=office, role=Role.OFFICE, region=province)
        people = _bulk(
            User,
            (
                User(username=f"scale{seed}-{kind}-{u.pk}", password=hashed)
                for u in made
                for kind in ("liaison", "owner")
            ),
        )
        liaisons = {u.pk: people[2 * i] for i, u in enumerate(made)}
        owners = {u.pk: people[2 * i + 1] for i, u in enumerate(made)}
        _bulk(
            Membership,
            (
                Membership(user=user, role=role, unit_id=unit_id)
                for role, table in ((Role.LIAISON, liaisons), (Role.OWNER, owners))
                for unit_id, user in table.items()
            ),
        )
    counts.regions = 1 + len(cities) + len(counties)
    counts.units = len(made)
    counts.users = 1 + len(people)
    return Province(province, office, counties, made, liaisons, owners)


@dataclass(frozen=True)
class Rounds:
    """Per county: its three rounds and its inspection group."""

    rounds: dict[int, list[InspectionRound]]
    groups: dict[int, InspectionGroup]


def _rounds(province: Province, today: dt.date) -> Rounds:
    with transaction.atomic():
        made = _bulk(
            InspectionRound,
            (
                InspectionRound(region=county, name=f"{county.name}第{n + 1}轮巡察")
                for county in province.counties
                for n in range(ROUNDS)
            ),
        )
        groups = _bulk(
            InspectionGroup,
            (InspectionGroup(region=c, name=f"{c.name}委第一巡察组") for c in province.counties),
        )
    by_county: dict[int, list[InspectionRound]] = {}
    for r in made:
        by_county.setdefault(r.region_id, []).append(r)
    return Rounds(by_county, {g.region_id: g for g in groups})


def _department(unit_index: int) -> str:
    return DEPARTMENTS[unit_index % len(DEPARTMENTS)]


def _ledgers(  # noqa: PLR0917 - one batch's whole context
    units: list[Unit],
    province: Province,
    rounds: Rounds,
    texts: Texts,
    rng: random.Random,
    today: dt.date,
    counts: Counts,
) -> None:
    """Inspections, aspects, problems and measures of ``units``, then their history."""
    now = timezone.now()
    inspections = _bulk(
        Inspection,
        (_inspection(unit, rounds, n, today, now, rng) for unit in units for n in range(ROUNDS)),
    )
    aspects = _bulk(
        Aspect,
        (
            Aspect(inspection=i, no=a + 1, title=rng.choice(texts.aspects))
            for i in inspections
            for a in range(ASPECTS)
        ),
    )
    problems = _bulk(
        Problem,
        (
            Problem(
                aspect=a,
                no=p + 1,
                title=rng.choice(texts.problems),
                immediate=rng.random() < 0.1,
                confidential=rng.random() < 0.02,
            )
            for a in aspects
            for p in range(PROBLEMS_PER_ASPECT)
        ),
    )
    inspection_of = {i.pk: i for i in inspections}
    aspect_of = {a.pk: a for a in aspects}
    measures = _bulk(
        Measure,
        (
            _measure(
                inspection_of[aspect_of[p.aspect_id].inspection_id], p, no, texts, rng, province
            )
            for p in problems
            for no in range(1, rng.choice(MEASURES_PER_PROBLEM) + 1)
        ),
    )
    counts.inspections += len(inspections)
    counts.problems += len(problems)
    counts.measures += len(measures)
    _history(measures, inspection_of, province, rng, counts)


def _inspection(  # noqa: PLR0917
    unit: Unit, rounds: Rounds, n: int, today: dt.date, now: dt.datetime, rng: random.Random
) -> Inspection:
    feedback = today - dt.timedelta(days=ROUND_AGE_DAYS[n] + rng.randint(0, 20))
    return Inspection(
        round=rounds.rounds[unit.region_id][n],
        group=rounds.groups[unit.region_id],
        unit=unit,
        title=f"关于{unit.name}巡察整改情况的通报",
        issuer=GENERATOR_ISSUER,
        start=feedback - dt.timedelta(days=90),
        end=feedback - dt.timedelta(days=60),
        feedback_date=feedback,
        handed_over_at=now - dt.timedelta(days=ROUND_AGE_DAYS[n]),
        created_at=now - dt.timedelta(days=ROUND_AGE_DAYS[n]),
    )


def _round_of(inspection: Inspection) -> int:
    # The generated round's number is the digit before 轮 (see ``_rounds``).
    return int(str(inspection.round.name).rsplit("第", 1)[1].split("轮")[0]) - 1


def _measure(  # noqa: PLR0917
    inspection: Inspection,
    problem: Problem,
    no: int,
    texts: Texts,
    rng: random.Random,
    province: Province,
) -> Measure:
    n = _round_of(inspection)
    weights = STATUS_WEIGHTS[n]
    status = rng.choices(list(weights), weights=list(weights.values()))[0]
    feedback = inspection.feedback_date or timezone.localdate()
    # Deadlines 1–5 months after the feedback; the newest round's fall around today.
    deadline = feedback + dt.timedelta(days=rng.randint(30, 150))
    kind = rng.choice(
        (MeasureKind.DEADLINE, MeasureKind.DEADLINE, MeasureKind.IMMEDIATE, MeasureKind.ONGOING)
    )
    done = status in (MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE)
    return Measure(
        inspection=inspection,
        problem=problem,
        no=no,
        content=rng.choice(texts.measures),
        kind=kind,
        responsible_leader=rng.choice(LEADERS),
        responsible_department=rng.choice(SECTIONS),
        responsible_person=rng.choice(PEOPLE),
        owner=province.owners[inspection.unit_id] if rng.random() < 0.3 else None,
        deadline=deadline,
        status=status,
        progress=rng.choice(texts.measures) if status != MeasureStatus.NOT_STARTED else "",
        completed_date=deadline - dt.timedelta(days=rng.randint(0, 20)) if done else None,
        review_period_months=3 if kind == MeasureKind.ONGOING else None,
    )


# The decisions that brought a measure to its status, in order: (kind, by the office?).
PATHS: dict[Any, tuple[tuple[Any, bool], ...]] = {
    MeasureStatus.SUBMITTED: ((DecisionKind.SUBMIT, False),),
    MeasureStatus.CLOSED: ((DecisionKind.SUBMIT, False), (DecisionKind.CLOSE_OUT, True)),
    MeasureStatus.PHASE_COMPLETE: ((DecisionKind.SUBMIT, False), (DecisionKind.VERIFY, True)),
    MeasureStatus.RETURNED: ((DecisionKind.SUBMIT, False), (DecisionKind.RETURN, True)),
}
ACTIONS = {
    DecisionKind.SUBMIT: "measure.submit",
    DecisionKind.CLOSE_OUT: "measure.close_out",
    DecisionKind.VERIFY: "measure.phase_complete",
    DecisionKind.RETURN: "measure.return",
}


def _history(
    measures: list[Measure],
    inspection_of: dict[int, Inspection],
    province: Province,
    rng: random.Random,
    counts: Counts,
) -> None:
    """Evidence, progress notes, decisions (with their audit events) and pending extensions."""
    evidence, notes, decisions, extensions, events = [], [], [], [], []
    for m in measures:
        inspection = inspection_of[m.inspection_id]
        liaison = province.liaisons[inspection.unit_id]
        at = timezone.make_aware(
            dt.datetime.combine(m.completed_date or m.deadline or dt.date.today(), dt.time(10))
        )
        if m.status != MeasureStatus.NOT_STARTED:
            notes.append(ProgressNote(measure=m, text=m.progress, date=at.date(), author=liaison))
        for step, (kind, by_office) in enumerate(PATHS.get(m.status, ())):
            actor = province.office if by_office else liaison
            when = at + dt.timedelta(days=3 * step, minutes=rng.randint(0, 600))
            decisions.append(
                Decision(measure=m, kind=kind, actor=actor, at=when, snapshot={"status": m.status})
            )
            events.append(_event(ACTIONS[kind], actor, m, {"status": m.status}))
        if m.status in PATHS:
            evidence.append(
                Evidence(
                    measure=m,
                    kind=EvidenceKind.REFERENCE,
                    doc_number=f"〔{at.year}〕{rng.randint(1, 90)}号",
                    title=f"{inspection.unit.short_name}关于{str(m.content)[:20]}的材料",
                    date=at.date(),
                    pages=rng.randint(1, 30),
                    uploaded_by=liaison,
                    frozen=m.status in (MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE),
                )
            )
        if m.status == MeasureStatus.IN_PROGRESS and m.deadline and rng.random() < 0.03:
            extensions.append(
                DeadlineExtension(
                    measure=m,
                    previous_deadline=m.deadline,
                    requested_deadline=m.deadline + dt.timedelta(days=60),
                    reason="工作量大，需延期完成。",
                    requested_by=liaison,
                )
            )
    _bulk(Evidence, evidence)
    _bulk(ProgressNote, notes)
    _bulk(Decision, decisions)
    _bulk(DeadlineExtension, extensions)
    seal_audit_events(events)
    counts.evidence += len(evidence)
    counts.decisions += len(decisions)
    counts.audit_events += len(events)


def _event(action: str, actor: User, target: models.Model, after: dict[str, Any]) -> AuditEvent:
    return AuditEvent(
        actor=actor,
        actor_label=actor.get_username(),
        action=action,
        target_type=target._meta.model_name or "",
        target_id=str(target.pk),
        target_label=str(target)[:300],
        after=after,
        detail="generate_scale",
        chain=audit.chain_of(target),
    )


def seal_audit_events(events: list[AuditEvent]) -> None:
    """Append ``events`` to their audit chains (one per region) as ``audit.record`` would,
    in one go: per chain under its locked head, each linked to the one before and signed with
    ``audit.compute_hash``; each head moved once and its new end anchored after the commit.
    The only place the generator writes audit rows."""
    if not events:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("seal_audit_events must run inside the transaction of the change")
    by_chain: dict[str, list[AuditEvent]] = {}
    for event in events:
        by_chain.setdefault(event.chain, []).append(event)
    # Heads locked in name order, so two writers never wait on each other in a circle.
    for chain in sorted(by_chain):
        _seal_chain(chain, by_chain[chain])


def _seal_chain(chain: str, events: list[AuditEvent]) -> None:
    head = audit._locked_head(chain)
    signer = audit.key_id(audit.current_key())
    at = audit._now_to_the_millisecond()
    previous = head.last_hash
    for event in events:
        event.at, event.key_id, event.prev_hash = at, signer, previous
        event.hash = audit.compute_hash(event) or ""
        previous = event.hash
    # The base QuerySet: AuditEvent's own manager refuses bulk inserts, which is right for
    # every other writer; these rows are sealed above exactly as ``record`` seals one.
    models.QuerySet(AuditEvent).bulk_create(events, batch_size=BATCH)
    head.last_hash = previous
    head.length += len(events)
    head.save(update_fields=["last_hash", "length"])
    transaction.on_commit(partial(anchor.append, head.length, previous, signer, chain=chain))
