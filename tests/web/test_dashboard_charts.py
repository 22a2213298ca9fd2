"""The dashboard's charts, tables, filters and Excel export, on a known ledger.

Today is 2024-06-15 (Shanghai); feedback was on 2023-12-26. Unit A (区科协) has six measures:

  measure_a    aspect 一  closed out 2024-03-10                              green
  measure_a2   aspect 一  整改中, due 2024-06-05 (10 days overdue)             red
  a3           aspect 二  未开始, due 2024-05-01 (45 days overdue)             red
  a4           aspect 二  未开始, due 2024-06-18                              yellow
  a5           aspect 二  closed out 05-20, reopened 05-25, closed again 06-02 green
  a6           aspect 二  已提交待验收, due 2024-04-01                        red (0 days overdue:
                                                                              the office owes it)
Unit B (区文旅局) has one: measure_b, 未开始, due 2024-01-01 (166 days overdue), red.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.ledger.conftest import World
from tests.supervision.conftest import at
from zhenggai.ledger import actions
from zhenggai.ledger.models import Aspect, Measure, MeasureKind, MeasureStatus, Problem
from zhenggai.reports.ledger import overdue_days
from zhenggai.web import charts

TODAY = dt.date(2024, 6, 15)
B_SECRET = "文旅局专属问题：场馆长期闲置"
B_MEASURE = "清理闲置场馆并制定盘活方案"
SHEETS = ["按单位", "按方面", "逾期账龄", "整改进度", "风险清单"]


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with at(TODAY, hour=10):
        yield


def _add(world: World, no: int, deadline: dt.date, aspect_no: int = 2) -> Measure:
    aspect, _ = Aspect.objects.get_or_create(
        inspection=world.inspection_a, no=aspect_no, defaults={"title": "作风建设方面"}
    )
    problem, _ = Problem.objects.get_or_create(
        aspect=aspect, no=1, defaults={"title": "形式主义官僚主义问题"}
    )
    return Measure.objects.create(
        inspection=world.inspection_a,
        problem=problem,
        no=no,
        content=f"第{no}项措施：整治文山会海",
        kind=MeasureKind.DEADLINE,
        deadline=deadline,
    )


def _close(world: World, measure: Measure, day: dt.date) -> Measure:
    with at(day):
        if measure.status == MeasureStatus.NOT_STARTED:
            actions.start_work(measure, by=world["liaison"])
        if not measure.evidence.exists():
            actions.add_evidence(measure, by=world["liaison"], title="党组会议纪要")
        actions.submit_for_closure(measure, by=world["liaison"])
        return actions.verify_and_close_out(measure, by=world["office"])


def _set(measure: Measure, **fields: Any) -> None:
    Measure.objects.filter(pk=measure.pk).update(**fields)


@pytest.fixture
def ledger(world: World) -> World:
    _close(world, world.measure_a, dt.date(2024, 3, 10))
    _set(world.measure_a2, deadline=dt.date(2024, 6, 5))
    actions.start_work(world.measure_a2, by=world["liaison"])
    _add(world, 3, dt.date(2024, 5, 1))
    _add(world, 4, dt.date(2024, 6, 18))
    a5 = _close(world, _add(world, 5, dt.date(2024, 7, 31)), dt.date(2024, 5, 20))
    with at(dt.date(2024, 5, 25)):
        a5 = actions.reopen(a5, by=world["office"], reason="回头看发现问题反弹")
    _close(world, a5, dt.date(2024, 6, 2))
    a6 = _add(world, 6, dt.date(2024, 4, 1))
    actions.start_work(a6, by=world["liaison"])
    actions.add_evidence(a6, by=world["liaison"], title="整改报告")
    actions.submit_for_closure(a6, by=world["liaison"])
    _set(world.measure_b, deadline=dt.date(2024, 1, 1), content=B_MEASURE)
    Problem.objects.filter(pk=world.measure_b.problem_id).update(title=B_SECRET, text=B_SECRET)
    return world


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _board(world: World, persona: str, query: str = "") -> charts.Dashboard:
    response = _client(world, persona).get(reverse("web:dashboard") + query)
    assert response.status_code == 200
    return response.context["board"]


def _table(board: charts.Dashboard, name: str) -> list[list[Any]]:
    return next(rows for sheet, _header, rows in charts.sheets(board) if sheet == name)


# --- the figures ---------------------------------------------------------------------------


def test_it_counts_measures_by_unit_and_status(ledger: World) -> None:
    board = _board(ledger, "office")
    assert _table(board, "按单位") == [
        ["区文旅局", 1, 0, 0, 0, 0, 0, 1, 0, 0.0],
        ["区科协", 2, 1, 1, 0, 0, 2, 6, 2, 33.3],
    ]
    assert [n for _s, _label, n in board.by_status] == [3, 1, 1, 0, 0, 2]
    assert board.lights == {"red": 4, "yellow": 1, "green": 2, "total": 7}


def test_it_counts_measures_by_aspect_named_by_inspection_when_several(ledger: World) -> None:
    rows = _table(_board(ledger, "office"), "按方面")
    assert [row[1:7] for row in rows] == [
        [1, 0, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 1],
        [2, 0, 1, 0, 0, 1],
    ]
    assert rows[0][0].endswith("区文旅局：一、政治引领不突出方面")
    assert rows[2][0] == "十四届区委第五轮巡察 · 区科协：二、作风建设方面"
    # One inspection in view: the aspects as the notice numbers them.
    rows = _table(_board(ledger, "liaison"), "按方面")
    assert [row[0] for row in rows] == ["一、政治引领不突出方面", "二、作风建设方面"]


def test_the_aspect_chart_tells_inspections_apart_in_its_short_labels(ledger: World) -> None:
    """Cut to the axis's width, every label would begin with the same round's name; the short
    labels begin with what differs (here the unit, both inspections being of one round)."""
    figures = _board(ledger, "office").chart_data()["aspects"]
    assert figures["short"][0] == "区文旅局·一、政治引领不突出方面"
    assert figures["short"][2] == "区科协·二、作风建设方面"
    assert len({label[:6] for label in figures["short"]}) > 1
    # One inspection in view: nothing to tell apart, the short label is the label.
    figures = _board(ledger, "liaison").chart_data()["aspects"]
    assert figures["short"] == figures["labels"] == ["一、政治引领不突出方面", "二、作风建设方面"]


def test_overdue_aging_follows_overdue_days(ledger: World) -> None:
    board = _board(ledger, "office")
    assert _table(board, "逾期账龄") == [
        ["逾期30天以内", 1],
        ["逾期31至90天", 1],
        ["逾期90天以上", 1],
    ]
    # The same buckets as the report's helper gives, measure by measure.
    days = [overdue_days(m, TODAY) for m in Measure.objects.all()]
    assert sorted(d for d in days if d) == [10, 45, 166]


def test_progress_counts_each_closed_measure_once_by_its_last_close_out(ledger: World) -> None:
    rows = _table(_board(ledger, "office"), "整改进度")
    assert [row[0] for row in rows] == [f"{m:%Y-%m}" for m in _months("2023-12", 7)]
    assert [row[1] for row in rows] == [0, 0, 0, 1, 0, 0, 1]
    assert [row[2] for row in rows] == [0, 0, 0, 1, 1, 1, 2]
    assert {row[3] for row in rows} == {7}
    assert rows[-1][4] == round(200 / 7, 1)


def _months(first: str, n: int) -> list[dt.date]:
    year, month = map(int, first.split("-"))
    return [dt.date(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1, 1) for i in range(n)]


def test_the_at_risk_list_is_red_then_yellow_worst_first(ledger: World) -> None:
    page = _client(ledger, "office").get(reverse("web:dashboard"))
    rows = page.context["board"].at_risk
    assert [(r.light, r.measure.deadline, r.overdue_days) for r in rows] == [
        ("red", dt.date(2024, 1, 1), 166),
        ("red", dt.date(2024, 4, 1), 0),
        ("red", dt.date(2024, 5, 1), 45),
        ("red", dt.date(2024, 6, 5), 10),
        ("yellow", dt.date(2024, 6, 18), 0),
    ]
    html = page.content.decode()
    for row in rows:
        assert reverse("web:measure", kwargs={"pk": row.measure.pk}) in html


def test_every_chart_has_a_data_table_and_the_script_reads_the_same_figures(
    ledger: World,
) -> None:
    response = _client(ledger, "office").get(reverse("web:dashboard"))
    html = response.content.decode()
    for chart in ("units", "aspects", "aging", "progress"):
        assert f'id="chart-{chart}"' in html
        assert f'id="table-{chart}"' in html
    assert html.count("<details>") == 4
    # The figures are in the page itself, readable without the script.
    assert '<th scope="col">完成率（%）</th>' in html
    cells = "".join(f"<td>{n}</td>" for n in (2, 1, 1, 0, 0, 2, 6, 2, 33.3))
    assert f'<th scope="row">区科协</th>{cells}' in html
    assert '<th scope="row">逾期31至90天</th><td>1</td>' in html
    board = response.context["board"]
    block = html.split('<script id="dashboard-data" type="application/json">', 1)[1]
    data = json.loads(block.split("</script>", 1)[0])
    assert data == json.loads(json.dumps(board.chart_data()))
    assert data["units"]["labels"] == ["区文旅局", "区科协"]
    assert data["aging"]["values"] == [1, 1, 1]
    assert data["progress"]["cumulative"][-1] == 2


def test_the_page_loads_echarts_from_the_package_without_inline_scripts(ledger: World) -> None:
    html = _client(ledger, "office").get(reverse("web:dashboard")).content.decode()
    assert 'src="/static/zhenggai/vendor/echarts/echarts.min.js"' in html
    assert 'src="/static/zhenggai/dashboard.js"' in html
    assert "http://" not in html
    assert "https://" not in html
    scripts = html.split("<script")[1:]
    # Only script files and the JSON data block: nothing a CSP without 'unsafe-inline' blocks.
    inline = [s for s in scripts if " src=" not in s.split(">", 1)[0]]
    assert all('type="application/json"' in s.split(">", 1)[0] for s in inline)


def test_an_empty_ledger_shows_no_charts_and_says_so(world: World) -> None:
    html = _client(world, "far_office").get(reverse("web:dashboard")).content.decode()
    assert 'id="chart-units"' not in html
    assert "暂无数据。" in html


# --- scoping and filters -------------------------------------------------------------------


def test_a_unit_liaison_sees_only_their_unit(ledger: World) -> None:
    response = _client(ledger, "liaison").get(reverse("web:dashboard"))
    board = response.context["board"]
    assert [row[0] for row in _table(board, "按单位")] == ["区科协"]
    assert board.lights == {"red": 3, "yellow": 1, "green": 2, "total": 6}
    assert _table(board, "逾期账龄") == [
        ["逾期30天以内", 1],
        ["逾期31至90天", 1],
        ["逾期90天以上", 0],
    ]
    assert [c.label for c in board.options.units] == ["区科协"]
    html = response.content.decode()
    for leak in ("区文旅局", "龙亭区文化广电和旅游局", B_SECRET, B_MEASURE):
        assert leak not in html


def test_another_units_filter_shows_nothing_of_it(ledger: World) -> None:
    for query in (
        f"?unit={ledger.unit_b.pk}",
        f"?inspection={ledger.inspection_b.pk}",
        f"?unit={ledger.unit_a.pk}&inspection={ledger.inspection_b.pk}",
    ):
        response = _client(ledger, "liaison").get(reverse("web:dashboard") + query)
        board = response.context["board"]
        assert board.total == 0
        assert board.at_risk == []
        assert board.lights["total"] == 0
        html = response.content.decode()
        for leak in ("区文旅局", B_SECRET, B_MEASURE):
            assert leak not in html
    assert "所选范围不存在或无权查看" in html


def test_an_office_filters_by_unit_round_and_inspection(ledger: World) -> None:
    board = _board(ledger, "office", f"?unit={ledger.unit_b.pk}")
    assert [row[0] for row in _table(board, "按单位")] == ["区文旅局"]
    assert [r.measure.pk for r in board.at_risk] == [ledger.measure_b.pk]
    board = _board(
        ledger, "office", f"?round={ledger.round.pk}&inspection={ledger.inspection_a.pk}"
    )
    assert board.total == 6
    assert board.scope_label == "轮次：十四届区委第五轮巡察；巡察：十四届区委第五轮巡察 · 区科协"
    # A filter's progress starts at the feedback of the inspections left in view.
    assert _table(board, "整改进度")[0][0] == "2023-12"


@pytest.mark.parametrize(
    "query",
    ["?unit=abc", "?round=-1", "?unit=999999", "?inspection=" + "9" * 40, "?unit=１", "?round=1.5"],
)
def test_invalid_or_unknown_filters_give_an_empty_view(ledger: World, query: str) -> None:
    client = _client(ledger, "office")
    response = client.get(reverse("web:dashboard") + query)
    assert response.status_code == 200
    assert response.context["board"].total == 0
    assert "所选范围不存在或无权查看" in response.content.decode()
    assert client.get(reverse("web:dashboard_xlsx") + query).status_code == 200


# --- the export ----------------------------------------------------------------------------


def _workbook(client: Client, query: str = "") -> Any:
    response = client.get(reverse("web:dashboard_xlsx") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("persona", ["office", "liaison"])
@pytest.mark.parametrize("query", ["", "?unit={a}", "?unit={b}"])
def test_the_export_holds_exactly_the_figures_of_the_page(
    ledger: World, persona: str, query: str
) -> None:
    query = query.format(a=ledger.unit_a.pk, b=ledger.unit_b.pk)
    client = _client(ledger, persona)
    board = client.get(reverse("web:dashboard") + query).context["board"]
    book = _workbook(client, query)
    assert book.sheetnames == SHEETS
    for name, header, rows in charts.sheets(board):
        sheet = book[name]
        assert sheet.cell(1, 1).value.startswith("统计范围：")
        found = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert found[0] == header
        assert found[1:] == [[_cell(v) for v in row] for row in rows]


def _cell(value: Any) -> Any:
    return None if value == "" else value


def test_the_export_follows_the_filter_and_leaks_no_other_unit(ledger: World) -> None:
    book = _workbook(_client(ledger, "liaison"), f"?unit={ledger.unit_b.pk}")
    text = " ".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
    )
    for leak in ("区文旅局", B_SECRET, B_MEASURE):
        assert leak not in text
    assert book["风险清单"].max_row == 2  # caption and header only
    book = _workbook(_client(ledger, "office"))
    risk = [r for r in book["风险清单"].iter_rows(min_row=3, values_only=True)]
    assert [r[0] for r in risk] == ["逾期", "逾期", "逾期", "逾期", "临期"]
    assert risk[0][1:3] == ("区文旅局", B_MEASURE)


def test_the_export_link_carries_the_filter(ledger: World) -> None:
    query = f"?unit={ledger.unit_a.pk}&round={ledger.round.pk}&extra=1"
    html = _client(ledger, "office").get(reverse("web:dashboard") + query).content.decode()
    expected = f"/dashboard.xlsx?round={ledger.round.pk}&amp;unit={ledger.unit_a.pk}"
    assert f'href="{expected}"' in html


def test_text_that_looks_like_a_formula_stays_text(ledger: World) -> None:
    _set(ledger.measure_a2, content='=HYPERLINK("http://x","y")')
    book = _workbook(_client(ledger, "office"))
    contents = [r[2] for r in book["风险清单"].iter_rows(min_row=3, values_only=True)]
    assert '=HYPERLINK("http://x","y")' in contents
    assert book["风险清单"]["C6"].data_type == "s"
