"""The ``zhenggai`` command. Each subcommand is a thin wrapper over a stage of the package.

Users see one clear line in Chinese when something goes wrong; details go to the log in English.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from zhenggai import __version__

log = logging.getLogger("zhenggai")

Handler = Callable[[argparse.Namespace], int]


class UserError(Exception):
    """An error whose message (in Chinese) is meant for the user, without a traceback."""


# The module behind each subcommand; each has ``add_parser(sub)`` that sets ``handler``.
# They are imported when the parser is built, and none imports Django at module level, so
# ``zhenggai parse`` stays light.
SUBCOMMANDS = [
    "zhenggai.notice.cli",  # parse
    "zhenggai.ledger.manage",  # manage
    "zhenggai.ledger.demo",  # demo
    "zhenggai.ledger.serve",  # serve
    "zhenggai.ledger.backup",  # backup, restore
    "zhenggai.review.cli",  # review
    "zhenggai.reports.cli",  # report
    "zhenggai.supervision.cli",  # remind
    "zhenggai.ledger.import_cli",  # import
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhenggai",
        description="整改 — 巡察整改台账系统",
    )
    parser.add_argument("--version", action="version", version=f"zhenggai {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出详细日志（英文）")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name in SUBCOMMANDS:
        importlib.import_module(name).add_parser(sub)
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
