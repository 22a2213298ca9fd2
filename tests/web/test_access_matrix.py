"""Every screen and API operation × every persona × own unit (A) and other unit (B).

The expectations are written out here, not derived from ``access.py``: a change there that
widens or narrows what a role may do makes this test fail. Adding a URL or an API operation
without an entry below fails ``test_the_matrix_covers_every_url`` /
``test_the_matrix_covers_every_api_operation``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.ledger.conftest import PERSONAS, World
from zhenggai.api.api import api
from zhenggai.api.tokens import issue_token
from zhenggai.assessment.links import link_repeats
from zhenggai.assessment.sheet import assess
from zhenggai.ledger import access, actions
from zhenggai.ledger.models import Aspect, Inspection, Measure, Problem
from zhenggai.planning.models import ChangeKind, ChangeRequest, Plan, PlanStatus
from zhenggai.public.models import Publication
from zhenggai.supervision.escalation import issue_supervision_order
from zhenggai.supervision.models import Channel, Reminder, Subject
from zhenggai.web.workflow import STEPS

UNITS = ("a", "b")
# Who reads which unit's ledger.
READS: dict[str, set[str]] = {
    "office": {"a", "b"},
    "group": {"a", "b"},
    "observer": {"a", "b"},
    "leader": {"a"},
    "liaison": {"a"},
    "owner": {"a"},  # owns measure_a, the measure used for unit A
    "other": {"b"},
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
    "far_office": set(),
}
# Who may do each kind of write, per unit.
MAY: dict[str, dict[str, set[str]]] = {
    "work": {"leader": {"a"}, "liaison": {"a"}, "owner": {"a"}, "other": {"b"}},
    "submit": {"leader": {"a"}, "liaison": {"a"}, "other": {"b"}},
    "decide": {"office": {"a", "b"}},
    # Reading the review (整改审查): the office, the observers and the group; not the unit.
    "review": {"office": {"a", "b"}, "observer": {"a", "b"}, "group": {"a", "b"}},
    # Reading the status table and the effectiveness sheet: the region's office and observers.
    "region": {"office": {"a", "b"}, "observer": {"a", "b"}},
    # The 整改情况报告, 主要负责人报告 and 归档目录 show confidential problems: the unit's leader
    # and liaison, the office, the group and the observers; not a measure's owner.
    "reports": {
        "office": {"a", "b"},
        "group": {"a", "b"},
        "observer": {"a", "b"},
        "leader": {"a"},
        "liaison": {"a"},
        "other": {"b"},
    },
    # The public notice: the unit's leader approves and publishes it; the leader or the
    # region's office withdraws it.
    "publish": {"leader": {"a"}},
    "withdraw": {"leader": {"a"}, "office": {"a", "b"}},
    # A reminder is its recipient's alone (anyone else: 404).
    "own": {"liaison": {"a"}, "other": {"b"}},
    # The feedback once handed over (both inspections are): the office corrects it.
    "feedback": {"office": {"a", "b"}},
    # The plan's measures and cause analysis: the unit's leader and liaison, the group, the office.
    "plan": {
        "leader": {"a"},
        "liaison": {"a"},
        "other": {"b"},
        "group": {"a", "b"},
        "office": {"a", "b"},
    },
    # Restoring what was withdrawn, withdrawing a whole inspection: the office.
    "undo": {"office": {"a", "b"}},
    # Handing over what is handed over already: nobody.
    "nobody": {},
}
# Entering feedback (the notice import) is not tied to a unit: every office and group may open
# it, choosing among what it may create; everyone else is refused.
CREATORS = {"office", "group", "far_office"}
STEP_PERMISSION = {
    "start": "work",
    "submit": "submit",
    "close-out": "decide",
    "phase-complete": "decide",
    "return": "decide",
    "reopen": "decide",
    "progress": "work",
}
# URL name (":step" for a workflow step, "@method" to test a second method of one URL) →
# (method, object the URL takes, permission: "list" (anyone signed in), "create", "read" or a
# key of MAY).
WEB: dict[str, tuple[str, str | None, str]] = {
    "dashboard": ("GET", None, "list"),
    "dashboard_xlsx": ("GET", None, "list"),
    "inspections": ("GET", None, "list"),
    "search": ("GET", None, "list"),
    "inspection": ("GET", "inspection", "read"),
    "measure": ("GET", "measure", "read"),
    "evidence_file": ("GET", "evidence", "read"),
    "measure_edit": ("POST", "measure", "work"),
    "evidence_add": ("POST", "measure", "work"),
    **{f"measure_step:{step}": ("POST", "measure", p) for step, p in STEP_PERMISSION.items()},
    "notice_import": ("GET", None, "create"),
    "notice_import@post": ("POST", None, "create"),
    "notice_import_confirm": ("POST", None, "create"),
    "ledger_export": ("GET", "inspection", "read"),
    "ledger_import": ("GET", "inspection", "work"),
    "ledger_import@post": ("POST", "inspection", "work"),
    "extension_request": ("POST", "measure", "work"),
    "extension_decide": ("POST", "extension", "decide"),
    "inspection_review": ("GET", "inspection", "review"),
    "lookback_panel": ("GET", "inspection", "read"),
    "prior_status": ("GET", "inspection", "region"),
    "prior_status@post": ("POST", "inspection", "decide"),
    "prior_status_xlsx": ("GET", "inspection", "region"),
    "assessment": ("GET", "inspection", "region"),
    "assessment@post": ("POST", "inspection", "decide"),
    "assessment_xlsx": ("GET", "inspection", "region"),
    "assessment_docx": ("GET", "inspection", "region"),
    "link_confirm": ("POST", "link", "decide"),
    "link_reject": ("POST", "link", "decide"),
    "problem_similar": ("GET", "problem", "decide"),
    "reminders": ("GET", None, "list"),
    "reminder_read": ("POST", "reminder", "own"),
    "reminders_read_all": ("POST", None, "list"),
    # Bulk work takes measures in its form: each is checked by its own action's rule
    # (tests/web/test_bulk_screens.py); without a valid choice it goes back with a message.
    "measures_bulk": ("POST", None, "list"),
    "orders": ("GET", None, "list"),
    "order_docx": ("GET", "order", "read"),
    "order": ("GET", "order", "read"),
    "order_issue": ("POST", "measure", "decide"),
    # A 督办单 is answered by the unit's leader or liaison, closed or returned by the office.
    "order_reply": ("POST", "order", "submit"),
    # The 版头 of the unit's documents: read by all who read the inspection, set by the unit.
    "document_settings": ("GET", "inspection", "read"),
    "document_settings@post": ("POST", "inspection", "submit"),
    "order_close": ("POST", "order", "decide"),
    "order_return": ("POST", "order", "decide"),
    "interview_record": ("POST", "measure", "decide"),
    "notice_docx": ("GET", "inspection", "read"),
    "report_docx": ("GET", "inspection", "reports"),
    "leader_report_docx": ("GET", "inspection", "reports"),
    "archive_xlsx": ("GET", "inspection", "reports"),
    "publication": ("GET", "inspection", "read"),
    "publication_publish": ("POST", "inspection", "publish"),
    "publication_withdraw": ("POST", "publication", "withdraw"),
    # Everyone manages their own API tokens; a token is its owner's alone (anyone else: 404).
    "api_tokens": ("GET", None, "list"),
    "account": ("GET", None, "list"),
    "api_tokens@post": ("POST", None, "list"),
    "api_token_revoke": ("POST", "token", "own"),
    # The 整改方案: the unit submits and asks for changes, the office, group and observers
    # review, the office decides; its document and workbook go to the reports' audience.
    "plan": ("GET", "inspection", "read"),
    "plan_lists": ("GET", "inspection", "read"),
    "plan_xlsx": ("GET", "inspection", "reports"),
    "plan_docx": ("GET", "inspection", "reports"),
    "plan_submit": ("POST", "inspection", "submit"),
    "plan_opinion": ("POST", "inspection", "review"),
    "plan_decide": ("POST", "inspection", "decide"),
    "plan_change": ("POST", "inspection", "submit"),
    "plan_change_decide": ("POST", "change", "decide"),
    # The 中文 / English switch: anyone, signed in or not (it only sets the language cookie).
    "set_language": ("POST", None, "public"),
    # The feedback and its corrections (views_feedback).
    "inspection_new": ("GET", None, "create"),
    "inspection_new@post": ("POST", None, "create"),
    "feedback": ("GET", "inspection", "feedback"),
    "aspect_add": ("POST", "inspection", "feedback"),
    "aspect_edit": ("POST", "aspect", "feedback"),
    "feedback_paste": ("POST", "inspection", "feedback"),
    "feedback_paste_confirm": ("POST", "inspection", "feedback"),
    "hand_over": ("POST", "inspection", "nobody"),
    # Recording that the 整改情况报告 was sent: the unit's word, like a plan submission.
    "report_submit": ("POST", "inspection", "submit"),
    "inspection_withdraw": ("POST", "inspection", "undo"),
    "inspection_restore": ("POST", "inspection", "undo"),
    "problem_add": ("POST", "aspect", "feedback"),
    "problem_edit": ("GET", "problem", "plan"),
    # The posted form changes the finding's title: the feedback's, not the plan's.
    "problem_edit@post": ("POST", "problem", "feedback"),
    "problem_withdraw": ("POST", "problem", "feedback"),
    "problem_restore": ("POST", "problem", "undo"),
    "measure_add": ("POST", "problem", "plan"),
    "measure_withdraw": ("POST", "measure", "plan"),
    "measure_restore": ("POST", "measure", "undo"),
    "measure_split": ("POST", "measure", "plan"),
    "measure_merge": ("POST", "measure", "plan"),
}
# What an allowed request answers when it is not the usual 200 (GET) / 302 (POST): an upload
# form posted without a file shows the form again with the error.
OK_STATUS = {
    "notice_import@post": 200,
    "ledger_import@post": 200,
    "api_tokens@post": 200,
    "document_settings@post": 200,  # posted empty: the form again, with its errors
    "inspection_new@post": 200,
    # The matrix's plans are approved: a finding's correction is refused on the form (it goes
    # through a change request now), after the access check has let the office in.
    "problem_edit@post": 200,
}
# (method, path template) → (object, permission, JSON body).
API: dict[tuple[str, str], tuple[str | None, str, dict[str, Any] | None]] = {
    ("GET", "/api/inspections"): (None, "list", None),
    ("GET", "/api/inspections/{inspection_id}"): ("inspection", "read", None),
    ("GET", "/api/measures/{measure_id}"): ("measure", "read", None),
    ("PATCH", "/api/measures/{measure_id}"): ("measure", "work", {"version": 1, "progress": "x"}),
    ("POST", "/api/measures/{measure_id}/progress"): ("measure", "work", {"text": "进展"}),
    ("POST", "/api/measures/{measure_id}/evidence"): ("measure", "work", {"title": "会议纪要"}),
    ("POST", "/api/measures/{measure_id}/extensions"): (
        "measure",
        "work",
        {"deadline": "2024-06-30", "reason": "需协调财政资金"},
    ),
    ("POST", "/api/extensions/{extension_id}/decide"): (
        "extension",
        "decide",
        {"approve": False, "reason": "理由不充分"},
    ),
    ("GET", "/api/inspections/{inspection_id}/plan"): ("inspection", "read", None),
    ("GET", "/api/inspections/{inspection_id}/plan/completeness"): ("inspection", "read", None),
    ("POST", "/api/inspections/{inspection_id}/plan/submit"): ("inspection", "submit", None),
    ("POST", "/api/inspections/{inspection_id}/plan/opinion"): (
        "inspection",
        "review",
        {"text": "同意"},
    ),
    ("POST", "/api/inspections/{inspection_id}/plan/approve"): ("inspection", "decide", {}),
    ("POST", "/api/inspections/{inspection_id}/plan/return"): (
        "inspection",
        "decide",
        {"reason": "补充"},
    ),
    ("POST", "/api/inspections/{inspection_id}/plan/changes"): (
        "inspection",
        "submit",
        {"kind": "new_owner", "reason": "调整", "changes": {"responsible_person": "张"}},
    ),
    ("POST", "/api/plan-changes/{change_id}/decide"): (
        "change",
        "decide",
        {"approve": False, "reason": "理由不充分"},
    ),
    **{
        ("POST", f"/api/measures/{{measure_id}}/{step}"): ("measure", p, {"reason": "理由"})
        for step, p in STEP_PERMISSION.items()
        if step != "progress"
    },
    ("POST", "/api/inspections/{inspection_id}/aspects"): (
        "inspection",
        "feedback",
        {"title": "方面"},
    ),
    ("PATCH", "/api/aspects/{aspect_id}"): ("aspect", "feedback", {"title": "方面"}),
    ("POST", "/api/inspections/{inspection_id}/hand-over"): ("inspection", "nobody", None),
    ("POST", "/api/aspects/{aspect_id}/problems"): ("aspect", "feedback", {"title": "问题"}),
    ("PATCH", "/api/problems/{problem_id}"): ("problem", "feedback", {"title": "问题"}),
    ("POST", "/api/problems/{problem_id}/withdraw"): ("problem", "feedback", {"reason": "理由"}),
    ("POST", "/api/problems/{problem_id}/measures"): ("problem", "plan", {"content": "措施"}),
    ("POST", "/api/measures/{measure_id}/withdraw"): ("measure", "plan", {"reason": "理由"}),
}
PERSONA_NAMES = [*PERSONAS, "anonymous"]


def _web_names(resolver: URLResolver) -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "web":
            names |= {f"web:{name}" for name in _names(pattern)}
    return names


def _names(resolver: URLResolver) -> set[str]:
    """Names in the resolver and in the includes below it that add no namespace (i18n)."""
    names = set()
    for p in resolver.url_patterns:
        if isinstance(p, URLPattern) and p.name:
            names.add(p.name)
        elif isinstance(p, URLResolver) and p.namespace is None:
            names |= _names(p)
    return names


def test_the_matrix_covers_every_url() -> None:
    covered = {f"web:{name.split(':')[0].split('@')[0]}" for name in WEB}
    assert _web_names(get_resolver()) == covered
    assert set(STEPS) == set(STEP_PERMISSION)


def test_the_matrix_covers_every_api_operation() -> None:
    paths = api.get_openapi_schema()["paths"]
    operations = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert operations == set(API)


@pytest.fixture
def objects(world: World) -> dict[str, dict[str, int]]:
    """Per unit: the inspection, a measure, a file of evidence on it and a pending extension;
    its problem, a look-back link to an earlier round, and an assessed effectiveness sheet."""
    found = {}
    for unit, measure, by in (("a", world.measure_a, "liaison"), ("b", world.measure_b, "other")):
        evidence = actions.add_evidence(
            measure, by=world[by], file=ContentFile(b"minutes", name="纪要.txt")
        )
        found[unit] = {"inspection": measure.inspection_id, "measure": measure.pk}
        found[unit]["evidence"] = evidence.pk
        extension = actions.request_extension(
            measure, by=world[by], deadline=dt.date(2024, 6, 30), reason="需协调财政资金"
        )
        found[unit]["extension"] = extension.pk
        found[unit] |= {"problem": measure.problem.pk, "link": _link(world, measure).pk}
        found[unit]["aspect"] = measure.problem.aspect_id
        assess(measure.inspection, by=world["office"])
        found[unit] |= _supervision_objects(world, measure, by)
        found[unit]["token"] = issue_token(world[by], name="脚本", days=30)[0].pk
        found[unit]["publication"] = _publication(world, measure.inspection).pk
        found[unit]["change"] = _change_request(world, measure, by).pk
    return found


def _supervision_objects(world: World, measure: Measure, by: str) -> dict[str, int]:
    """A 督办单 on the (overdue) measure and a reminder to the unit's liaison."""
    order = issue_supervision_order(
        measure, by=world["office"], required_action="限期整改", reply_by=timezone.localdate()
    )
    reminder = Reminder.objects.create(
        inspection=measure.inspection,
        measure=measure,
        recipient=world[by],
        subject=Subject.MEASURE,
        kind="overdue",
        deadline=measure.deadline,
        channel=Channel.IN_APP,
    )
    return {"order": order.pk, "reminder": reminder.pk}


def _publication(world: World, inspection: Inspection) -> Publication:
    """A notice online (made directly: unit B has no leader to publish it)."""
    return Publication.objects.create(
        inspection=inspection,
        slug=f"p{inspection.pk}",
        version=1,
        title="整改情况通报",
        issuer=inspection.unit.name,
        notice={},
        text="整改情况通报",
        digest="0" * 64,
        published_by=world["office"],
    )


def _change_request(world: World, measure: Measure, by: str) -> ChangeRequest:
    """A pending change request on an approved plan (made directly: the plan of the fixture
    is not complete enough to submit)."""
    plan = Plan.objects.create(inspection=measure.inspection, status=PlanStatus.APPROVED)
    return ChangeRequest.objects.create(
        plan=plan,
        kind=ChangeKind.NEW_DEADLINE,
        measure=measure,
        changes={"deadline": "2024-06-30"},
        reason="需协调财政资金",
        requested_by=world[by],
    )


def _link(world: World, measure: Measure) -> Any:
    """The same problem found in the unit's earlier round, linked by the look-back."""
    unit, day = measure.inspection.unit, dt.date(2020, 6, 30)
    earlier = Inspection.objects.create(
        round=world.round, group=world.group, unit=unit, feedback_date=day
    )
    aspect = Aspect.objects.create(inspection=earlier, no=1, title="政治引领不突出方面")
    Problem.objects.create(aspect=aspect, no=1, title=measure.problem.title)
    return link_repeats(measure.inspection, by=world["office"])[0]


def _expected(persona: str, unit: str, permission: str) -> str:
    if persona == "anonymous" and permission != "public":
        return "login"
    if permission in {"list", "public"}:
        return "ok"
    if permission == "create":
        return "ok" if persona in CREATORS else "403"
    not_theirs = permission == "own" and unit not in MAY["own"].get(persona, set())
    if unit not in READS[persona] or not_theirs:
        return "404"
    if permission == "read" or unit in MAY[permission].get(persona, set()):
        return "ok"
    return "403"


def _client(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world[persona])
    return client


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("name", sorted(WEB))
def test_screen_access(world: World, objects: Any, name: str, persona: str, unit: str) -> None:
    method, kind, permission = WEB[name]
    url_name, _, step = name.split("@", maxsplit=1)[0].partition(":")
    kwargs = {"pk": objects[unit][kind]} if kind else {}
    if step:
        kwargs["step"] = step
    url = reverse(f"web:{url_name}", kwargs=kwargs)
    client = _client(world, persona)
    data = {"version": "1", "content": "新的措施内容", "title": "纪要", "text": "理由"}
    data |= {"deadline": "2024-06-30", "reason": "理由", "decision": "reject"}
    response = client.post(url, data) if method == "POST" else client.get(url)
    expected = _expected(persona, unit, permission)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif expected == "ok":
        assert response.status_code == OK_STATUS.get(name, 302 if method == "POST" else 200)
    else:
        assert response.status_code == int(expected)


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("operation", sorted(API))
def test_api_access(
    world: World, objects: Any, operation: tuple[str, str], persona: str, unit: str
) -> None:
    method, template = operation
    _kind, permission, body = API[operation]
    path = template.replace("{inspection_id}", str(objects[unit]["inspection"]))
    path = path.replace("{measure_id}", str(objects[unit]["measure"]))
    path = path.replace("{extension_id}", str(objects[unit]["extension"]))
    path = path.replace("{change_id}", str(objects[unit]["change"]))
    path = path.replace("{aspect_id}", str(objects[unit]["aspect"]))
    path = path.replace("{problem_id}", str(objects[unit]["problem"]))
    client = _client(world, persona)
    response = client.generic(
        method, path, data=json.dumps(body or {}), content_type="application/json"
    )
    expected = _expected(persona, unit, permission)
    if expected == "login":
        assert response.status_code == 401
    elif expected == "ok":
        # 400: allowed, but not in the measure's current state (or input refused).
        assert response.status_code in ({200} if method == "GET" else {200, 201, 400})
    else:
        assert response.status_code == int(expected)
        assert response.json()["detail"]


def test_login_page_is_in_chinese(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "用户名" in response.content.decode()


def test_unknown_ids_and_steps_are_404(world: World) -> None:
    client = _client(world, "office")
    assert client.get("/measures/999999/").status_code == 404
    assert client.get("/inspections/999999/").status_code == 404
    assert client.get("/api/measures/999999").status_code == 404
    url = reverse("web:measure_step", kwargs={"pk": world.measure_a.pk, "step": "explode"})
    assert client.post(url).status_code == 404


def test_wrong_method_is_405(world: World) -> None:
    client = _client(world, "liaison")
    assert (
        client.get(reverse("web:measure_edit", kwargs={"pk": world.measure_a.pk})).status_code
        == 405
    )
    assert client.post(reverse("web:dashboard")).status_code == 405


# The rule of ``access.py`` behind each key of MAY: the screens and the API above and the
# predicates (which the templates ask through ``{% may %}``) must agree with the same table.
PREDICATES: dict[str, tuple[tuple[str, str], ...]] = {
    "work": (("may_work_on", "measure"),),
    "submit": (("may_submit", "measure"), ("may_submit_plan", "inspection")),
    "decide": (
        ("may_decide", "measure"),
        ("may_assess", "inspection"),
        ("may_approve_plan", "inspection"),
    ),
    "review": (("may_review_inspection", "inspection"), ("may_review_plan", "inspection")),
    "region": (("may_read_assessment", "inspection"),),
    "reports": (("may_download_reports", "inspection"),),
    "publish": (("may_publish", "inspection"),),
    "withdraw": (("may_withdraw_publication", "inspection"),),
    "feedback": (("may_edit_inspection", "inspection"),),
    "plan": (("may_plan", "inspection"),),
    "undo": (("may_withdraw_inspection", "inspection"),),
}


def test_the_matrix_names_a_rule_for_each_kind_of_write() -> None:
    assert set(PREDICATES) == set(MAY) - {"own", "nobody"}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
@pytest.mark.parametrize("key", sorted(PREDICATES))
def test_the_rulebook_answers_as_the_matrix(world: World, key: str, persona: str) -> None:
    scope = access.scope_of(world[persona])
    for unit, measure in (("a", world.measure_a), ("b", world.measure_b)):
        on = {"measure": measure, "inspection": measure.inspection}
        expected = unit in MAY[key].get(persona, set())
        for rule, kind in PREDICATES[key]:
            assert getattr(access, rule)(scope, on[kind]) is expected, (rule, unit)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_the_rulebook_lets_the_creators_import(world: World, persona: str) -> None:
    assert access.may_import_notices(access.scope_of(world[persona])) is (persona in CREATORS)
