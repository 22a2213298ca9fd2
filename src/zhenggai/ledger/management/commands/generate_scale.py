"""``zhenggai manage generate_scale --units N [--seed S]``: a generated province for
measuring pages at scale (``zhenggai.ledger.scale``). Refuses a database that holds real
data: any inspection the generator did not make."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenggai.ledger import scale
from zhenggai.ledger.errors import LedgerError


class Command(BaseCommand):
    help = (
        "生成规模测试数据（省—市—区县—单位，每单位约 12 个问题、40 条措施）；"
        "库中有真实数据时拒绝运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", type=int, required=True, help="单位数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
        parser.add_argument("--password", default=None, help="生成账号的密码（默认不能登录）")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            counts = scale.generate(
                options["units"],
                seed=options["seed"],
                password=options["password"],
                progress=lambda line: self.stdout.write(
                    f"[{time.monotonic() - started:7.1f} s] {line}"
                ),
            )
        except LedgerError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"生成完成（{time.monotonic() - started:.1f} 秒）：{counts.units} 个单位，"
            f"{counts.inspections} 个巡察，{counts.problems} 个问题，{counts.measures} 条措施，"
            f"{counts.evidence} 条佐证，{counts.decisions} 个决定，"
            f"{counts.audit_events} 条审计记录。"
        )
