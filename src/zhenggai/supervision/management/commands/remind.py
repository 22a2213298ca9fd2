"""``zhenggai manage remind``: today's reminders, each sent once (see ``docs/reminders.md``)."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhenggai.supervision.reminders import RunResult, send_reminders


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "发送到期提醒（站内和邮件）；重复运行不会重复提醒。供 cron 或 systemd 定时器每天运行。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只列出将发送的提醒，不发送")
        parser.add_argument(
            "--today", type=parse_day, help="按指定日期计算（YYYY-MM-DD），默认今天"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        result = send_reminders(today, dry_run=options["dry_run"])
        if options["dry_run"]:
            self._list(result)
        else:
            self.stdout.write(summary(result))
        if result.email_failed:
            raise CommandError(f"{result.email_failed} 封邮件发送失败，下次运行时将重试。")

    def _list(self, result: RunResult) -> None:
        for due in result.due:
            target = f"措施 {due.measure_id}" if due.measure_id else f"巡察 {due.inspection_id}"
            self.stdout.write(
                f"{due.deadline} {due.subject} {due.kind} {target} → 用户 {due.recipient_id}"
            )
        self.stdout.write(f"{result.today}：将发送提醒 {len(result.due)} 条（试运行，未发送）。")


def summary(result: RunResult) -> str:
    return (
        f"{result.today}：新提醒 {result.created} 条，发送邮件 {result.emailed} 封"
        + (f"，失败 {result.email_failed} 封" if result.email_failed else "")
        + "。"
    )
