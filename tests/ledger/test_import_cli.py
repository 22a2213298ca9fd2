"""``zhenggai import``: the notice import from the command line, all or nothing."""

from __future__ import annotations

from importlib import resources

import pytest

from zhenggai import cli
from zhenggai.ledger.models import AuditEvent, Inspection

NOTICE = resources.files("zhenggai.ledger") / "demo_data" / "longting-kexie-2024.txt"


@pytest.fixture
def notice_file(tmp_path):
    path = tmp_path / "通报.txt"
    path.write_text(NOTICE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def run(notice, unit="区科协", user="group", *extra):
    argv = ["import", str(notice), "--unit", unit, "--round", "十四届区委第五轮巡察"]
    return cli.main([*argv, "--group", "区委第一巡察组", "--user", user, *extra])


def test_the_import_writes_the_inspection_and_one_event(world, notice_file, capsys):
    before = Inspection.objects.count()
    assert run(notice_file) == 0
    inspection = Inspection.objects.latest("id")
    assert Inspection.objects.count() == before + 1 and inspection.unit == world.unit_a
    assert inspection.aspects.count() > 0 and inspection.handed_over_at is not None
    assert AuditEvent.objects.filter(action="inspection.import").count() == 1
    assert "已导入" in capsys.readouterr().out


@pytest.mark.parametrize(
    "case",
    [
        ("区文旅局", "group", "发文单位"),  # another unit's notice, not confirmed
        ("不存在的单位", "group", "没有被巡察单位"),
        ("区科协", "leader", "只有巡察办或本巡察组"),
        ("区科协", "nobody", "没有账号"),
    ],
)
def test_bad_input_is_one_chinese_line_and_writes_nothing(world, notice_file, capsys, case):
    unit, user, message = case
    before = Inspection.objects.count()
    assert run(notice_file, unit, user) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err and "Traceback" not in err
    assert Inspection.objects.count() == before


def test_another_issuer_is_imported_when_confirmed(world, notice_file):
    assert run(notice_file, "区文旅局", "office", "--confirm-issuer") == 0
    assert Inspection.objects.latest("id").unit == world.unit_b


def test_an_unreadable_file_is_refused(world, tmp_path, capsys):
    assert run(tmp_path / "missing.txt") == 1
    assert "无法读取文件" in capsys.readouterr().err
