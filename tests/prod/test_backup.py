"""``zhenggai backup`` and ``zhenggai restore``: a backup of a ledger with evidence restores
into an empty data directory (or empty PostgreSQL database) with the same row counts, the
same files and an intact audit chain; a tampered archive or a non-empty target is refused
before anything is written. Runs on SQLite, and on PostgreSQL when DATABASE_URL says so.

The backup is made in this process (from the test database); the restore runs as the real
command in a subprocess against a fresh data directory, as an operator would run it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.ledger.conftest import World
from zhenggai.cli import UserError
from zhenggai.ledger import actions
from zhenggai.ledger.backup import MANIFEST, create_backup
from zhenggai.ledger.models import AuditEvent, Inspection

pytestmark = pytest.mark.django_db(transaction=True)

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
RESTORE_DB = "zg_prod_restore"  # a database of its own, beside the test database
MINUTES = b"%PDF-1.4\n" + "龙亭区科协党组会议纪要（2024年第1次）".encode()
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "source-media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def archive(world: World, filled: Inspection, media: Path, tmp_path: Path) -> Path:
    """A backup of the filled ledger with two evidence files."""
    for name, content, kind in (
        ("纪要.pdf", MINUTES, "application/pdf"),
        ("照片.png", PHOTO, "image/png"),
    ):
        upload = SimpleUploadedFile(name, content, content_type=kind)
        actions.add_evidence(world.measure_a2, by=world["liaison"], file=upload)
    out = tmp_path / "zhenggai-backup.tar.gz"
    create_backup(out)
    return out


@pytest.fixture
def target(tmp_path: Path) -> dict[str, str]:
    """The environment of an empty installation: a new data directory, an empty database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ZHENGGAI_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env["ZHENGGAI_DATA"] = str(tmp_path / "restored")
    # The audit key is not in the archive: the restore drill puts it back first (operations.md).
    env["ZHENGGAI_AUDIT_KEY"] = settings.ZHENGGAI_AUDIT_KEY
    if POSTGRES:
        _recreate_restore_database()
        env["DATABASE_URL"] = _restore_url()
    return env


def _run(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "zhenggai", *arguments]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, timeout=300
    )


def _manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile(MANIFEST)
        assert member is not None
        return dict(json.loads(member.read()))


def test_a_backup_restores_with_the_same_counts_files_and_audit_chain(
    archive: Path, target: dict[str, str]
) -> None:
    manifest = _manifest(archive)
    assert manifest["counts"]["ledger.Evidence"] >= 2
    assert manifest["counts"]["ledger.AuditEvent"] > 0
    media = {
        name: digest for name, digest in manifest["files"].items() if name.startswith("media/")
    }
    assert sorted(media.values()) == sorted(hashlib.sha256(c).hexdigest() for c in (MINUTES, PHOTO))

    restored = _run(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "已恢复" in restored.stdout

    assert _restored_counts(target) == manifest["counts"]
    data = Path(target["ZHENGGAI_DATA"])
    for name, digest in media.items():
        assert hashlib.sha256((data / name).read_bytes()).hexdigest() == digest
    chain = _run(target, "manage", "verify_audit_chain")
    assert chain.returncode == 0, chain.stderr
    assert f"共校验 {manifest['counts']['ledger.AuditEvent']} 条记录" in chain.stdout


def test_the_backup_is_audited_and_holds_no_keys(archive: Path) -> None:
    assert AuditEvent.objects.filter(action="system.backup").count() == 1
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
    assert (Path(settings.DATA_DIR) / "secret_key").exists()  # there is a key to leave out
    assert not [n for n in names if "secret_key" in n or "audit_key" in n or "static" in n]
    database = "database.pgdump" if POSTGRES else "database.sqlite3"
    # Besides the evidence: the manifest, the database and the audit chain's anchor (no secret).
    assert sorted(n for n in names if not n.startswith("media/")) == sorted(
        [MANIFEST, database, "audit_anchor.log"]
    )


def test_an_existing_backup_file_is_not_overwritten(archive: Path) -> None:
    with pytest.raises(UserError, match="已存在"):
        create_backup(archive)


def test_a_restore_into_a_database_with_data_is_refused(
    archive: Path, target: dict[str, str]
) -> None:
    assert _run(target, "restore", str(archive)).returncode == 0
    again = _run(target, "restore", str(archive))
    assert again.returncode == 1
    assert again.stderr.startswith("错误：目标数据库不为空")
    assert "Traceback" not in again.stderr


def test_a_restore_into_a_data_directory_with_evidence_is_refused(
    archive: Path, target: dict[str, str]
) -> None:
    stray = Path(target["ZHENGGAI_DATA"]) / "media" / "evidence" / "old.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"old")
    refused = _run(target, "restore", str(archive))
    assert refused.returncode == 1
    assert "目标数据目录不为空" in refused.stderr
    assert _restored_tables(target) == 0


def _tampered(archive: Path, tmp_path: Path, change: Any) -> Path:
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(unpacked, filter="data")
    change(unpacked)
    out = tmp_path / "tampered.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        for path in sorted(unpacked.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(unpacked).as_posix())
    return out


def _swap_evidence(unpacked: Path) -> None:
    evidence = next(p for p in (unpacked / "media").rglob("*.pdf"))
    evidence.write_bytes("龙亭区科协党组会议纪要（改）".encode())


def _edit_manifest_hash(unpacked: Path) -> None:
    path = unpacked / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    name = next(n for n in manifest["files"] if n.startswith("media/"))
    manifest["files"][name] = "0" * 64
    path.write_text(json.dumps(manifest), encoding="utf-8")


def _add_a_file(unpacked: Path) -> None:
    (unpacked / "media" / "evidence" / "extra.pdf").write_bytes(b"not in the manifest")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (_swap_evidence, "SHA-256 与清单不符"),
        (_edit_manifest_hash, "SHA-256 与清单不符"),
        (_add_a_file, "与清单不符（多出或缺失）"),
    ],
)
def test_a_tampered_archive_is_refused_and_nothing_is_written(
    archive: Path, target: dict[str, str], tmp_path: Path, change: Any, says: str
) -> None:
    refused = _run(target, "restore", str(_tampered(archive, tmp_path, change)))
    assert refused.returncode == 1
    assert says in refused.stderr and "已拒绝恢复" in refused.stderr
    assert _restored_tables(target) == 0
    media = Path(target["ZHENGGAI_DATA"]) / "media"
    assert not media.exists() or not any(media.iterdir())


def test_a_file_that_is_no_backup_is_one_clear_line(target: dict[str, str], tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar file")
    refused = _run(target, "restore", str(bogus))
    assert refused.returncode == 1
    assert refused.stderr.startswith("错误：无法读取备份文件") and "Traceback" not in refused.stderr


# --- reading the restored database directly ---------------------------------------------------


def _restored_counts(env: dict[str, str]) -> dict[str, int]:
    tables = {label: apps.get_model(label)._meta.db_table for label in _manifest_labels()}
    with _restored_cursor(env) as cursor:
        counts = {}
        for label, table in tables.items():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[label] = int(cursor.fetchone()[0])
    return dict(sorted(counts.items()))


def _manifest_labels() -> list[str]:
    return [
        m._meta.label
        for m in apps.get_models(include_auto_created=True)
        if not m._meta.proxy and m._meta.managed
    ]


def _restored_tables(env: dict[str, str]) -> int:
    with _restored_cursor(env) as cursor:
        if POSTGRES:
            cursor.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")
        else:
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
        return int(cursor.fetchone()[0])


class _restored_cursor:
    def __init__(self, env: dict[str, str]) -> None:
        if POSTGRES:
            import psycopg

            self.db: Any = psycopg.connect(_restore_url(), autocommit=True)
        else:
            self.db = sqlite3.connect(Path(env["ZHENGGAI_DATA"]) / "zhenggai.sqlite3")

    def __enter__(self) -> Any:
        return self.db.cursor()

    def __exit__(self, *exc: object) -> None:
        self.db.close()


def _restore_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{RESTORE_DB}"))


def _recreate_restore_database() -> None:
    import psycopg

    admin = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {RESTORE_DB} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {RESTORE_DB}")
