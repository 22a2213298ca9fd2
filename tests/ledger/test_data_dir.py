"""The command line finds its data wherever it is run from (issue #16, part 6): the data
directory is ``ZHENGGAI_DATA`` or the user's own data directory, never the current folder;
where there is no ledger, or an optional part is missing, the user reads one Chinese line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from zhenggai.cli import UserError, main
from zhenggai.ledger import serve

PASSWORD = "Demo-Data-Dir-2024"


def per_user_env(home: Path) -> dict[str, str]:
    """No ZHENGGAI_DATA, no DATABASE_URL: the per-user default under ``home``."""
    drop = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ZHENGGAI_DATA")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return {**env, "HOME": str(home), "XDG_DATA_HOME": str(home / "share")}


def zhenggai(home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhenggai", *args],
        env={**per_user_env(home), "ZHENGGAI_DEMO_PASSWORD": PASSWORD},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


@pytest.mark.slow
def test_a_report_run_elsewhere_reads_the_demo_made_in_another_folder(tmp_path):
    made_in, run_in = folder(tmp_path / "here"), folder(tmp_path / "elsewhere")
    demo = zhenggai(tmp_path, made_in, "demo", "--init-only")
    assert demo.returncode == 0, demo.stderr
    assert not (made_in / "zhenggai-data").exists()  # nothing left in the current folder
    assert (tmp_path / "share" / "zhenggai" / "zhenggai.sqlite3").is_file()

    report = zhenggai(tmp_path, run_in, "report", "ledger", "--inspection", "1", "-o", "x.xlsx")
    assert report.returncode == 0, report.stderr
    assert (run_in / "x.xlsx").stat().st_size > 0
    assert list(run_in.iterdir()) == [run_in / "x.xlsx"]


def test_without_a_database_the_report_answers_one_chinese_line(tmp_path):
    run_in = folder(tmp_path / "elsewhere")
    report = zhenggai(tmp_path, run_in, "report", "ledger", "--inspection", "1", "-o", "x.xlsx")
    assert report.returncode == 1
    lines = report.stderr.strip().splitlines()
    assert len(lines) == 1, report.stderr
    assert lines[0].startswith("错误：") and "没有台账数据库" in lines[0]
    assert "ZHENGGAI_DATA" in lines[0] and "zhenggai demo" in lines[0]
    assert "Traceback" not in report.stderr
    # Asking did not create an empty database that the next command would trip over.
    assert not (tmp_path / "share" / "zhenggai" / "zhenggai.sqlite3").exists()
    assert not (run_in / "x.xlsx").exists()


def test_zhenggai_data_still_wins_over_the_per_user_default(tmp_path):
    chosen = tmp_path / "chosen"
    shown = subprocess.run(
        [sys.executable, "-c", "from zhenggai import settings; print(settings.DATA_DIR)"],
        env={**per_user_env(tmp_path), "ZHENGGAI_DATA": str(chosen)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(shown.stdout.strip()) == chosen.resolve()


def test_postgresql_without_its_driver_names_the_extra(monkeypatch, capsys):
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the [postgres] extra were absent
    with pytest.raises(UserError, match=r"zhenggai\[postgres\]"):
        serve.setup_django()


def test_a_pdf_without_libreoffice_names_it(tmp_path, monkeypatch, capsys):
    from zhenggai.reports import pdf

    monkeypatch.setattr(pdf, "soffice", lambda: None)
    notice = Path(__file__).parents[2] / "src/zhenggai/ledger/demo_data/longting-kexie-2024.txt"
    code = main(
        ["report", "notice", "--from-notice", str(notice), "--pdf", "-o", str(tmp_path / "n.docx")]
    )
    assert code == 1
    error = capsys.readouterr().err.strip()
    assert "LibreOffice" in error and "apt-get install" in error and "\n" not in error
