"""Every write goes through an audited door (issue #14, docs/architecture.md).

- ``WRITERS`` names, for every model Django knows (``apps.get_models``), the actions that write
  it, or why nothing of the project needs to: a new model without an entry fails.
- Each named action reaches ``audit.record`` (a scan of the source: the action, or a function
  it calls, records the event).
- Every ORM write in ``src/`` (``save``, ``create``, ``update``, ``delete``, ...) sits in an
  audited function or in a helper only audited functions call.
- Every admin page is read-only or routes saves, deletes and inline rows through
  ``admin_actions`` (``AuditedAdmin``, hooks not overridden).
The behaviour behind it is tested where it lives (tests/ledger, tests/api, ...) and below for
the doors issue #14 closed; the hash chain is verified after every test (tests/conftest.py).
"""

from __future__ import annotations

import ast
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

import zhenggai
from zhenggai.ledger.admin import AuditedAdmin

SRC = Path(zhenggai.__file__).parent
WRITE_METHODS = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
AUDIT_CALLS = {"audit.record", "audit.record_read", "record_login_failure"}
ADMIN = "ledger.admin_actions.save, ledger.admin_actions.delete"

# model → the audited actions that write it ("module.function" below zhenggai), or a reason.
WRITERS: dict[str, list[str] | str] = {
    "admin.LogEntry": "Django's admin history, written beside the audited admin_actions",
    "auth.Permission": "made by migrate; nobody changes it",
    "auth.Group": "read-only in the admin; an account's groups go through admin_actions",
    "contenttypes.ContentType": "made by migrate",
    "sessions.Session": "Django's sign-in state; signing in and out is audited (security)",
    "ledger.User": ["ledger.admin_actions.save", "ledger.admin_actions.set_password"],
    "ledger.Region": ["ledger.admin_actions.save", "ledger.admin_actions.delete"],
    "ledger.Unit": ["ledger.admin_actions.save", "ledger.admin_actions.delete"],
    "ledger.InspectionGroup": ["ledger.admin_actions.save", "ledger.admin_actions.delete"],
    "ledger.InspectionRound": ["ledger.admin_actions.save", "ledger.admin_actions.delete"],
    "ledger.Membership": ["ledger.admin_actions.save", "ledger.admin_actions.delete"],
    "ledger.Inspection": [
        "ledger.actions.create_inspection",
        "ledger.actions.import_inspection",
        "ledger.actions.update_inspection",
        "ledger.actions.hand_over",
        "ledger.actions.submit_report",
        "ledger.actions.withdraw_inspection",
        "ledger.actions.restore_inspection",
    ],
    "ledger.Aspect": [
        "ledger.actions.add_aspect",
        "ledger.actions.update_aspect",
        "ledger.actions.import_inspection",
        "ledger.actions.add_feedback",
    ],
    "ledger.Problem": [
        "ledger.actions.add_problem",
        "ledger.actions.update_problem",
        "ledger.actions.import_inspection",
        "ledger.actions.add_feedback",
        "ledger.actions.withdraw_problem",
        "ledger.actions.restore_problem",
        "ledger.actions.set_confidential",
    ],
    "ledger.Measure": [
        "ledger.actions.add_measure",
        "ledger.actions.update_measure",
        "ledger.actions.import_inspection",
        "ledger.actions.start_work",
        "ledger.actions.submit_for_closure",
        "ledger.actions.verify_and_close_out",
        "ledger.actions.mark_phase_complete",
        "ledger.actions.return_measure",
        "ledger.actions.reopen",
        "ledger.actions.withdraw_measure",
        "ledger.actions.restore_measure",
        "ledger.actions.split_measure",
        "ledger.actions.merge_measures",
        "planning.actions.decide_change",
    ],
    "ledger.ProgressNote": ["ledger.actions.record_progress"],
    "ledger.Evidence": [
        "ledger.actions.add_evidence",
        "ledger.actions.remove_evidence",
        "ledger.actions.submit_for_closure",
        "ledger.actions.merge_measures",
    ],
    "ledger.Decision": ["ledger.actions.verify_and_close_out", "ledger.actions.return_measure"],
    "ledger.DeadlineExtension": [
        "ledger.actions.request_extension",
        "ledger.actions.decide_extension",
    ],
    "ledger.AuditEvent": "the audit trail itself (audit.record)",
    "ledger.AuditChainHead": "the chain's head, moved by audit.record with each event",
    "supervision.Reminder": [
        "supervision.reminders.send_reminders",
        "supervision.reminders.mark_read",
        "supervision.reminders.mark_all_read",
    ],
    "supervision.SupervisionOrder": [
        "supervision.escalation.issue_supervision_order",
        "supervision.escalation.answer_order",
    ],
    "supervision.OrderReply": ["supervision.escalation.answer_order"],
    "supervision.Interview": ["supervision.escalation.record_interview"],
    "assessment.ProblemLink": ["assessment.links.link_repeats"],
    "assessment.PriorStatusOverride": ["assessment.status.set_prior_status"],
    "assessment.Indicator": ["ledger.admin_actions.save", "ledger.admin_actions.delete"],
    "assessment.Assessment": ["assessment.sheet.assess"],
    "assessment.Score": ["assessment.sheet.assess"],
    "api.ApiToken": [
        "api.tokens.issue_token",
        "api.tokens.revoke_token",
        "api.tokens.user_for_token",
        "security.twofactor.reset_second_factor",
    ],
    "public.Publication": ["public.publishing.publish", "public.publishing.withdraw"],
    "opinions.Opinion": [
        "opinions.actions.submit_online",
        "opinions.actions.register",
        "opinions.actions.assign",
        "opinions.actions.mark_out_of_scope",
        "opinions.actions.answer",
        "opinions.actions.publish_answer",
    ],
    "captcha.CaptchaStore": "django-simple-captcha's one-time challenges on the public form",
    "documents.UnitDocumentSettings": ["documents.actions.update_settings"],
    "planning.Plan": ["planning.actions.submit_plan", "planning.actions.approve_plan"],
    "planning.PlanVersion": ["planning.actions.submit_plan"],
    "planning.PlanOpinion": ["planning.actions.record_opinion"],
    "planning.ChangeRequest": ["planning.actions.request_change", "planning.actions.decide_change"],
    "axes.AccessFailureLog": "django-axes' log of failed sign-ins (each audited by security)",
    "axes.AccessAttempt": ["security.lockout.unlock", "security.lockout.unlock_address"],
    "axes.AccessAttemptExpiration": "django-axes' bookkeeping of AccessAttempt",
    "axes.AccessLog": "django-axes' log of sign-ins (each audited by security)",
    "otp_totp.TOTPDevice": [
        "security.twofactor.confirm_enrolment",
        "security.twofactor.reset_second_factor",
    ],
    "otp_static.StaticDevice": ["security.twofactor.confirm_enrolment"],
    "otp_static.StaticToken": ["security.twofactor.confirm_enrolment"],
    "security.AccountSecurity": [
        "security.twofactor.set_required",
        "security.passwords.change_own_password",
    ],
    "security.PasswordHistory": ["security.passwords.change_own_password"],
}
# Writes the scan finds outside audited functions, each with why it is not a door of its own.
UNAUDITED_WRITES = {
    # The ``before`` hook of the audited transition ``submit_for_closure`` (STEPS), passed by
    # name, not called: the scan cannot see the call.
    ("ledger/actions.py", "_freeze_evidence_for_submission"),
    # The account's empty security row, made on first read; what changes in it is audited.
    ("security/passwords.py", "security_of"),
    # The demo's own data set (``zhenggai demo``), loaded into an empty database.
    ("ledger/demo.py", "*"),
    # The scale generator (``generate_scale``): refuses a database with real inspections and
    # seals its own audit events into each region's chain (``seal_audit_events``).
    ("ledger/scale.py", "*"),
    # The audit trail and its head: what records the events.
    ("ledger/audit.py", "*"),
    # Django's password validator hook (``password_changed``), run inside the audited password
    # changes (``admin_actions.set_password``, ``passwords.change_own_password``).
    ("security/passwords.py", "remember"),
    # python-docx ``Document.save`` into a file, not a model.
    ("planning/export.py", "save_document"),
}


class _Source:
    """The functions of ``src/`` and what each calls, by name (a grep with a parser)."""

    def __init__(self) -> None:
        self.functions: dict[tuple[str, str], list[ast.AST]] = defaultdict(list)
        for path in sorted(SRC.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    self.functions[(str(path.relative_to(SRC)), node.name)].append(node)
        self.calls = {key: self._called(nodes) for key, nodes in self.functions.items()}
        self.audited = self._closure()

    @staticmethod
    def _called(nodes: list[ast.AST]) -> set[str]:
        """What the function calls; a model's own ``save()``/``delete()`` is a write, not a
        call of a door that happens to share the name (``admin_actions.save`` is)."""
        found = set()
        for node in nodes:
            for call in ast.walk(node):
                if isinstance(call, ast.Call):
                    text = ast.unparse(call.func)
                    method = text.rsplit(".", 1)[-1]
                    if method not in WRITE_METHODS or text.startswith("admin_actions."):
                        found.add(text)
        return found

    def _closure(self) -> set[tuple[str, str]]:
        """Functions that record an event, or call (by name) one that does."""
        audited = {k for k, calls in self.calls.items() if calls & AUDIT_CALLS}
        while True:
            names = {name for _, name in audited}
            more = {
                k
                for k, calls in self.calls.items()
                if k not in audited and {c.rsplit(".", 1)[-1] for c in calls} & names
            }
            if not more:
                return audited
            audited |= more

    def covered(self) -> set[tuple[str, str]]:
        """The audited functions and the helpers that only they call."""
        callers = defaultdict(set)
        for key, calls in self.calls.items():
            for call in calls:
                callers[call.rsplit(".", 1)[-1]].add(key)
        covered = set(self.audited)
        while True:
            more = {
                k
                for k in self.functions
                if k not in covered and callers[k[1]] and callers[k[1]] <= covered
            }
            if not more:
                return covered
            covered |= more

    def writes(self) -> list[tuple[str, str, int, str]]:
        found = []
        for (path, name), nodes in self.functions.items():
            for node in nodes:
                for call in ast.walk(node):
                    if _is_orm_write(call):
                        found.append((path, name, call.lineno, ast.unparse(call)[:80]))
        return found


def _is_orm_write(call: ast.AST) -> bool:
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return False
    if call.func.attr not in WRITE_METHODS:
        return False
    receiver = ast.unparse(call.func.value)
    if call.func.attr == "update":  # dict.update is not a write; a queryset's is
        return any(k in receiver for k in ("objects", "filter(", "_for(", "queryset", ".all("))
    return True


@pytest.fixture(scope="module")
def source() -> _Source:
    return _Source()


def test_every_model_has_its_writers_named() -> None:
    models = {model._meta.label for model in apps.get_models()}
    assert set(WRITERS) == models


def test_each_named_writer_records_an_audit_event(source: _Source) -> None:
    unaudited = []
    for writers in WRITERS.values():
        for dotted in writers if isinstance(writers, list) else []:
            module, name = dotted.rsplit(".", 1)
            key = (module.replace(".", "/") + ".py", name)
            assert key in source.functions, f"{dotted} does not exist"
            if key not in source.audited:
                unaudited.append(dotted)
    assert unaudited == []


def test_every_orm_write_is_inside_an_audited_action(source: _Source) -> None:
    covered = source.covered()
    outside = [
        f"{path}:{line} {name}: {code}"
        for path, name, line, code in source.writes()
        if (path, name) not in covered
        and (path, name) not in UNAUDITED_WRITES
        and (path, "*") not in UNAUDITED_WRITES
    ]
    assert outside == []
    assert len(source.writes()) > 50  # the scan sees the writes (it would pass on nothing)


# --- the admin -----------------------------------------------------------------------------

HOOKS = ("save_model", "delete_model", "delete_queryset", "save_formset", "save_related")


@pytest.fixture
def superuser_request(db):
    from zhenggai.ledger.models import User

    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root", password="x")
    return request


def test_every_admin_page_is_read_only_or_audited(superuser_request) -> None:
    bad = []
    for model, page in admin.site._registry.items():
        writes = (
            page.has_add_permission(superuser_request)
            or page.has_change_permission(superuser_request)
            or page.has_delete_permission(superuser_request)
        )
        if not writes:
            continue
        audited = isinstance(page, AuditedAdmin) and all(
            getattr(type(page), hook) is getattr(AuditedAdmin, hook) for hook in HOOKS
        )
        if not audited:
            bad.append(model._meta.label)
    assert bad == []


# --- the doors issue #14 closed ------------------------------------------------------------


def _events(action: str):
    from zhenggai.ledger.models import AuditEvent

    return AuditEvent.objects.filter(action=action)


def test_an_indicator_edited_in_the_admin_list_reaches_the_chain(world) -> None:
    from zhenggai.assessment.models import Indicator

    indicator = Indicator.objects.filter(active=True).order_by("order").first()
    assert indicator is not None  # the data migration wrote the default sheet
    rows = list(Indicator.objects.order_by("order", "code"))
    client = Client()
    client.force_login(world["sysadmin"])
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "保存",
    }
    for i, row in enumerate(rows):
        data[f"form-{i}-id"] = str(row.pk)
        data[f"form-{i}-points"] = "7.5" if row.pk == indicator.pk else str(row.points)
        if row.active:
            data[f"form-{i}-active"] = "on"
    response = client.post(reverse("admin:assessment_indicator_changelist"), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert str(indicator.points) == "7.5"
    [event] = _events("admin.indicator.change")
    assert (event.actor, event.target_id) == (world["sysadmin"], str(indicator.pk))
    assert event.after["points"] in ("7.5", 7.5)


def test_no_one_else_edits_the_indicators_in_the_admin(world) -> None:
    from zhenggai.assessment.models import Indicator

    indicator = Indicator.objects.first()
    client = Client()
    client.force_login(world["auditadmin"])
    url = reverse("admin:assessment_indicator_change", args=[indicator.pk])
    assert client.post(url, {"points": "1"}).status_code == 403


def test_reading_the_effectiveness_sheet_writes_nothing(world, django_assert_max_num_queries):
    from zhenggai.assessment.models import Indicator
    from zhenggai.ledger.models import AuditEvent

    Indicator.objects.all().delete()  # even on an empty table the GET adds nothing
    client = Client()
    client.force_login(world["office"])
    url = reverse("web:assessment", args=[world.measure_a.inspection_id])
    events = AuditEvent.objects.count()
    assert client.get(url).status_code == 200
    assert not Indicator.objects.exists()
    assert AuditEvent.objects.count() == events


def test_reading_reminders_is_audited(world) -> None:
    from zhenggai.supervision import reminders
    from zhenggai.supervision.models import Channel, Reminder, Subject

    measure = world.measure_a
    made = [
        Reminder.objects.create(
            inspection=measure.inspection,
            measure=measure,
            recipient=world["liaison"],
            subject=Subject.MEASURE,
            kind=kind,
            deadline=dt.date(2024, 6, 30),
            channel=Channel.IN_APP,
        )
        for kind in ("overdue", "due_soon")
    ]
    reminders.mark_read(world["liaison"], made[0].pk)
    reminders.mark_read(world["liaison"], made[0].pk)  # read already: no second event
    [event] = _events("supervision.reminder.read")
    assert (event.actor, event.target_id) == (world["liaison"], str(made[0].pk))
    assert reminders.mark_all_read(world["liaison"]) == 1
    [event] = _events("supervision.reminder.read_all")
    assert event.after == {"reminders": [made[1].pk]}
    assert reminders.mark_all_read(world["liaison"]) == 0
    assert _events("supervision.reminder.read_all").count() == 1


def test_using_a_token_is_audited(world) -> None:
    from zhenggai.api.tokens import issue_token, revoke_token, user_for_token

    record, token = issue_token(world["liaison"], name="脚本", days=30)
    assert user_for_token(token) == world["liaison"]
    assert user_for_token(token) == world["liaison"]  # within TOUCH_EVERY: one event
    [event] = _events("api.token.use")
    assert (event.actor, event.target_id) == (world["liaison"], str(record.pk))
    assert "digest" not in event.after
    revoke_token(world["liaison"], record.pk)
    assert _events("api.token.issue").count() == _events("api.token.revoke").count() == 1


def test_creating_an_inspection_is_audited_and_new_inspection_is_no_public_door(world) -> None:
    from zhenggai.ledger import actions

    assert not hasattr(actions, "new_inspection")
    inspection = actions.create_inspection(
        by=world["office"], round=world.round, group=world.group, unit=world.unit_a
    )
    [event] = _events("inspection.create")
    assert event.target_id == str(inspection.pk)
