"""``zhenggai backup OUT.tar.gz`` and ``zhenggai restore IN.tar.gz`` (docs/operations.md).

The archive holds the database (SQLite: a copy made with SQLite's online backup API, safe
while the server runs; PostgreSQL: ``pg_dump`` in custom format), the evidence files under
MEDIA_ROOT and ``manifest.json``: the row count of every table and the SHA-256 of every
file. The counts are taken from the same snapshot the dump is made from, so they match the
dump even while users keep working.

Keys are NOT in the archive: the secret key and any audit key file in the data directory
are backed up separately (docs/security.md), so one stolen backup cannot forge sessions or
audit records.

``restore`` checks the whole archive against its manifest before writing anything, writes
only into an empty database and an empty evidence directory, and afterwards checks the
counts, the file hashes and the audit chain again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zhenggai import __version__
from zhenggai.cli import UserError

log = logging.getLogger("zhenggai.backup")

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MEDIA = "media"
ANCHOR = "audit_anchor.log"
ENGINES = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgresql",
}
CHUNK = 1024 * 1024
# gzip's own default rather than tarfile's 9: evidence (PDF, JPEG, DOCX) is compressed
# already, so the highest level would gain next to nothing on it.
GZIP_LEVEL = 6


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser(
        "backup",
        help="备份数据库和佐证材料文件（不含密钥）",
        description="把数据库、佐证材料文件和校验清单（manifest.json）写入一个 .tar.gz 文件。"
        "密钥文件不在备份中，须另行保管。",
    )
    backup.add_argument("output", type=Path, help="备份文件，如 zhenggai-20240108.tar.gz")
    backup.set_defaults(handler=run_backup)
    restore = sub.add_parser(
        "restore",
        help="从备份恢复到空的数据目录或空数据库",
        description="校验备份文件后恢复数据库和佐证材料文件；目标已有数据时拒绝恢复。",
    )
    restore.add_argument("archive", type=Path, help="zhenggai backup 生成的 .tar.gz 文件")
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from zhenggai.ledger.serve import setup_ledger

    setup_ledger()
    manifest = create_backup(args.output)
    rows = sum(manifest["counts"].values())
    print(
        f"已备份到 {args.output}：{rows} 条记录，{len(manifest['files'])} 个文件。"
        "密钥文件（secret_key 等）不在备份中，请另行保管。"
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from zhenggai.ledger.serve import setup_django

    setup_django()
    manifest = restore_backup(args.archive)
    rows = sum(manifest["counts"].values())
    print(f"已恢复：{rows} 条记录、{len(manifest['files'])} 个文件，校验一致，审计链完整。")
    return 0


# --- backup --------------------------------------------------------------------------------


def create_backup(output: Path) -> dict[str, Any]:
    """Write the archive (to a temporary name first: a failed backup leaves no partial file)."""
    from django.conf import settings

    if output.exists():
        raise UserError(f"备份文件已存在，不会覆盖：{output}")
    if not output.parent.is_dir():
        raise UserError(f"备份文件所在的文件夹不存在：{output.parent}")
    with tempfile.TemporaryDirectory(prefix="zhenggai-backup-") as work:
        # The anchor is copied before the database: the restored chain may run past its last
        # checkpoint (events committed in between) but never fall short of it.
        anchor = _copy_anchor(Path(work))
        engine, database, counts = _dump_database(Path(work))
        media = dict(_media_files(Path(settings.MEDIA_ROOT)))
        if anchor is not None:
            media[ANCHOR] = anchor
        files = {database.name: _sha256(database)}
        files.update({name: _sha256(path) for name, path in media.items()})
        manifest = {
            "format": FORMAT,
            "zhenggai": __version__,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {"engine": engine, "file": database.name},
            "counts": counts,
            "files": files,
        }
        partial = output.with_name(output.name + ".partial")
        try:
            _write_archive(partial, manifest, database, media)
            os.replace(partial, output)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            log.warning("cannot write backup %s: %r", output, exc)
            raise UserError(f"无法写入备份文件：{output}（{exc.strerror or exc}）") from exc
    _audit("system.backup", f"备份到 {output.name}，SHA-256 {_sha256(output)}")
    return manifest


def _copy_anchor(work: Path) -> Path | None:
    from django.conf import settings

    source = Path(settings.ZHENGGAI_AUDIT_ANCHOR_FILE)
    if not source.is_file():
        return None
    copy = work / ANCHOR
    shutil.copyfile(source, copy)
    return copy


def _dump_database(work: Path) -> tuple[str, Path, dict[str, int]]:
    engine = _engine()
    if engine == "sqlite":
        return engine, *_dump_sqlite(work / SQLITE_FILE)
    return engine, *_dump_postgres(work / POSTGRES_FILE)


def _dump_sqlite(target: Path) -> tuple[Path, dict[str, int]]:
    """SQLite's online backup API: a consistent copy while other connections keep writing."""
    from django.db import connection

    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return target, _counts(copy.cursor())
    finally:
        copy.close()


def _dump_postgres(target: Path) -> tuple[Path, dict[str, int]]:
    """Count and dump in one snapshot: pg_dump joins the snapshot this transaction exports."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _counts(cursor)
        _pg("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}")
    return target, counts


def _write_archive(
    path: Path, manifest: dict[str, Any], database: Path, media: dict[str, Path]
) -> None:
    with tarfile.open(path, "w:gz", compresslevel=GZIP_LEVEL) as archive:
        data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
        archive.addfile(info, _bytes_io(data))
        archive.add(database, arcname=database.name)
        for name, file in media.items():
            archive.add(file, arcname=name)


# --- restore -------------------------------------------------------------------------------


def restore_backup(archive: Path) -> dict[str, Any]:
    from django.conf import settings

    with tempfile.TemporaryDirectory(prefix="zhenggai-restore-") as work:
        unpacked = Path(work)
        manifest = _unpack_verified(archive, unpacked)
        _require_empty_target(manifest)
        media_root = Path(settings.MEDIA_ROOT)
        _restore_media(unpacked / MEDIA, media_root)
        _restore_anchor(unpacked / ANCHOR)
        try:
            _restore_database(manifest, unpacked / manifest["database"]["file"])
        except BaseException:
            shutil.rmtree(media_root, ignore_errors=True)  # it was empty before: all or nothing
            Path(settings.ZHENGGAI_AUDIT_ANCHOR_FILE).unlink(missing_ok=True)
            raise
    _check_restored(manifest, media_root)
    return manifest


def _unpack_verified(archive: Path, work: Path) -> dict[str, Any]:
    """Unpack and check every file against the manifest; refuse on any difference."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")  # no absolute paths, links out, devices
        manifest: dict[str, Any] = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, tarfile.TarError, ValueError) as exc:
        log.info("cannot read backup %s: %r", archive, exc)
        raise UserError(
            f"无法读取备份文件（不存在、已损坏或不是 zhenggai 备份）：{archive}"
        ) from exc
    if manifest.get("format") != FORMAT:
        raise UserError(f"备份格式版本不受支持：{manifest.get('format')}")
    found = {name for name, _ in _files_under(work)} - {MANIFEST}
    listed = set(manifest["files"])
    if found != listed:
        extra = sorted(found ^ listed)[0]
        raise UserError(f"备份文件校验失败：{extra} 与清单不符（多出或缺失），已拒绝恢复。")
    for name, digest in sorted(manifest["files"].items()):
        if _sha256(work / name) != digest:
            raise UserError(f"备份文件校验失败：{name} 的 SHA-256 与清单不符，已拒绝恢复。")
    return manifest


def _require_empty_target(manifest: dict[str, Any]) -> None:
    from django.conf import settings
    from django.db import connection

    engine, wanted = _engine(), manifest["database"]["engine"]
    if engine != wanted:
        raise UserError(f"备份来自 {wanted} 数据库，当前配置的是 {engine}，无法直接恢复。")
    tables = connection.introspection.table_names()
    if tables:
        raise UserError(
            f"目标数据库不为空（已有 {len(tables)} 张表），恢复只能写入空数据库；"
            "请换一个空的数据目录或新建数据库。"
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise UserError(f"目标数据目录不为空：{media_root} 中已有文件，恢复只能写入空的数据目录。")
    anchor = Path(settings.ZHENGGAI_AUDIT_ANCHOR_FILE)
    if anchor.is_file() and anchor.stat().st_size:
        raise UserError(
            f"目标数据目录不为空：审计锚点文件 {anchor} 已有记录，恢复只能写入空的数据目录。"
        )


def _restore_anchor(source: Path) -> None:
    """The anchor file of the backed-up chain (checked empty by ``_require_empty_target``)."""
    from django.conf import settings

    if source.is_file():
        target = Path(settings.ZHENGGAI_AUDIT_ANCHOR_FILE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _restore_media(source: Path, media_root: Path) -> None:
    if media_root.exists():
        media_root.rmdir()  # empty, checked above
    if source.exists():
        shutil.copytree(source, media_root)
    else:
        media_root.mkdir(parents=True)


def _restore_database(manifest: dict[str, Any], dump: Path) -> None:
    from django.db import connection

    if manifest["database"]["engine"] == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    # One transaction: a failing restore leaves the database as empty as it was. Owners and
    # grants of the old server are not carried over (its roles may not exist here).
    _pg(
        "pg_restore", "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error", str(dump)
    )


def _check_restored(manifest: dict[str, Any], media_root: Path) -> None:
    from django.db import connection

    from zhenggai.ledger.audit import verify_audit_chain

    with connection.cursor() as cursor:
        counts = _counts(cursor)
    if counts != manifest["counts"]:
        wrong = sorted(k for k in manifest["counts"] if counts.get(k) != manifest["counts"][k])
        raise UserError(f"恢复后的记录数与备份清单不符：{'、'.join(wrong[:5])}")
    for name, path in _media_files(media_root):
        if manifest["files"].get(name) != _sha256(path):
            raise UserError(f"恢复后的文件与备份清单不符：{name}")
    report = verify_audit_chain()
    if not report.ok:
        raise UserError(
            f"恢复后审计链校验失败：{report.problem}（审计密钥文件是否已放回？见 docs/security.md）"
        )


# --- shared --------------------------------------------------------------------------------


def _engine() -> str:
    from django.conf import settings

    engine = str(settings.DATABASES["default"]["ENGINE"])
    if engine not in ENGINES:
        raise UserError(f"不支持备份这种数据库：{engine}")
    return ENGINES[engine]


def _counts(cursor: Any) -> dict[str, int]:
    """Rows per model (its label, e.g. ``ledger.Measure``), each table counted once."""
    from django.apps import apps

    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        cursor.execute(f'SELECT COUNT(*) FROM "{meta.db_table}"')  # table names from our models
        counts[meta.label] = int(cursor.fetchone()[0])
    return dict(sorted(counts.items()))


def _pg(program: str, *arguments: str) -> None:
    """Run pg_dump / pg_restore against the configured database (password via PGPASSWORD)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    command = [program, *arguments]
    if program == "pg_restore":
        command.insert(1, f"--dbname={db['NAME']}")
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise UserError(
            f"找不到 {program}，请安装 PostgreSQL 客户端（postgresql-client）。"
        ) from exc
    if result.returncode != 0:
        log.warning("%s failed (%s): %s", program, result.returncode, result.stderr.strip())
        first = (result.stderr.strip().splitlines() or ["?"])[0]
        raise UserError(f"{program} 失败（客户端版本须不低于数据库服务器）：{first}")


def _media_files(media_root: Path) -> Iterator[tuple[str, Path]]:
    for name, path in _files_under(media_root):
        yield f"{MEDIA}/{name}", path


def _files_under(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root).as_posix(), path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def _audit(action: str, detail: str) -> None:
    from django.db import transaction

    from zhenggai.ledger import audit

    with transaction.atomic():
        audit.record(action, actor=None, actor_label="zhenggai backup", detail=detail)
