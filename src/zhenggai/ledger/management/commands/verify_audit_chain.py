"""``zhenggai manage verify_audit_chain``: check that no audit record was changed or removed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhenggai.ledger.audit import verify_audit_chain


class Command(BaseCommand):
    help = "校验审计记录哈希链：发现记录被篡改或删除时以非零状态退出。"

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_audit_chain()
        if not report.ok:
            where = f"（记录编号 {report.bad_event_id}）" if report.bad_event_id else ""
            raise CommandError(f"审计链校验失败{where}：{report.problem}")
        self.stdout.write(f"审计链完整，共校验 {report.checked} 条记录。")
