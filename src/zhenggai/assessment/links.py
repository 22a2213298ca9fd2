"""Look-back links: match a new inspection's problems to the unit's earlier ones, let the office
confirm or reject each match, and find the same problem across the region (举一反三).

The matching itself is pure Python (``zhenggai.review.lookback``); this module feeds it ledger
rows and stores what it finds, audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhenggai.assessment.models import LinkKind, LinkState, ProblemLink
from zhenggai.assessment.permissions import require_importer, require_office
from zhenggai.ledger import access, audit
from zhenggai.ledger.errors import InvalidTransition, NotFound
from zhenggai.ledger.models import Inspection, Problem, User
from zhenggai.review import lookback


def inspection_day(inspection: Inspection) -> dt.date:
    """When an inspection happened, for ordering rounds: feedback, else start, else import."""
    return inspection.feedback_date or inspection.start or inspection.created_at.date()


def earlier_inspections(inspection: Inspection) -> list[Inspection]:
    """The unit's other inspections that happened before this one, newest first."""
    others = Inspection.objects.filter(unit_id=inspection.unit_id).exclude(pk=inspection.pk)
    day = inspection_day(inspection)
    found = [i for i in others.select_related("round") if inspection_day(i) < day]
    found.sort(key=lambda i: (inspection_day(i), i.pk), reverse=True)
    return found


def _problems(inspections: Iterable[Inspection]) -> list[Problem]:
    ids = [i.pk for i in inspections]
    queryset = Problem.objects.filter(aspect__inspection_id__in=ids)
    queryset = queryset.select_related("aspect__inspection__round").prefetch_related("measures")
    return list(queryset.order_by("pk"))


def reading(problem: Problem) -> str:
    """What the matcher reads besides the title: the problem's text and its measures — a vague
    title (工作要求不高) says what it is about only through them."""
    measures = [m.content for m in problem.measures.all()]
    return " ".join(part for part in (problem.text, *measures) if part)


def _candidate(problem: Problem) -> lookback.Candidate:
    inspection = problem.aspect.inspection
    return lookback.Candidate(
        key=problem.pk,
        title=problem.title,
        text=reading(problem),
        round=str(inspection.round),
        date=inspection_day(inspection).isoformat(),
    )


def link_repeats(inspection: Inspection, *, by: User) -> list[ProblemLink]:
    """Store candidate links from each problem of ``inspection`` to the unit's earlier problems.

    Run it after importing an inspection (``confirm_notice_import``). Running it again adds only
    links not stored yet: a link the office has confirmed or rejected stays as decided.
    """
    require_importer(by, inspection)
    new = _problems([inspection])
    earlier = [_candidate(p) for p in _problems(earlier_inspections(inspection))]
    if not new or not earlier:
        return []
    texts = {p.pk: reading(p) for p in new}
    corpus = [f"{p.title} {texts[p.pk]}" for p in new] + [f"{c.title} {c.text}" for c in earlier]
    matcher = lookback.Matcher(corpus)
    with transaction.atomic():
        created = [
            link
            for problem in new
            for found in lookback.match(problem.title, texts[problem.pk], earlier, matcher=matcher)
            if (link := _store(problem, found, by)) is not None
        ]
        after = {"links": [_link_json(link) for link in created]}
        audit.record("lookback.link", actor=by, target=inspection, after=after, detail="回头看比对")
    return created


def _store(problem: Problem, found: lookback.Match, by: User) -> ProblemLink | None:
    if ProblemLink.objects.filter(problem=problem, earlier_id=found.key).exists():
        return None
    return ProblemLink.objects.create(
        problem=problem,
        earlier_id=found.key,
        score=found.score,
        shared=list(found.shared),
        kind=LinkKind.REPEAT if found.repeat else LinkKind.RELATED,
        created_by=by,
    )


def _link_json(link: ProblemLink) -> dict[str, Any]:
    return audit.snapshot(link, ("problem", "earlier", "score", "kind", "state", "reason"))


# --- the office's decisions ----------------------------------------------------------------


def links_for(user: Any) -> QuerySet[ProblemLink]:
    """Links whose new problem belongs to an inspection the user may read."""
    inspections = access.inspections_for(user).values("pk")
    queryset = ProblemLink.objects.select_related(
        "problem__aspect__inspection__round", "earlier__aspect__inspection__round"
    )
    queryset = queryset.filter(problem__aspect__inspection__in=inspections)
    queryset = access.hide_confidential(
        queryset, user, "problem__aspect__inspection__", "problem__"
    )
    return access.hide_confidential(queryset, user, "earlier__aspect__inspection__", "earlier__")


def get_link_for(user: Any, pk: Any) -> ProblemLink:
    try:
        found = links_for(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def confirm_link(
    link: ProblemLink, *, by: User, kind: str = str(LinkKind.REPEAT), reason: str = ""
) -> ProblemLink:
    """The office confirms the match: by default as a repeat (边改边犯), or as only related."""
    return _decide(link, LinkState.CONFIRMED, by=by, kind=kind, reason=reason)


def reject_link(link: ProblemLink, *, by: User, reason: str = "") -> ProblemLink:
    """The office says the two problems are not the same."""
    return _decide(link, LinkState.REJECTED, by=by, kind=link.kind, reason=reason)


def _decide(link: ProblemLink, state: str, *, by: User, kind: str, reason: str) -> ProblemLink:
    if kind not in LinkKind.values:
        raise InvalidTransition("关联类型无效。")
    with transaction.atomic():
        current = ProblemLink.objects.select_for_update().filter(pk=link.pk).first()
        if current is None:
            raise NotFound()
        require_office(
            by, Inspection.objects.select_related("round").get(pk=_inspection_id(current))
        )
        before = _link_json(current)
        current.state, current.kind, current.reason = state, kind, reason.strip()
        current.decided_by, current.decided_at = by, timezone.now()
        current.save(update_fields=["state", "kind", "reason", "decided_by", "decided_at"])
        audit.record(
            f"lookback.{state}", actor=by, target=current, before=before, after=_link_json(current)
        )
    return current


def _inspection_id(link: ProblemLink) -> int:
    return int(
        Problem.objects.filter(pk=link.problem_id).values_list("aspect__inspection_id", flat=True)[
            0
        ]
    )


# --- 举一反三: the same problem in every unit of the region --------------------------------


@dataclass(frozen=True)
class RegionMatch:
    problem: Problem
    score: float
    shared: tuple[str, ...]


def similar_across_region(
    problem: Problem, *, by: User, threshold: float = lookback.RELATED_THRESHOLD, limit: int = 50
) -> list[RegionMatch]:
    """Problems like ``problem`` in the inspections of every unit in the office's regions, best
    first. Only the office: it is the one that asks other units to check themselves."""
    inspection = Inspection.objects.select_related("round").get(pk=problem.aspect.inspection_id)
    require_office(by, inspection)
    scope = access.scope_of(by)
    pool = _region_problems(by, scope.office_regions, exclude=problem.pk)
    if not pool:
        return []
    candidates = [_candidate(p) for p in pool]
    matcher = lookback.Matcher([f"{c.title} {c.text}" for c in candidates])
    found = lookback.match(
        problem.title,
        reading(problem),
        candidates,
        matcher=matcher,
        threshold=threshold,
        limit=limit,
    )
    by_id = {p.pk: p for p in pool}
    return [RegionMatch(by_id[m.key], m.score, m.shared) for m in found]


def _region_problems(
    by: User, regions: Sequence[int] | frozenset[int], exclude: int
) -> list[Problem]:
    # Through access.problems_for, then narrowed to the office's regions: a user who is also
    # a unit member must not search other districts through that membership.
    queryset = access.problems_for(by).filter(aspect__inspection__round__region_id__in=regions)
    queryset = queryset.exclude(pk=exclude).select_related(
        "aspect__inspection__round", "aspect__inspection__unit"
    )
    return list(queryset.order_by("pk"))
