"""``zhenggai manage audit_grants --role NAME``: the PostgreSQL grants that make the audit
table append-only for the application's database role.

The database role the application connects as must not own the tables (an owner may do
anything to its tables): migrations run as the owner, the server runs as this role. Run the
printed SQL as the owner after every ``migrate``, e.g.
``zhenggai manage audit_grants --role zhenggai_app | psql -U zhenggai_owner zhenggai``.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenggai.ledger.models import AuditEvent

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grants(role: str, schema: str = "public") -> list[str]:
    """The statements, one per item: everything on the application's tables, but only
    SELECT and INSERT on the audit events."""
    if not ROLE_NAME.match(role) or not ROLE_NAME.match(schema):
        raise ValueError("role and schema are plain lower-case SQL names")
    audit_table = f'"{schema}"."{AuditEvent._meta.db_table}"'
    return [
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}";',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}";',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}";',
        # The audit trail is appended to and read, never changed or emptied.
        f'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit_table} FROM "{role}";',
        f'GRANT SELECT, INSERT ON {audit_table} TO "{role}";',
    ]


class Command(BaseCommand):
    help = "打印 PostgreSQL 授权语句：应用的数据库账号对审计表只能插入和查询，不能修改或删除。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--role", required=True, help="应用连接数据库所用的账号（不是表的所有者）"
        )
        parser.add_argument("--schema", default="public", help="表所在的模式，默认 public")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            statements = grants(options["role"], options["schema"])
        except ValueError as exc:
            raise CommandError("账号名和模式名只能由小写字母、数字和下划线组成。") from exc
        self.stdout.write("-- Run as the owner of the tables, after every migrate.")
        self.stdout.write("\n".join(statements))
