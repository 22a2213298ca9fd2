"""notice.formats: Markdown, the Excel ledger and notice text, from a Notice built by hand."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from markdown_it import MarkdownIt

from zhenggai.notice.formats import render_text, to_markdown, write_xlsx
from zhenggai.notice.model import (
    Aspect,
    Contacts,
    DateMention,
    Entities,
    Inspection,
    Measure,
    Notice,
    Problem,
    Stated,
)

# Measures as the seed prints them (aspect 二 and the implicit problem of aspect 四).
PARTY_RULES = (
    "区科协党组于2024年1月8日召开党组会，研究制定《龙亭区科学技术协会党风廉政建设工作实施方案》，"
    "制定2024年廉政风险台账，指定专人为会议记录人，规范谈心谈话内容。"
)
MAJOR_DECISIONS = (
    "截至2024年3月22日，“三重一大”共上会2次，研究大额支出，对于涉及单位重大事项决策、"
    "重要项目安排、大额资金的使用，党组做到了事前沟通，事中充分讨论，事后通报详细情况。"
)
LAST_SPEAKS = (
    "严格履行“末位表态”和民主集中制度，“一把手”在党组成员充分发表意见的基础上，发表个人意见和观点。"
)
COMMENDATIONS = (
    "2023年推荐市级优秀科普工作者工作，做到了充分考虑区科协成员单位，例如两乡四办、区教体局、"
    "区卫健委、区科工局、区农业农村局，其中3个先进集体表彰分配给午朝门社区、北郊乡、柳园口乡，"
    "占比总额的60%，3个先进工作者表彰分配给基层工作人员，占比总额的40%；2024年3月25日市科协"
    "下发了汴科协文〔2024〕6号《关于表扬2023年度全市科协系统先进集体和先进工作者的通知》。"
)
LOOK_BACK = (
    "2020年4月10日-5月31日，区委巡察组对区科协开展了巡察，反馈了五个方面21条问题，"
    "本轮巡察回头看发现该单位对上轮整改情况相关材料没有及时归档，在党风廉政建设、文档管理、"
    "会议记录、财务等方面未整改到位，存在边改边犯现象"
)
CLAIM_EACH = (
    "提高政治站位，对于本轮巡察回头看发现的问题，逐条认领，"
    "对未整改到位的问题进行重新分析，找出原因，立即整改。"
)
PLAN_MEETING = (
    "区科协党组于2023年12月27日召开巡察整改专题党组会议，制定整改方案，"
    "明确整改内容、责任人、时间节点，确保整改情况有效性和可行性。"
)


def _day(text: str, iso: str) -> DateMention:
    return DateMention(text, iso, iso, "day")


def _sample() -> Notice:
    """Two aspects of the seed: 二 with two problems, 四 with its implicit problem."""
    return Notice(
        title="关于巡察整改情况的通报",
        issuer="中共开封市龙亭区科协党组",
        inspection=Inspection("区委第一巡察组", "2023-10-13", "2023-11-17", "2023-12-26"),
        basis=["《中国共产党巡视工作条例》"],
        aspects=[
            Aspect(
                2,
                "履行全面从严治党责任夯的不实，工作不扎实",
                [
                    Problem(
                        1,
                        "管党治党压力传导不够",
                        measures=[
                            Measure(
                                3,
                                PARTY_RULES,
                                [
                                    _day("2024年1月8日", "2024-01-08"),
                                    DateMention("2024年", "2024-01-01", "2024-12-31", "year"),
                                ],
                                Entities(
                                    documents=["《龙亭区科学技术协会党风廉政建设工作实施方案》"]
                                ),
                            )
                        ],
                    ),
                    Problem(
                        2,
                        "民主决策流于形式",
                        measures=[
                            Measure(
                                1,
                                MAJOR_DECISIONS,
                                [DateMention("截至2024年3月22日", None, "2024-03-22", "day")],
                            ),
                            Measure(2, LAST_SPEAKS),
                            Measure(
                                3,
                                COMMENDATIONS,
                                [
                                    DateMention("2023年", "2023-01-01", "2023-12-31", "year"),
                                    _day("2024年3月25日", "2024-03-25"),
                                ],
                                Entities(
                                    documents=[
                                        "关于表扬2023年度全市科协系统先进集体和先进工作者的通知"
                                    ],
                                    doc_numbers=["汴科协文〔2024〕6号"],
                                ),
                            ),
                        ],
                    ),
                ],
            ),
            Aspect(
                4,
                "对巡察发现的问题整改不到位",
                [
                    Problem(
                        1,
                        LOOK_BACK,
                        implicit=True,
                        measures=[
                            Measure(1, CLAIM_EACH),
                            Measure(2, PLAN_MEETING, [_day("2023年12月27日", "2023-12-27")]),
                        ],
                    )
                ],
            ),
        ],
        contacts=Contacts(phones=["0371-22786227"], emails=["kfsltqkx@163.com"]),
    )


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_headings_follow_the_tree() -> None:
    headings = [line for line in to_markdown(_sample()).splitlines() if line.startswith("#")]
    assert headings == [
        "# 中共开封市龙亭区科协党组关于巡察整改情况的通报",
        "## 二、履行全面从严治党责任夯的不实，工作不扎实",
        "### （一）管党治党压力传导不够",
        "### （二）民主决策流于形式",
        "## 四、对巡察发现的问题整改不到位",
        "## 联系方式",
    ]


def test_markdown_has_the_inspection_header_as_a_table() -> None:
    markdown = to_markdown(_sample())
    assert (
        "| 项目 | 内容 |\n| --- | --- |\n"
        "| 巡察组 | 区委第一巡察组 |\n"
        "| 巡察时间 | 2023-10-13 至 2023-11-17 |\n"
        "| 反馈时间 | 2023-12-26 |\n"
        "| 依据 | 《中国共产党巡视工作条例》 |\n"
    ) in markdown


def test_markdown_numbers_measures_with_their_dates_below() -> None:
    lines = to_markdown(_sample()).splitlines()
    assert f"3. {PARTY_RULES}\\" in lines
    assert "   日期：2024-01-08、2024-01-01至2024-12-31" in lines
    assert f"1. {MAJOR_DECISIONS}\\" in lines
    assert "   日期：截至2024-03-22" in lines
    # A measure without dates has no facts line: its text ends the item.
    assert lines[lines.index(f"2. {LAST_SPEAKS}") + 1].startswith("3. ")


def test_markdown_shows_an_implicit_problem_as_a_paragraph() -> None:
    blocks = to_markdown(_sample()).split("\n\n")
    aspect = blocks.index("## 四、对巡察发现的问题整改不到位")
    assert blocks[aspect + 1] == LOOK_BACK
    assert blocks[aspect + 2].startswith(f"1. {CLAIM_EACH}\n2. {PLAN_MEETING}\\\n")


def test_markdown_is_commonmark_with_the_tree_as_its_structure() -> None:
    html = MarkdownIt("commonmark").enable("table").render(to_markdown(_sample()))
    assert html.count("<h2>") == 3
    assert html.count("<h3>") == 2
    assert html.count("<ol") == 3
    assert '<ol start="3">' in html
    assert html.count("<li>") == 6 + 2  # measures and contacts
    assert "<table>" in html
    assert html.count("<br />") == 4  # the measures with dates


def test_markdown_states_status_and_totals_when_the_notice_does() -> None:
    notice = _sample()
    notice.aspects[1].problems[0].measures[1].status = "已完成"
    notice.stated = Stated(aspects=4, problems=37, measures=195, done=34, rate_percent=76.0)
    markdown = to_markdown(notice)
    assert "   日期：2023-12-27；状态：已完成" in markdown.splitlines()
    assert (
        "**通报所述总数**：巡察反馈4个方面37个问题，制定195项整改措施，已整改完成34个，整改完成率76%"
        in markdown
    )
    assert "通报所述" not in to_markdown(_sample())


def test_markdown_escapes_markup_but_not_chinese() -> None:
    measure = Measure(1, "- 按<附表>填写*重点*[附件]，完成率100%。")
    problem = Problem(1, "1.问题", implicit=True, measures=[measure])
    notice = Notice(aspects=[Aspect(1, "方面", [problem])])
    markdown = to_markdown(notice)
    assert "1. \\- 按\\<附表\\>填写\\*重点\\*\\[附件\\]，完成率100%。" in markdown
    assert "\n1\\.问题\n" in markdown
    html = MarkdownIt("commonmark").render(markdown)
    assert "<em>" not in html
    assert "&lt;附表&gt;" in html
    assert html.count("<li>") == 1


def test_markdown_without_a_title_says_so() -> None:
    assert to_markdown(Notice()) == "# （标题未识别）\n"


# --- Excel --------------------------------------------------------------------------------

HEADER = ["序号", "方面", "具体问题", "整改措施", "日期", "状态", "文件", "文号"]


def _ledger(notice: Notice, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "台账.xlsx"
    write_xlsx(notice, path)
    return openpyxl.load_workbook(path)


def _values(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def test_the_ledger_sheet_has_a_bold_frozen_header(tmp_path: Path) -> None:
    book = _ledger(_sample(), tmp_path)
    assert book.sheetnames == ["整改措施", "概要"]
    sheet = book["整改措施"]
    assert _values(sheet)[0] == HEADER
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width >= 50
    assert sheet["D2"].alignment.wrap_text


def test_the_ledger_has_one_row_per_measure_in_the_right_columns(tmp_path: Path) -> None:
    rows = _values(_ledger(_sample(), tmp_path)["整改措施"])[1:]
    aspect_2, aspect_4 = (
        "二、履行全面从严治党责任夯的不实，工作不扎实",
        "四、对巡察发现的问题整改不到位",
    )
    assert rows == [
        [
            1,
            aspect_2,
            "（一）管党治党压力传导不够",
            f"3.{PARTY_RULES}",
            "2024-01-08、2024-01-01至2024-12-31",
            "",
            "《龙亭区科学技术协会党风廉政建设工作实施方案》",
            "",
        ],
        [
            2,
            aspect_2,
            "（二）民主决策流于形式",
            f"1.{MAJOR_DECISIONS}",
            "截至2024-03-22",
            "",
            "",
            "",
        ],
        [3, aspect_2, "（二）民主决策流于形式", f"2.{LAST_SPEAKS}", "", "", "", ""],
        [
            4,
            aspect_2,
            "（二）民主决策流于形式",
            f"3.{COMMENDATIONS}",
            "2023-01-01至2023-12-31、2024-03-25",
            "",
            "《关于表扬2023年度全市科协系统先进集体和先进工作者的通知》",
            "汴科协文〔2024〕6号",
        ],
        [5, aspect_4, LOOK_BACK, f"1.{CLAIM_EACH}", "", "", "", ""],
        [6, aspect_4, LOOK_BACK, f"2.{PLAN_MEETING}", "2023-12-27", "", "", ""],
    ]


def test_the_ledger_keeps_a_problem_without_measures_and_a_problems_status(tmp_path: Path) -> None:
    problems = [
        Problem(1, "尚无措施的问题"),
        Problem(2, "阶段性完成的问题", status="阶段性完成", measures=[Measure(1, "措施")]),
    ]
    notice = Notice(aspects=[Aspect(1, "方面", problems)])
    rows = _values(_ledger(notice, tmp_path)["整改措施"])[1:]
    assert rows == [
        [1, "一、方面", "（一）尚无措施的问题", "", "", "", "", ""],
        [2, "一、方面", "（二）阶段性完成的问题", "1.措施", "", "阶段性完成", "", ""],
    ]


def test_an_unwritable_ledger_path_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_xlsx(_sample(), tmp_path / "没有这个文件夹" / "台账.xlsx")


def test_the_summary_sheet_has_header_totals_and_contacts(tmp_path: Path) -> None:
    notice = _sample()
    notice.stated = Stated(problems=37, rate_percent=76.5)
    sheet = _ledger(notice, tmp_path)["概要"]
    rows = _values(sheet)
    assert rows[0] == ["项目", "内容"]
    summary = dict(rows[1:])
    assert summary["发文单位"] == "中共开封市龙亭区科协党组"
    assert summary["巡察组"] == "区委第一巡察组"
    assert (summary["巡察开始"], summary["巡察结束"]) == ("2023-10-13", "2023-11-17")
    assert summary["反馈时间"] == "2023-12-26"
    assert summary["依据"] == "《中国共产党巡视工作条例》"
    assert summary["通报所述问题数"] == 37
    assert summary["通报所述整改完成率（%）"] == 76.5
    assert summary["通报所述方面数"] == ""  # not stated: left blank, never counted
    assert summary["电话"] == "0371-22786227"
    assert summary["电子信箱"] == "kfsltqkx@163.com"
    assert sheet.freeze_panes == "A2"


# --- notice text --------------------------------------------------------------------------

OPENING = (
    "2023年10月13日至11月17日，区委第一巡察组对我单位开展了巡察。2023年12月26日，"
    "区委第一巡察组向我单位进行了巡察情况反馈，按照《中国共产党巡视工作条例》有关规定，"
    "现将巡察整改情况予以公布。"
)


def test_render_text_writes_the_notice_in_the_seeds_shape() -> None:
    assert render_text(_sample()).split("\n") == [
        "中共开封市龙亭区科协党组",
        "关于巡察整改情况的通报",
        "",
        OPENING,
        "二、履行全面从严治党责任夯的不实，工作不扎实方面存在的问题及整改情况",
        "（一）管党治党压力传导不够。",
        "整改情况：",
        f"3.{PARTY_RULES}",
        "（二）民主决策流于形式。",
        "整改情况：",
        f"1.{MAJOR_DECISIONS}",
        f"2.{LAST_SPEAKS}",
        f"3.{COMMENDATIONS}",
        "四、对巡察发现的问题整改不到位方面存在的问题及整改情况",
        f"{LOOK_BACK}。",
        "整改情况：",
        f"1.{CLAIM_EACH}",
        f"2.{PLAN_MEETING}",
        "",
        "联系方式：电话0371-22786227；电子信箱kfsltqkx@163.com。",
        "",
    ]


def test_render_text_lines_are_the_seeds_own_lines(seed_text: str) -> None:
    seed_lines = {line.strip() for line in seed_text.splitlines()}
    *body, contacts, _ = render_text(_sample()).split("\n")
    assert set(body) <= seed_lines
    assert seed_text.rstrip().endswith(contacts)


@pytest.mark.parametrize(
    ("inspection", "opening"),
    [
        (
            Inspection("市委第二巡察组", "2023-12-04", "2024-01-31", "2024-03-05"),
            "2023年12月4日至2024年1月31日，市委第二巡察组对我单位开展了巡察。2024年3月5日，"
            "市委第二巡察组向我单位进行了巡察情况反馈，现将巡察整改情况予以公布。",
        ),
        (
            Inspection(group="区委巡察组"),
            "区委巡察组对我单位开展了巡察。现将巡察整改情况予以公布。",
        ),
    ],
)
def test_render_text_opens_with_what_is_known(inspection: Inspection, opening: str) -> None:
    assert render_text(Notice(inspection=inspection)).split("\n")[0] == opening


def test_render_text_of_an_empty_notice_is_empty() -> None:
    assert render_text(Notice()) == "\n"


def test_render_text_writes_statuses_descriptions_and_stated_totals() -> None:
    problem = Problem(
        1,
        "意识形态工作不扎实",
        description="巡察反馈：未按要求开展研判。",
        status="阶段性完成",
        measures=[Measure(1, "成立领导小组。", status="已完成")],
    )
    notice = Notice(
        stated=Stated(aspects=1, problems=1, measures=1, done=1, rate_percent=100),
        aspects=[Aspect(1, "意识形态", [problem])],
    )
    assert render_text(notice).split("\n") == [
        "巡察反馈1个方面1个问题，制定1项整改措施，已整改完成1个，整改完成率100%。",
        "一、意识形态方面存在的问题及整改情况",
        "（一）意识形态工作不扎实。",
        "巡察反馈：未按要求开展研判。",
        "整改状态：阶段性完成",
        "整改情况：",
        "1.成立领导小组。",
        "整改状态：已完成",
        "",
    ]


def test_render_text_omits_an_implicit_title_that_repeats_the_aspect() -> None:
    problem = Problem(1, "整改不到位", implicit=True, measures=[Measure(1, "立即整改。")])
    notice = Notice(aspects=[Aspect(1, "整改不到位", [problem])])
    assert render_text(notice).split("\n") == [
        "一、整改不到位方面存在的问题及整改情况",
        "整改情况：",
        "1.立即整改。",
        "",
    ]
