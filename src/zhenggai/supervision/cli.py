"""``zhenggai remind``: the management command ``remind`` with zhenggai's settings."""

from __future__ import annotations

import argparse
import datetime as dt


def _day(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from None
    return value


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "remind",
        help="发送到期提醒（站内和邮件），每天由 cron 或 systemd 定时器运行",
        description="找出今天到期的提醒，发给责任人和单位联络员；重复运行不会重复提醒。",
    )
    parser.add_argument("--dry-run", action="store_true", help="只列出将发送的提醒，不发送")
    parser.add_argument("--today", type=_day, help="按指定日期计算（YYYY-MM-DD），默认今天")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from django.core.management import CommandError, call_command

    from zhenggai.ledger import serve

    serve.setup_ledger()
    argv = ["--dry-run"] if args.dry_run else []
    argv += ["--today", args.today] if args.today else []
    try:
        call_command("remind", *argv)
    except CommandError as exc:
        from zhenggai.cli import UserError

        raise UserError(str(exc)) from exc
    return 0
