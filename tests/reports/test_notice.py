"""The public 整改情况通报: the seed round-trips; confidential problems never appear."""

from __future__ import annotations

import io
from typing import Any

from tests.reports.conftest import SECRET, World, docx_bytes
from zhenggai.ledger import access
from zhenggai.ledger.models import Aspect, Inspection, Problem
from zhenggai.notice import Notice, parse, read
from zhenggai.reports.documents import notice_document_for
from zhenggai.reports.ledger import public_notice
from zhenggai.reports.notice import notice_document


def _tree(notice: Notice) -> list[object]:
    return [
        (
            len(aspect.problems),
            [
                [
                    [(d.start, d.end) for d in m.dates if d.precision == "day"]
                    for m in problem.measures
                ]
                for problem in aspect.problems
            ],
        )
        for aspect in notice.aspects
    ]


def test_the_seed_notice_read_back_gives_the_seed_tree(seed_notice: Notice) -> None:
    data = docx_bytes(notice_document(seed_notice))
    again = parse(read(data, filename="通报.docx"))
    assert len(again.aspects) == len(seed_notice.aspects) == 4
    assert len(again.measures()) == len(seed_notice.measures()) == 31
    assert _tree(again) == _tree(seed_notice)
    assert again.inspection == seed_notice.inspection
    assert again.contacts == seed_notice.contacts
    assert (again.issuer, again.title) == (seed_notice.issuer, seed_notice.title)


def test_the_whole_seed_notice_survives_the_round_trip(seed_notice: Notice) -> None:
    again = parse(read(docx_bytes(notice_document(seed_notice)), filename="通报.docx"))
    assert again.to_dict() == seed_notice.to_dict()


def test_a_confidential_problem_is_absent_from_the_public_notice(filled: Inspection) -> None:
    data = docx_bytes(notice_document_for(filled))
    text = read(data, filename="通报.docx")
    assert SECRET not in text
    assert "配合纪检机关核查" not in text
    assert "学习贯彻党的二十大精神不够深入" in text
    notice = parse(text)
    assert [len(a.problems) for a in notice.aspects] == [1]


def test_the_public_notice_tells_what_was_done_and_how_to_supervise(filled: Inspection) -> None:
    notice = public_notice(filled)
    first = notice.aspects[0].problems[0].measures[0]
    assert first.text.endswith("已完成整改。")  # the ledger's status, not its progress notes
    assert "请销假制度" not in first.text
    text = read(docx_bytes(notice_document_for(filled)), filename="通报.docx")
    assert "2023年10月13日至11月17日，区委第一巡察组对我单位开展了巡察" in text
    assert "联系方式：电话0371-22786227；电子信箱kfsltqkx@163.com。" in text


def test_numbers_close_up_so_gaps_do_not_betray_withheld_problems(filled: Inspection) -> None:
    aspect = filled.aspects.get()
    Problem.objects.create(aspect=aspect, no=3, title="公开的第三个问题")
    hidden = Aspect.objects.create(inspection=filled, no=2, title="全部不予公开的方面")
    Problem.objects.create(aspect=hidden, no=1, title="不予公开", confidential=True)
    Aspect.objects.create(inspection=filled, no=3, title="第三个方面")
    Problem.objects.create(aspect=filled.aspects.get(no=3), no=1, title="公开问题")
    notice = public_notice(filled)
    assert [(a.no, a.title) for a in notice.aspects] == [(1, aspect.title), (2, "第三个方面")]
    assert [p.no for p in notice.aspects[0].problems] == [1, 2]


def test_the_notice_document_needs_no_database(seed_notice: Notice) -> None:
    buffer = io.BytesIO()
    notice_document(seed_notice).save(buffer)
    assert buffer.getvalue()[:2] == b"PK"


def test_the_public_notice_reads_the_ledger_in_a_fixed_number_of_queries(
    filled: Inspection, world: World, django_assert_num_queries: Any
) -> None:
    inspection = access.get_inspection_for(world["office"], filled.pk)
    with django_assert_num_queries(2):  # problems with aspects, then their measures
        public_notice(inspection)
