"""``zhenggai manage archive_audit``: archive audit events older than the retention period to a
signed JSONL.gz file under ``<data>/audit_archive`` (``--verify FILE`` checks one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from zhenggai.ledger import archive, audit


class Command(BaseCommand):
    help = "将超过保存期限的审计记录归档为带签名的 JSONL.gz 文件（不从数据库删除）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--verify", type=Path, help="校验一个归档文件的签名和哈希链")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"]:
            problem = archive.verify_segment(options["verify"])
            if problem:
                raise CommandError(f"归档文件校验失败：{problem}")
            self.stdout.write("归档文件完整。")
            return
        segment = archive.archive_older_than()
        if segment is None:
            self.stdout.write("没有需要归档的审计记录。")
            return
        with transaction.atomic():
            audit.record(
                "export.audit_archive",
                actor=None,
                actor_label="archive_audit",
                after={"format": "jsonl.gz", "first_id": segment.first_id, "count": segment.count},
                detail=segment.path.name,
            )
        self.stdout.write(f"已归档 {segment.count} 条审计记录：{segment.path}")
