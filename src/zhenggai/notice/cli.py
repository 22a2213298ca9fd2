"""``zhenggai parse FILE... [--format json|markdown|xlsx] [-o OUT]``.

One file prints to standard output (or writes ``-o FILE``); several files write one output
each into the folder ``-o DIR``. A bad file is reported in one Chinese line and skipped; the
exit status is 1 when any file failed.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable
from pathlib import Path

from zhenggai.notice.chrome import Dropped
from zhenggai.notice.model import Notice
from zhenggai.notice.parse import explain
from zhenggai.notice.read import ReadError, read

log = logging.getLogger(__name__)

SUFFIX = {"json": ".json", "markdown": ".md", "xlsx": ".xlsx"}


class ParseUsageError(Exception):
    """Wrong use of the command (reported like any user error)."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "parse",
        help="解析整改情况通报（.txt/.docx/.pdf）为结构化数据",
        description="把整改情况通报解析为 方面→问题→措施 的结构化数据。",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="通报文件")
    parser.add_argument(
        "--format", choices=sorted(SUFFIX), default="json", help="输出格式（默认 json）"
    )
    parser.add_argument("-o", "--output", type=Path, help="输出文件；多个输入文件时为输出文件夹")
    parser.add_argument(
        "--explain", action="store_true", help="在标准错误输出列出作为网页内容删去的行及原因"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    files: list[Path] = args.files
    try:
        targets = _targets(files, args.output, args.format)
    except ParseUsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    failed = 0
    for source, target in _progress(list(zip(files, targets, strict=True))):
        if not _parse_one(source, target, args.format, args.explain):
            failed += 1
    return 1 if failed else 0


def _targets(files: list[Path], output: Path | None, fmt: str) -> list[Path | None]:
    """Where each file's result goes; None means standard output."""
    if len(files) == 1:
        if output is not None and output.is_dir():
            return [output / (files[0].stem + SUFFIX[fmt])]
        if output is None and fmt == "xlsx":
            raise ParseUsageError("xlsx 格式请用 -o 指定输出文件，例如 -o 台账.xlsx")
        return [output]
    if output is None:
        raise ParseUsageError("解析多个文件时请用 -o 指定输出文件夹，例如 -o 解析结果/")
    if output.exists() and not output.is_dir():
        raise ParseUsageError(f"{output} 已存在且不是文件夹")
    output.mkdir(parents=True, exist_ok=True)
    return [output / (f.stem + SUFFIX[fmt]) for f in files]


def _progress(
    items: list[tuple[Path, Path | None]],
) -> Iterable[tuple[Path, Path | None]]:
    if len(items) < 2:
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description="解析中", console=Console(stderr=True), transient=True)


def _parse_one(source: Path, target: Path | None, fmt: str, show_dropped: bool = False) -> bool:
    try:
        notice, dropped = explain(read(source))
        if show_dropped:
            _print_dropped(source, dropped)
        _write(notice, target, fmt)
    except ReadError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return False
    except OSError as exc:
        log.warning("cannot write %s: %s", target, exc)
        print(f"错误：无法写入 {target}：{exc.strerror or exc}", file=sys.stderr)
        return False
    except Exception:  # a parser bug on one file must not stop the batch (logged above all)
        log.exception("parser failed on %s", source)
        print(f"错误：{source.name} 解析失败（程序内部错误，详情见日志 -v）", file=sys.stderr)
        return False
    return True


def _print_dropped(source: Path, dropped: list[Dropped]) -> None:
    """One line per dropped page line: its reason, then the line as it stood."""
    print(f"{source.name}：删去网页内容 {len(dropped)} 行", file=sys.stderr)
    for item in dropped:
        print(f"  删去（{item.reason}）：{item.line}", file=sys.stderr)


def _write(notice: Notice, target: Path | None, fmt: str) -> None:
    from zhenggai.notice import formats

    if fmt == "xlsx" and target is not None:  # _targets always gives xlsx a file
        formats.write_xlsx(notice, target)
        return
    text = notice.to_json() if fmt == "json" else formats.to_markdown(notice)
    if target is None:
        sys.stdout.write(text + "\n")
    else:
        target.write_text(text + "\n", encoding="utf-8")
