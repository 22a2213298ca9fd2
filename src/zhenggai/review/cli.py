"""``zhenggai review FILE [--format text|json]``: review a notice for paper-only rectification."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from zhenggai.notice.parse import parse
from zhenggai.notice.read import ReadError, read
from zhenggai.review.engine import review
from zhenggai.review.snapshot import from_notice


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "review",
        help="审查整改情况通报：以学代改、空泛、未完成等形式主义整改迹象，并评分",
        description="逐条审查通报中的整改措施，指出形式主义整改的迹象并给出 0–100 分。",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="通报文件（.txt/.docx/.pdf）")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="输出格式（默认 text）"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        text = read(args.file)
    except ReadError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    result = review(from_notice(parse(text)))
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        from rich.console import Console

        from zhenggai.review.report import render

        render(result, Console())
    return 0
