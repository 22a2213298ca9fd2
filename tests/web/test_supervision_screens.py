"""The supervision screens: lights behind plan, the reminder bell, escalation, documents."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import docx
import openpyxl
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.ledger.conftest import World
from zhenggai.ledger.models import AuditEvent, Measure, MeasureKind, Problem
from zhenggai.reports.gbt9704 import cn_date
from zhenggai.supervision.models import Channel, Reminder, Subject, SupervisionOrder

SECRET = "某在查案件线索处置不及时"


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _reminder(world: World, persona: str = "liaison") -> Reminder:
    measure = world.measure_a
    return Reminder.objects.create(
        inspection=measure.inspection,
        measure=measure,
        recipient=world[persona],
        subject=Subject.MEASURE,
        kind="before_7",
        deadline=measure.deadline,
        channel=Channel.IN_APP,
    )


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _confidential_problem(world: World) -> None:
    aspect = world.measure_a.problem.aspect
    problem = Problem.objects.create(aspect=aspect, no=2, title=SECRET, confidential=True)
    Measure.objects.create(
        inspection=world.inspection_a,
        problem=problem,
        no=1,
        content="约谈相关责任人",
        kind=MeasureKind.DEADLINE,
        deadline=dt.date(2024, 3, 31),
    )


# --- one light rule ------------------------------------------------------------------------


def test_the_tree_shows_behind_plan_yellow(world: World) -> None:
    # Not started, due in 30 days, but almost all the time since feedback has gone: behind plan.
    deadline = timezone.localdate() + dt.timedelta(days=30)
    Measure.objects.filter(pk=world.measure_a.pk).update(deadline=deadline)
    client = _client(world, "liaison")
    page = client.get(reverse("web:inspection", kwargs={"pk": world.inspection_a.pk}))
    assert 'class="light yellow"' in page.content.decode()
    tree = client.get(f"/api/inspections/{world.inspection_a.pk}").json()
    lights = [m["light"] for a in tree["aspects"] for p in a["problems"] for m in p["measures"]]
    assert "yellow" in lights


def test_the_dashboard_counts_behind_plan_as_yellow(world: World) -> None:
    deadline = timezone.localdate() + dt.timedelta(days=30)
    Measure.objects.filter(pk=world.measure_a.pk).update(deadline=deadline)
    response = _client(world, "liaison").get(reverse("web:dashboard"))
    assert response.context["lights"]["yellow"] == 1


# --- reminders -----------------------------------------------------------------------------


def test_the_bell_counts_unread_reminders(world: World) -> None:
    _reminder(world)
    response = _client(world, "liaison").get(reverse("web:dashboard"))
    assert 'class="bell unread"' in response.content.decode()
    assert '<span class="count">1</span>' in response.content.decode()


def test_the_reminder_page_describes_and_marks_read(world: World) -> None:
    reminder = _reminder(world)
    client = _client(world, "liaison")
    page = client.get(reverse("web:reminders")).content.decode()
    assert "还有7天到期" in page
    response = client.post(reverse("web:reminder_read", kwargs={"pk": reminder.pk}))
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    page = client.get(reverse("web:dashboard")).content.decode()
    assert '<span class="count">0</span>' in page


def test_mark_all_read_clears_the_bell(world: World) -> None:
    _reminder(world)
    _reminder(world, "leader")
    client = _client(world, "liaison")
    assert client.post(reverse("web:reminders_read_all")).status_code == 302
    assert not Reminder.objects.filter(recipient=world["liaison"], read_at__isnull=True).exists()
    assert Reminder.objects.filter(recipient=world["leader"], read_at__isnull=True).exists()


def test_someone_elses_reminder_is_404(world: World) -> None:
    reminder = _reminder(world, "leader")
    url = reverse("web:reminder_read", kwargs={"pk": reminder.pk})
    assert _client(world, "liaison").post(url).status_code == 404


# --- escalation ----------------------------------------------------------------------------


def test_the_office_sees_the_escalation_forms_on_an_overdue_measure(world: World) -> None:
    url = reverse("web:measure", kwargs={"pk": world.measure_a.pk})
    assert "下发督办单" in _client(world, "office").get(url).content.decode()
    assert "下发督办单" not in _client(world, "liaison").get(url).content.decode()


def test_issuing_an_order_through_the_screen_writes_the_audit_event(world: World) -> None:
    reply_by = timezone.localdate() + dt.timedelta(days=7)
    url = reverse("web:order_issue", kwargs={"pk": world.measure_a.pk})
    data = {"required_action": " 立即整改并书面说明 ", "reply_by": reply_by.isoformat()}
    response = _client(world, "office").post(url, data)
    assert response.status_code == 302
    order = SupervisionOrder.objects.get(measure=world.measure_a)
    assert order.required_action == "立即整改并书面说明"
    event = AuditEvent.objects.get(action="supervision.order.issue")
    assert event.actor == world["office"]
    assert event.target_id == str(order.pk)
    orders = _client(world, "liaison").get(reverse("web:orders")).content.decode()
    assert order.number in orders


def test_an_order_with_a_past_reply_date_is_refused_with_a_message(world: World) -> None:
    url = reverse("web:order_issue", kwargs={"pk": world.measure_a.pk})
    data = {"required_action": "整改", "reply_by": "2020-01-01"}
    response = _client(world, "office").post(url, data, follow=True)
    assert "回复期限不能早于今天" in response.content.decode()
    assert not SupervisionOrder.objects.exists()


def test_recording_an_interview_through_the_screen(world: World) -> None:
    url = reverse("web:interview_record", kwargs={"pk": world.measure_a.pk})
    data = {
        "date": timezone.localdate().isoformat(),
        "people": "单位主要负责人",
        "summary": "已约谈",
    }
    assert _client(world, "office").post(url, data).status_code == 302
    assert AuditEvent.objects.filter(action="supervision.interview.record").count() == 1


def test_the_order_downloads_as_a_docx(world: World) -> None:
    url = reverse("web:order_issue", kwargs={"pk": world.measure_a.pk})
    reply_by = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    action = "请于回复期限前说明逾期原因并报送整改方案"
    _client(world, "office").post(url, {"required_action": action, "reply_by": reply_by})
    order = SupervisionOrder.objects.get()
    response = _client(world, "liaison").get(reverse("web:order_docx", kwargs={"pk": order.pk}))
    assert response.status_code == 200
    text = _docx_text(response.getvalue())
    # The document says what the office recorded, not a standard wording.
    assert order.number in text and action in text
    assert f"请于{cn_date(order.reply_by)}前将整改情况书面反馈" in text
    read = AuditEvent.objects.get(action="download.supervision_order")
    assert (read.actor, read.target_id, read.after) == (
        world["liaison"],
        str(order.pk),
        {"format": "docx"},
    )


# --- documents -----------------------------------------------------------------------------


def _download(world: World, name: str, persona: str = "liaison") -> tuple[bytes, str]:
    url = reverse(f"web:{name}", kwargs={"pk": world.inspection_a.pk})
    response = _client(world, persona).get(url)
    assert response.status_code == 200
    return response.getvalue(), response["Content-Disposition"]


def test_the_public_notice_leaves_out_confidential_problems(world: World) -> None:
    _confidential_problem(world)
    content, disposition = _download(world, "notice_docx", persona="owner")
    assert SECRET not in _docx_text(content)
    assert world.measure_a.problem.title in _docx_text(content)
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('整改情况通报')}" in disposition.replace(
        quote(world.inspection_a.unit.name), ""
    )


def test_the_reports_are_valid_docx_for_the_office(world: World) -> None:
    _confidential_problem(world)
    report, _ = _download(world, "report_docx")
    assert SECRET in _docx_text(report)  # the office's report covers every problem
    leader, _ = _download(world, "leader_report_docx")
    assert "主要负责人" in _docx_text(leader)


def test_the_archive_catalogue_is_a_valid_workbook(world: World) -> None:
    content, disposition = _download(world, "archive_xlsx", persona="office")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert "归档文件目录" in str(sheet["A1"].value)
    assert disposition.endswith(f"{quote('归档文件目录')}.xlsx")


def test_an_owner_gets_the_notice_but_not_the_reports(world: World) -> None:
    client = _client(world, "owner")
    kwargs = {"pk": world.inspection_a.pk}
    assert client.get(reverse("web:report_docx", kwargs=kwargs)).status_code == 403
    page = client.get(reverse("web:inspection", kwargs=kwargs)).content.decode()
    assert reverse("web:notice_docx", kwargs=kwargs) in page
    assert reverse("web:report_docx", kwargs=kwargs) not in page
