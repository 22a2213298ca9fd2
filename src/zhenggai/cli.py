"""The ``zhenggai`` command. Each subcommand is a thin wrapper over a stage of the package.

Users see one clear line in Chinese when something goes wrong; details go to the log in English.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from zhenggai import __version__

log = logging.getLogger("zhenggai")

Handler = Callable[[argparse.Namespace], int]


class UserError(Exception):
    """An error whose message (in Chinese) is meant for the user, without a traceback."""


def _add_parse(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from zhenggai.notice import cli as notice_cli

    notice_cli.add_parser(sub)


def _add_manage(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from zhenggai.ledger import manage

    manage.add_parser(sub)


def _add_demo(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from zhenggai.ledger import demo

    demo.add_parser(sub)


def _add_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from zhenggai.ledger import serve

    serve.add_parser(sub)


def _add_review(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from zhenggai.review import cli as review_cli

    review_cli.add_parser(sub)


def _add_report(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from zhenggai.reports import cli as reports_cli

    reports_cli.add_parser(sub)


def _add_remind(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from zhenggai.supervision import cli as supervision_cli

    supervision_cli.add_parser(sub)


# Subcommands register themselves here; each module adds its parser and sets ``handler``.
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    _add_parse,
    _add_manage,
    _add_demo,
    _add_serve,
    _add_review,
    _add_report,
    _add_remind,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhenggai",
        description="整改 — 巡察整改台账系统",
    )
    parser.add_argument("--version", action="version", version=f"zhenggai {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出详细日志（英文）")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
