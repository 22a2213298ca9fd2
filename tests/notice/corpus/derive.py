"""Writes ``derived/``: the real openings of ../shared/fixtures in the page chrome of real sites.

    python tests/notice/corpus/derive.py        (from the checkout; needs ../shared and opencc)

Each derived text is a real notice opening (the fixture named in its metadata, itself cut at
about 700 characters) put into the furniture observed on a real page whose address is kept in
``chrome_source``: breadcrumbs, a column name, a 索引号 table, an author-and-date line, a page
counter, 【】 prefixes; or with its title run into the first paragraph, or its issuer moved to a
signature. Some are converted to traditional characters with OpenCC ``s2t`` (said in ``note``).
Nothing in a notice's words is invented: a template that needs a title only takes fixtures that
have one. The split (``manifest.json``) was fixed by rule before any parser run: a fixture whose
number is odd goes to held-out.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import opencc

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[3] / "shared" / "fixtures"


def split_header(text: str, gold: dict) -> tuple[list[str], list[str]]:
    """Lines up to the title line (the fixture's own chrome and title), and the body."""
    lines = [line for line in text.splitlines() if line.strip()]
    title = gold.get("title")
    for pos, line in enumerate(lines):
        if title and title in line:
            return lines[: pos + 1], lines[pos + 1 :]
    # Without a title: the body starts at the first sentence.
    for pos, line in enumerate(lines):
        if "。" in line or "," in line or "，" in line:
            return lines[:pos], lines[pos:]
    return [], lines


def heading(gold: dict) -> str:
    return (gold.get("issuer") or "") + (gold.get("title") or "")


# Each template: (name, needs a title, chrome source address, builder(gold, body) -> text).
def t_breadcrumb(gold, body):
    return "\n".join(
        [
            "首页 > 巡视巡察 > 巡察整改",
            "",
            "",
            heading(gold) or "巡察整改",
            "",
            "来源:区委巡察办发布时间:2020-12-10 16:02:43",
            "",
            *body,
        ]
    )


def t_index_table(gold, body):
    return "\n".join(
        [
            "索 引 号 | 01047834X/2022-00970 | 主题分类 | |",
            f"发布机构 | {gold.get('issuer') or ''} | 发布日期 | 2022-03-21 17:47 |",
            f"名 称 | {heading(gold)} |||",
            "文 号 | 〔〕号 | ||",
            "来 源 | 本单位 |",
            *body,
        ]
    )


def t_position_author(gold, body):
    return "\n".join(
        [
            "通知公告",
            "",
            "您的位置: 首页 通知公告 详细",
            "",
            heading(gold),
            "",
            "发布时间:2024-08-01 16:12 作者: 党委办公室",
            "",
            *body,
            "",
            "扫一扫 手机端浏览",
        ]
    )


def t_bracket_prefix(gold, body):
    return "\n".join(
        [
            f"【通知公告】{heading(gold)}",
            "",
            "来源:市委巡察办 发布时间:2020-08-26 浏览次数: 【字体:",
            "",
            *body,
            "",
            "扫一扫在手机打开当前页",
            "分享到:",
            "【打印正文】",
        ]
    )


def t_run_in(gold, body):
    """The title run into the first sentence; the chrome lines above it stay above."""
    first = next(i for i, line in enumerate(body) if re.search("[，,。]", line))
    return "\n".join([*body[:first], heading(gold) + body[first].strip(), *body[first + 1 :]])


def t_signature(gold, body):
    return "\n".join([gold["title"], *body, "……", gold["issuer"], "2025年3月1日"])


def t_page_counter(gold, body):
    return "\n".join(
        [
            "您的位置:首页 > 信息公开 >",
            heading(gold) or "巡察整改进展情况",
            "www.example.gov.cn 】 【 2024-08-29 13:51:01 】 【 来源:本单位",
            *body,
            "共2页 第1页 上一页 下一页",
            "【我要纠错】责任编辑:白宛松",
        ]
    )


TEMPLATES = {
    "breadcrumb": (False, "http://www.hgjwjw.gov.cn/xyq/xsxs/663.html", t_breadcrumb),
    "index_table": (
        False,
        "https://www.xjkz.gov.cn/xjkz/c102154/202203/bb105c6fceca4ff9b590f2055816a228.shtml",
        t_index_table,
    ),
    "position_author": (
        False,
        "https://www.zy2yy.cn/news_ywgk_yngg/2024/0204644004028.htm",
        t_position_author,
    ),
    "bracket_prefix": (
        False,
        "http://jsjw.gov.cn/zwgk/xsxc/bjxsxcqk/content_412263",
        t_bracket_prefix,
    ),
    "run_in": (True, None, t_run_in),
    "signature": (True, None, t_signature),
    "page_counter": (
        False,
        "https://www.cdxd.sichuanpeace.gov.cn/fy/20240829/2905438.html",
        t_page_counter,
    ),
}
# Which fixtures go through which templates (titled fixtures for run_in / signature).
PLAN = {
    "01": ["index_table", "signature"],
    "04": ["run_in", "breadcrumb"],
    "08": ["position_author"],
    "11": ["breadcrumb"],
    "14": ["page_counter"],
    "18": ["bracket_prefix", "run_in"],
    "20": ["position_author"],
    "22": ["page_counter"],
    "24": ["bracket_prefix"],
    "27": ["signature"],
    "31": ["index_table"],
    "35": ["breadcrumb"],
    "37": ["run_in", "index_table"],
    "40": ["signature", "position_author"],
    "42": ["bracket_prefix"],
    "45": ["page_counter", "run_in"],
}
TRADITIONAL = {
    ("04", "breadcrumb"),
    ("11", "breadcrumb"),
    ("37", "run_in"),
    ("40", "signature"),
    ("22", "page_counter"),
}


def to_traditional(value, s2t):
    if isinstance(value, str):
        return s2t.convert(value)
    if isinstance(value, dict):
        return {
            k: to_traditional(v, s2t) if k in ("title", "issuer", "group", "inspection") else v
            for k, v in value.items()
        }
    return value


def main() -> None:
    if not SHARED.is_dir():
        sys.exit(f"shared fixtures not found at {SHARED}")
    s2t = opencc.OpenCC("s2t")
    out = HERE / "derived"
    out.mkdir(exist_ok=True)
    for text_path in sorted((SHARED / "notices").glob("*.txt")):
        number = text_path.name[:2]
        gold = json.loads((SHARED / "golden" / f"{text_path.stem}.json").read_text("utf-8"))
        _, body = split_header(text_path.read_text("utf-8"), gold)
        for name in PLAN.get(number, []):
            needs_title, source, build = TEMPLATES[name]
            if needs_title and not (gold.get("title") and gold.get("issuer")):
                continue
            text = build(gold, body)
            golden = dict(gold)
            note = f"fixture {text_path.name} in the chrome of {source or 'no page'}"
            if (number, name) in TRADITIONAL:
                text = s2t.convert(text)
                golden = to_traditional(golden, s2t)
                note += "; converted to traditional characters with OpenCC s2t by us"
            stem = f"d{number}_{name}"
            (out / f"{stem}.txt").write_text(text + "\n", encoding="utf-8")
            meta = {
                "kind": "derived",
                "fixture": text_path.name,
                "template": name,
                "chrome_source": source,
                "note": note,
                "split": "held-out" if int(number) % 2 else "tuning",
                "golden": golden,
            }
            (out / f"{stem}.json").write_text(
                json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )


if __name__ == "__main__":
    main()
