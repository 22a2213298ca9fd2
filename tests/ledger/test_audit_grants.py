"""On PostgreSQL the application's database role can append to the audit table and read it,
but neither change nor delete its rows (the grants of ``zhenggai manage audit_grants``)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhenggai.ledger import actions
from zhenggai.ledger.management.commands.audit_grants import grants

ROLE = "zg_chain_audit_app_test"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database grants are a PostgreSQL feature"
)


def _drop_role(cursor) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
    if cursor.fetchone():
        cursor.execute(f'DROP OWNED BY "{ROLE}"')
        cursor.execute(f'DROP ROLE "{ROLE}"')


@pytest.fixture
def app_role() -> Iterator[object]:
    """A login role with exactly the printed grants, connected to the test database."""
    import psycopg

    with connection.cursor() as cursor:
        _drop_role(cursor)
        cursor.execute(f'CREATE ROLE "{ROLE}" LOGIN')
        for statement in grants(ROLE):
            cursor.execute(statement)
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.update(user=ROLE, password="", autocommit=True)
    as_app = psycopg.connect(
        **{k: v for k, v in params.items() if k in {"dbname", "host", "port", "user", "autocommit"}}
    )
    try:
        yield as_app
    finally:
        as_app.close()
        with connection.cursor() as cursor:
            _drop_role(cursor)


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.audit_chain_tampered  # it inserts a row by hand, outside the chain
def test_the_application_role_may_insert_and_read_audit_rows_but_not_change_them(world, app_role):
    import psycopg

    actions.start_work(world.measure_a, by=world["liaison"])
    run = app_role.execute
    assert run("SELECT count(*) FROM ledger_auditevent").fetchone() == (1,)
    run(
        "INSERT INTO ledger_auditevent (actor_label, at, action, target_type, target_id,"
        " target_label, success, detail, prev_hash, hash, key_id, chain)"
        " VALUES ('', now(), 'test.insert', '', '', '', true, '', '', 'x', '', 'global')"
    )
    # The rest of the application's tables stay writable (the chain head moves on each event).
    run("UPDATE ledger_auditchainhead SET length = length")
    refused = [
        "UPDATE ledger_auditevent SET detail = 'changed'",
        "DELETE FROM ledger_auditevent",
        "TRUNCATE ledger_auditevent",
    ]
    for statement in refused:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            run(statement)
    assert run("SELECT count(*) FROM ledger_auditevent").fetchone() == (2,)


def test_the_grants_command_prints_them_and_refuses_odd_role_names():
    out = io.StringIO()
    call_command("audit_grants", "--role", "zhenggai_app", stdout=out)
    assert (
        'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "public"."ledger_auditevent"'
        in (out.getvalue())
    )
    with pytest.raises(CommandError):
        call_command("audit_grants", "--role", 'x"; DROP TABLE y; --')
