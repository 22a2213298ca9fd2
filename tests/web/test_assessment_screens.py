"""The review, look-back and effectiveness screens (``web/views_assessment.py``).

Access per persona is in ``test_access_matrix.py``; here: what the screens show and write.
"""

from __future__ import annotations

import io
from importlib import resources

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from tests.assessment.conftest import ROUND_2020, ROUND_2024, build_notice
from tests.ledger.conftest import World
from zhenggai.assessment.models import LinkState, ProblemLink
from zhenggai.ledger.importing import confirm_notice_import
from zhenggai.ledger.models import AuditEvent, Inspection, InspectionRound, Measure, Unit
from zhenggai.notice import parse
from zhenggai.web.transfer import SESSION_KEY

SEED = resources.files("zhenggai.ledger").joinpath("demo_data/longting-kexie-2024.txt")


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _confirm_through_the_screen(
    client: Client, unit: Unit, round_name: str, aspects: dict[str, list[str]], feedback: str
) -> Inspection:
    """The confirm step of the import screen, with the previewed notice in the session."""
    world_round = InspectionRound.objects.first()
    assert world_round is not None
    round = InspectionRound.objects.create(region_id=world_round.region_id, name=round_name)
    session = client.session
    session[SESSION_KEY] = {
        "token": "t",
        "notice": build_notice(aspects, feedback).to_dict(),
        "unit": unit.pk,
        "round": round.pk,
        "group": Inspection.objects.values_list("group_id", flat=True).first(),
    }
    session.save()
    response = client.post(reverse("web:notice_import_confirm"), {"token": "t"})
    assert response.status_code == 302
    return Inspection.objects.get(round=round)


@pytest.fixture
def two_rounds(world: World) -> tuple[Inspection, Inspection]:
    office = _as(world, "office")
    unit = Unit.objects.create(region=world.district, name="龙亭区农业农村局")
    first = _confirm_through_the_screen(office, unit, "第三轮", ROUND_2020, "2020-06-30")
    second = _confirm_through_the_screen(office, unit, "第五轮", ROUND_2024, "2024-06-30")
    return first, second


def _link_titles(inspection: Inspection) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for link in ProblemLink.objects.filter(problem__aspect__inspection=inspection):
        found.setdefault(link.problem.title, set()).add(link.earlier.title)
    return found


def test_importing_two_rounds_through_the_screen_links_the_repeat(
    world: World, two_rounds: tuple[Inspection, Inspection]
) -> None:
    first, second = two_rounds
    linked = _link_titles(second)
    assert "会议记录不规范" in linked["党组会议记录不完整、不规范"]
    assert "意识形态工作不扎实" in linked["落实意识形态工作责任制不到位"]
    assert "安全生产风险排查不到位" not in linked
    assert not _link_titles(first)
    assert AuditEvent.objects.filter(action="lookback.link", actor=world["office"]).exists()


def test_the_office_sees_the_repeats_with_buttons_and_the_observer_without(
    world: World, two_rounds: tuple[Inspection, Inspection]
) -> None:
    url = reverse("web:lookback_panel", kwargs={"pk": two_rounds[1].pk})
    office = _as(world, "office").get(url).content.decode()
    observer = _as(world, "observer").get(url).content.decode()
    assert "会议记录不规范" in office and "第三轮" in office
    assert "确认" in office and "否定" in office
    assert "会议记录不规范" in observer and "<button" not in observer


def _link(inspection: Inspection) -> ProblemLink:
    link = ProblemLink.objects.filter(problem__aspect__inspection=inspection).first()
    assert link is not None
    return link


def test_confirming_a_link_is_audited(
    world: World, two_rounds: tuple[Inspection, Inspection]
) -> None:
    link = _link(two_rounds[1])
    url = reverse("web:link_confirm", kwargs={"pk": link.pk})
    response = _as(world, "office").post(url, {"kind": "repeat", "reason": "同一问题"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.state, link.reason) == (LinkState.CONFIRMED, "同一问题")
    event = AuditEvent.objects.get(action="lookback.confirmed")
    assert event.actor == world["office"] and event.after["state"] == "confirmed"


def test_rejecting_a_link_is_audited(
    world: World, two_rounds: tuple[Inspection, Inspection]
) -> None:
    link = _link(two_rounds[1])
    response = _as(world, "office").post(reverse("web:link_reject", kwargs={"pk": link.pk}))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.state == LinkState.REJECTED
    assert AuditEvent.objects.filter(action="lookback.rejected", actor=world["office"]).exists()


def test_the_group_may_not_decide_a_link(
    world: World, two_rounds: tuple[Inspection, Inspection]
) -> None:
    link = _link(two_rounds[1])
    url = reverse("web:link_confirm", kwargs={"pk": link.pk})
    assert _as(world, "group").post(url).status_code == 403
    assert not AuditEvent.objects.filter(action="lookback.confirmed").exists()


def test_the_status_table_is_shown_overridden_and_downloaded(
    world: World, two_rounds: tuple[Inspection, Inspection]
) -> None:
    first, second = two_rounds
    office = _as(world, "office")
    url = reverse("web:prior_status", kwargs={"pk": second.pk})
    assert "公务用车管理不规范" in office.get(url).content.decode()
    problem = first.aspects.get(no=1).problems.get(no=3)
    data = {"problem": problem.pk, "status": "no_longer_valid", "reason": "车辆已全部上交"}
    assert office.post(url, data).status_code == 302
    assert AuditEvent.objects.filter(action="lookback.prior_status").exists()
    assert "车辆已全部上交" in office.get(url).content.decode()
    download = office.get(reverse("web:prior_status_xlsx", kwargs={"pk": second.pk}))
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None
    assert any("车辆已全部上交" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_the_office_assesses_with_manual_points_and_downloads_the_sheet(
    world: World, two_rounds: tuple[Inspection, Inspection]
) -> None:
    office = _as(world, "office")
    pk = two_rounds[1].pk
    response = office.post(reverse("web:assessment", kwargs={"pk": pk}), {"D1": "9"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="assessment.assess").exists()
    page = office.get(reverse("web:assessment", kwargs={"pk": pk})).content.decode()
    assert "群众满意度测评" in page and "9.0" in page
    xlsx = office.get(reverse("web:assessment_xlsx", kwargs={"pk": pk}))
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).active is not None
    docx = office.get(reverse("web:assessment_docx", kwargs={"pk": pk}))
    assert "整改评估表" in Document(io.BytesIO(docx.content)).paragraphs[0].text
    reads = AuditEvent.objects.filter(actor=world["office"], action__contains=".assessment")
    assert sorted(reads.values_list("action", flat=True)) == [
        "download.assessment",
        "export.assessment",
    ]


def test_a_download_before_any_assessment_goes_back_to_the_sheet(world: World) -> None:
    url = reverse("web:assessment_xlsx", kwargs={"pk": world.inspection_a.pk})
    response = _as(world, "office").get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:assessment", kwargs={"pk": world.inspection_a.pk})


@pytest.fixture
def seed_inspection(world: World) -> Inspection:
    notice = parse(SEED.read_text(encoding="utf-8"))
    return confirm_notice_import(
        notice, by=world["office"], unit=world.unit_a, round=world.round, group=world.group
    )


def _pending_measure(inspection: Inspection) -> Measure:
    return Measure.objects.get(inspection=inspection, problem__aspect__no=1, problem__no=3, no=1)


def test_the_review_shows_the_seeds_pending_measure_as_not_done(
    world: World, seed_inspection: Inspection
) -> None:
    url = reverse("web:inspection_review", kwargs={"pk": seed_inspection.pk})
    response = _as(world, "office").get(url)
    problem = next(p for p in response.context["problems"] if (p.view.aspect, p.view.no) == (1, 3))
    measure = next(m for m in problem.measures if m.view.no == 1)
    assert "pending" in {f.rule for f in measure.findings}
    assert measure.pk == _pending_measure(seed_inspection).pk
    page = response.content.decode()
    assert "未完成" in page and "<mark>有待审核中</mark>" in page


def test_a_dated_measure_with_outputs_is_not_flagged(
    world: World, seed_inspection: Inspection
) -> None:
    url = reverse("web:inspection_review", kwargs={"pk": seed_inspection.pk})
    problems = _as(world, "observer").get(url).context["problems"]
    problem = next(p for p in problems if (p.view.aspect, p.view.no) == (2, 4))
    # 措施不对题 (info) fires on the notice too: the title 工作要求不高 shares no word with it.
    assert {f.severity.value for f in problem.measures[0].findings} <= {"info"}


def test_the_measure_page_shows_its_findings_to_the_office_not_the_unit(
    world: World, seed_inspection: Inspection
) -> None:
    url = reverse("web:measure", kwargs={"pk": _pending_measure(seed_inspection).pk})
    office = _as(world, "office").get(url).content.decode()
    liaison = _as(world, "liaison").get(url).content.decode()
    assert "整改审查" in office and "未完成" in office and "举一反三" in office
    assert "整改审查" not in liaison


def test_the_office_finds_the_same_problem_in_other_units(world: World) -> None:
    url = reverse("web:problem_similar", kwargs={"pk": world.measure_a.problem.pk})
    page = _as(world, "office").get(url).content.decode()
    assert "区文旅局" in page and "1.00" in page
