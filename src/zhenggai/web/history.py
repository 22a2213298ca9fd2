"""The change history shown on each object: who, when, what, and the fields before and after.

Audit events (``ledger.audit``) keep snapshots as JSON keyed by field ``attname``; this module
turns them into rows a person can read (the field's name, choice labels, local times) and
fetches the history of an inspection page in one query, whatever the size of the tree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenggai.ledger.models import Aspect, AuditEvent, Inspection
from zhenggai.ledger.people import display_name

# Newest events shown on the inspection page (its own and its aspects') and per problem.
INSPECTION_HISTORY_LIMIT = 50
PROBLEM_HISTORY_LIMIT = 20
# Everything the inspection page may show, fetched at once: enough for every problem's latest.
TREE_HISTORY_LIMIT = 500

# Bookkeeping fields that change with every write and say nothing to the reader.
# ``leads_count`` (移交问题线索) is never shown to the unit, so never in a history either: the
# audit administrator reads it in the audit trail.
HIDDEN_FIELDS = {"id", "version", "updated_at", "created_at", "hash", "prev_hash", "leads_count"}

# Keys some actions add to their snapshots besides model fields (the notice import's counts,
# the Excel import's measures, the look-back's links, an extension's new deadline).
EXTRA_LABELS = {
    "aspects": gettext_lazy("方面"),
    "problems": gettext_lazy("问题"),
    "measures": gettext_lazy("整改措施"),
    "links": gettext_lazy("问题关联"),
    "measure_deadline": gettext_lazy("完成时限"),
}

ACTION_LABELS = {
    "inspection.create": gettext_lazy("录入巡察"),
    "inspection.update": gettext_lazy("修改巡察"),
    "inspection.import": gettext_lazy("导入整改通报"),
    "inspection.import_ledger": gettext_lazy("导入台账"),
    "aspect.create": gettext_lazy("新增方面"),
    "aspect.update": gettext_lazy("修改方面"),
    "problem.create": gettext_lazy("新增问题"),
    "problem.update": gettext_lazy("修改问题"),
    "measure.create": gettext_lazy("新增整改措施"),
    "measure.update": gettext_lazy("修改整改措施"),
    "measure.start_work": gettext_lazy("开始整改"),
    "measure.submit": gettext_lazy("提交验收"),
    "measure.close_out": gettext_lazy("验收销号"),
    "measure.phase_complete": gettext_lazy("确认阶段性完成"),
    "measure.return": gettext_lazy("退回"),
    "measure.reopen": gettext_lazy("重新打开"),
    "measure.progress": gettext_lazy("填报进展"),
    "evidence.add": gettext_lazy("添加佐证材料"),
    "evidence.remove": gettext_lazy("删除佐证材料"),
    "extension.request": gettext_lazy("申请延期"),
    "extension.approve_extension": gettext_lazy("批准延期"),
    "extension.reject_extension": gettext_lazy("不予延期"),
    "lookback.link": gettext_lazy("回头看比对"),
    "lookback.prior_status": gettext_lazy("认定上轮问题整改状态"),
    "assessment.assess": gettext_lazy("整改评估"),
    "supervision.order.issue": gettext_lazy("下发督办单"),
    "supervision.interview.record": gettext_lazy("记录约谈"),
    "public.publish": gettext_lazy("公开通报"),
    "public.withdraw": gettext_lazy("撤回公开"),
    "api.token.issue": gettext_lazy("创建接口令牌"),
    "api.token.revoke": gettext_lazy("吊销接口令牌"),
    "inspection.hand_over": gettext_lazy("交付反馈"),
    "inspection.feedback_paste": gettext_lazy("粘贴反馈意见"),
    "inspection.withdraw": gettext_lazy("撤销巡察记录"),
    "inspection.restore": gettext_lazy("恢复巡察记录"),
    "problem.withdraw": gettext_lazy("撤销问题"),
    "problem.restore": gettext_lazy("恢复问题"),
    "measure.withdraw": gettext_lazy("撤销措施"),
    "measure.restore": gettext_lazy("恢复措施"),
    "measure.split": gettext_lazy("拆分措施"),
    "measure.merge": gettext_lazy("合并措施"),
}


# A text change longer than this is shown as a diff (what went, what came) in its context.
DIFF_MIN_LENGTH = 20
DIFF_CONTEXT = 12

# Object names by (model, pk as text), fetched once for all the events of a page.
Names = dict[tuple[type[Model], str], str]


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    # ("same" | "del" | "ins", text) pieces for a long text edit; empty: show before → after.
    diff: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    label: str
    actor: str
    changes: list[Change]


def rows(events: Iterable[AuditEvent]) -> list[Row]:
    """The history table's rows: people by name, objects by name, long texts as diffs."""
    events = list(events)
    names = related_names(events)
    return [Row(e, action_label(e.action), _actor(e, names), changes(e, names)) for e in events]


def _actor(event: AuditEvent, names: Names) -> str:
    if event.actor_id is None:
        return event.actor_label
    user_model = AuditEvent._meta.get_field("actor").related_model
    return names.get((user_model, str(event.actor_id)), event.actor_label)  # type: ignore[arg-type]


def related_names(events: Sequence[AuditEvent]) -> Names:
    """Names of the users and objects the events refer to: one query per kind of object."""
    wanted: dict[type[Model], set[str]] = defaultdict(set)
    user_model = AuditEvent._meta.get_field("actor").related_model
    names: Names = {}
    for event in events:
        if event.actor_id is not None and AuditEvent.actor.is_cached(event):  # type: ignore[attr-defined]
            names[(user_model, str(event.actor_id))] = _name_of(event.actor)  # type: ignore[index]
        elif event.actor_id is not None:
            wanted[user_model].add(str(event.actor_id))  # type: ignore[index]
        model = _model(event.target_type)
        for snapshot in (event.before, event.after):
            if not isinstance(snapshot, dict):
                continue
            for key, value in snapshot.items():
                field = _field(model, key)
                if field is not None and field.is_relation and isinstance(value, int | str):
                    wanted[field.related_model].add(str(value))
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, str(obj.pk))] = _name_of(obj)
    return names


def _name_of(obj: Model) -> str:
    if hasattr(obj, "get_username"):
        return display_name(obj)
    return str(obj)


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def changes(event: AuditEvent, names: Names | None = None) -> list[Change]:
    """The fields the event changed (all set fields for a creation or a removal); related
    objects by their name where ``names`` has it."""
    names = names or {}
    before: dict[str, Any] = event.before if isinstance(event.before, dict) else {}
    after: dict[str, Any] = event.after if isinstance(event.after, dict) else {}
    model = _model(event.target_type)
    rows = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key in HIDDEN_FIELDS:
            continue
        old, new = before.get(key), after.get(key)
        if old == new or (_blank(old) and _blank(new)):
            continue
        field = _field(model, key)
        shown_old, shown_new = _shown(field, old, names), _shown(field, new, names)
        label = _field_label(field, key)
        rows.append(Change(label, shown_old, shown_new, _diff(old, new)))
    return rows


def _diff(old: Any, new: Any) -> tuple[tuple[str, str], ...]:
    """What changed inside a long text, with a little unchanged text around each change."""
    if not (isinstance(old, str) and isinstance(new, str)):
        return ()
    if max(len(old), len(new)) < DIFF_MIN_LENGTH or not old or not new:
        return ()
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", _context(old[i1:i2], i1 == 0, i2 == len(old))))
            continue
        if i2 > i1:
            pieces.append(("del", old[i1:i2]))
        if j2 > j1:
            pieces.append(("ins", new[j1:j2]))
    return tuple(pieces)


def _context(text: str, first: bool, last: bool) -> str:
    """Unchanged text cut to its ends next to the changes."""
    keep = DIFF_CONTEXT
    if len(text) <= 2 * keep + 1:
        return text
    head = "" if first else text[:keep]
    tail = "" if last else text[-keep:]
    return f"{head}…{tail}"


@functools.cache
def _model(target_type: str) -> type[Model] | None:
    for model in apps.get_models():
        if model._meta.model_name == target_type and model._meta.app_label != "auth":
            return model
    return None


def _field(model: type[Model] | None, key: str) -> Any:
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if key in (field.name, field.attname):
            return field
    return None


def _field_label(field: Any, key: str) -> str:
    if field is not None:
        return str(field.verbose_name)
    return str(EXTRA_LABELS.get(key, key))


def _blank(value: Any) -> bool:
    return value is None or value in ("", [], {})


def _shown(field: Any, value: Any, names: Names | None = None) -> str:
    """A JSON value as the reader knows it: choice labels, 是/否, local times, ``—`` for empty."""
    if _blank(value):
        shown = "—"
    elif isinstance(value, bool):
        shown = _("是") if value else _("否")
    elif isinstance(value, list):
        shown = _list(value)
    elif isinstance(value, dict):
        shown = _record(value)
    elif field is None:
        shown = str(value)
    elif field.choices:
        shown = str(dict(field.flatchoices).get(value, value))
    elif field.is_relation:
        shown = (names or {}).get((field.related_model, str(value)), f"#{value}")
    elif field.get_internal_type() == "DateTimeField":
        shown = _local_time(str(value))
    else:
        shown = str(value)
    return shown


def _list(values: list[Any]) -> str:
    """Ids or words as a list; records (the look-back's links) by their number."""
    if all(isinstance(v, str | int | float) for v in values):
        return "、".join(str(v) for v in values)
    return _("%(n)s 项") % {"n": len(values)}


def _record(value: dict[str, Any]) -> str:
    """A small record (an import's counts) as “label：value；…”, not as JSON."""
    parts = []
    for key, item in value.items():
        label = EXTRA_LABELS.get(key, key)
        shown = _list(item) if isinstance(item, list) else str(item)
        if isinstance(item, dict):
            shown = json.dumps(item, ensure_ascii=False)
        parts.append(f"{label}：{shown}")
    return "；".join(parts)


def _local_time(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M}"


# --- the inspection page -------------------------------------------------------------------


@dataclass
class TreeHistory:
    """The events of an inspection page: its own and its aspects', and each problem's."""

    inspection: list[AuditEvent]
    by_problem: dict[int, list[AuditEvent]]

    def of_problem(self, problem_id: int) -> list[AuditEvent]:
        return self.by_problem.get(problem_id, [])


def tree_history(inspection: Inspection, aspects: Sequence[Aspect]) -> TreeHistory:
    """One query: events on the inspection, its aspects and its problems, newest first. The
    ids come from the tree the page already fetched (aspects with problems prefetched);
    measures keep their history on their own pages."""
    aspect_ids = [str(a.pk) for a in aspects]
    problem_ids = [str(p.pk) for a in aspects for p in a.problems.all()]
    wanted = Q(target_type="inspection", target_id=str(inspection.pk))
    if aspect_ids:
        wanted |= Q(target_type="aspect", target_id__in=aspect_ids)
    if problem_ids:
        wanted |= Q(target_type="problem", target_id__in=problem_ids)
    # The actors come with the events: their names cost no query of their own.
    events = (AuditEvent.objects.filter(wanted).select_related("actor").order_by("-id"))[
        :TREE_HISTORY_LIMIT
    ]
    return _grouped(events)


def _grouped(events: Iterable[AuditEvent]) -> TreeHistory:
    own: list[AuditEvent] = []
    by_problem: dict[int, list[AuditEvent]] = defaultdict(list)
    for event in events:
        if event.target_type == "problem":
            rows = by_problem[int(event.target_id)]
            if len(rows) < PROBLEM_HISTORY_LIMIT:
                rows.append(event)
        elif len(own) < INSPECTION_HISTORY_LIMIT:
            own.append(event)
    return TreeHistory(own, dict(by_problem))
