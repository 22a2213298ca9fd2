"""Website chrome around a notice is dropped; every line of the notice itself is kept."""

from __future__ import annotations

import pytest

from zhenggai.notice.chrome import clean_lines, is_chrome

TITLE = "中共金华市婺城区文化和旅游体育局党组关于巡察整改情况的通报"
OPENING = "根据区委统一部署，2022年9月16日至10月18日，区委第二巡察组对区文旅体局党组进行了巡察。"


def test_it_strips_lines_and_drops_blank_ones() -> None:
    assert clean_lines("  甲  \n\n\u3000\u3000乙\xa0\n \t\n") == ["甲", "乙"]


def test_it_drops_zero_width_characters() -> None:
    assert clean_lines("\ufeff\u200b中共某某党组\u200b\n") == ["中共某某党组"]


@pytest.mark.parametrize(
    "line",
    [
        "当前位置：首页 > 巡察工作 > 巡察反馈 >",
        "当前位置:首页>通知公告",
        "您现在的位置：首页 > 信息公开",
        "首页 > 新闻中心 > 通知公告",
        "巡察工作 > 巡察反馈 > 正文",
        "http://www.whdi.gov.cn",
        "www.example.gov.cn/art/2024/1.html",
        "发布时间:2024-06-24 17:44  来源:武汉市纪委监委",
        "发布日期:2026-02-26信息来源:市卫健委",
        "日期:2023-05-04 08:46:31 来源:区文旅体局 浏览量:",
        "来源:延津县农业农村局 发布时间:2025-02-26 16:48:14 浏览量:4454 字号:",
        "2021-02-23 12:42:06来源:广州市住房和城乡建设局",
        "发布时间：2025-06-06 16:17 信息来源：中国共产党通道侗族自治县总工会党组",
        "发布时间: 2025-09-30",
        "2025-08-07 11:00",
        "来源: 沙市区人民法院",
        "浏览: 116",
        "浏览次数:",
        "分享:",
        "朗读",
        "返回上一级",
        "字号",
        "打印",
        "【打印本页】【关闭窗口】",
        "[ 打印 ] [ 关闭 ]",
        "字体大小：大 中 小",
        "【字体：大 中 小】",
        "分享到：",
        "打印 | 关闭",
        "上一篇：关于某某工作的通报",
        "版权所有：某某市人民政府 ICP备12345678号",
        "公示公告",
        "通知公告",
        "发布者：管理员 阅读次数：1234",
        "分享到：微信 微博 QQ空间",
        "扫一扫在手机打开当前页",
        "时间：2024-06-24 10:00:00 | 来源：本站 | 点击：123",
        "【发布时间：2024-06-24】【来源：某某区纪委监委】",
        "信息来源：某某局 发布时间：2024年06月24日 10:00",
    ],
)
def test_it_recognises_chrome(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        TITLE,
        OPENING,
        "建立资金来源审核机制，来源不明的资金一律不得入账。",
        "来源：巡察反馈问题，已全部整改。",
        "时间：2024年3月底前",
        "2024年5月10日",
        "中共开封市龙亭区科协党组",
        "一、政治引领不突出，贯彻上级精神不到位方面存在的问题及整改情况",
        "整改时限：长期坚持",
        "满意度>90%，群众认可度明显提升",
        "1.党组及时传达学习习近平总书记关于科协工作重要讲话。",
    ],
)
def test_it_keeps_notice_lines(line: str) -> None:
    assert not is_chrome(line)
    assert clean_lines(line) == [line]


def test_it_drops_metadata_labels_and_their_values_on_the_next_line() -> None:
    text = "\n".join(
        [
            "• 信息索引号:",
            "    113307020501239658/2023-46395",
            "  • 发布机构:",
            "    婺城区文旅体局",
            "  • 成文日期：",
            "    2023-05-04",
            "  • 公开方式:",
            "    主动公开",
            TITLE,
            OPENING,
        ]
    )
    assert clean_lines(text) == [TITLE, OPENING]


def test_a_label_without_a_value_keeps_the_sentence_after_it() -> None:
    assert clean_lines(f"- 浏览次数:\n{OPENING}") == [OPENING]
    assert clean_lines(f"成文日期:\n{OPENING}") == [OPENING]


def test_the_title_given_as_file_name_and_as_heading_ends_up_once() -> None:
    text = f"• 文件名称:\n\n    {TITLE}\n\n  • {TITLE}\n\n日期:2023-05-04 08:46:31\n{OPENING}"
    assert clean_lines(text) == [TITLE, OPENING]


def test_the_title_given_only_as_file_name_is_kept() -> None:
    assert clean_lines(f"文件名称:\n{TITLE}\n{OPENING}") == [TITLE, OPENING]
    assert clean_lines(f"标题：{TITLE}\n{OPENING}") == [TITLE, OPENING]


def test_it_removes_bullet_marks() -> None:
    assert clean_lines("• 甲\n· 乙\n- 丙\n-5℃以下") == ["甲", "乙", "丙", "-5℃以下"]


@pytest.mark.parametrize(
    "line",
    [
        f"{TITLE} 2026-02-13",
        f"{TITLE}  2026-02-13 09:30",
        f"{TITLE}（2026-02-13）",
        f"{TITLE} 2026年2月13日",
    ],
)
def test_it_drops_the_date_printed_after_a_title(line: str) -> None:
    assert clean_lines(line) == [TITLE]


def test_a_sentence_ending_in_a_date_keeps_it() -> None:
    line = "整改时限为2024年3月，完成情况见2024-03-31"
    assert clean_lines(line) == [line]


def test_a_page_from_a_government_site_comes_out_as_the_notice() -> None:
    page = """http://www.whdi.gov.cn
 当前位置:首页 > 巡察工作 > 巡察反馈 >
中共武汉市市场监督管理局党组关于十四届第五轮巡察集中整改进展情况的通报
发布时间:2024-06-24 17:44  来源:武汉市纪委监委

根据市委统一部署,2023年7月13日至8月31日,市委第五巡察组对市市场监管局党组开展了常规巡察。

一、巡察整改组织领导情况
【打印本页】 【关闭窗口】
"""
    assert clean_lines(page) == [
        "中共武汉市市场监督管理局党组关于十四届第五轮巡察集中整改进展情况的通报",
        "根据市委统一部署,2023年7月13日至8月31日,市委第五巡察组对市市场监管局党组开展了常规巡察。",
        "一、巡察整改组织领导情况",
    ]
