"""Zip bombs and other hostile packages are refused before python-docx opens them, in
``read`` and in ``zhenggai parse``, with one Chinese line."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from tests.bombs import MB, docx_bomb, lying_sizes, many_members, small_docx
from zhenggai.cli import main
from zhenggai.notice import zipguard
from zhenggai.notice.read import ReadError, read
from zhenggai.notice.zipguard import ZipLimitError, ZipLimits, check_zip

SMALL = ZipLimits(max_file_bytes=1 * MB, max_unzipped_bytes=2 * MB, max_members=50)


def test_a_docx_that_inflates_past_the_limit_is_refused_unread(monkeypatch) -> None:
    bomb, opened = docx_bomb(3), []
    reader = sys.modules["zhenggai.notice.read"]  # the package exports read(), not the module
    monkeypatch.setattr(reader.docx, "Document", opened.append)
    with pytest.raises(
        ReadError, match=r"^“通报.docx”：文件解压后过大（超过 2 MB），可能是压缩炸弹"
    ):
        read(bomb, filename="通报.docx", limits=SMALL)
    assert opened == []  # python-docx never saw it


def test_the_default_limits_refuse_a_bomb_too(tmp_path: Path) -> None:
    path = tmp_path / "通报.docx"
    path.write_bytes(docx_bomb(30))
    assert path.stat().st_size < 1 * MB  # small on disk
    with pytest.raises(ReadError, match="压缩炸弹"):
        read(path)


def test_a_docx_with_too_many_members_is_refused() -> None:
    with pytest.raises(ReadError, match=r"压缩包内文件过多（\d+ 个），上限为 50 个"):
        read(many_members(small_docx(), 60), filename="通报.docx", limits=SMALL)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "通报.txt"
    path.write_bytes("一".encode() * (MB // 2))
    with pytest.raises(ReadError, match=r"^“通报.txt”：文件过大（1\.5 MB），上限为 1 MB。$"):
        read(path, limits=SMALL)


def test_a_docx_within_the_limits_is_read() -> None:
    assert read(small_docx("一、关于党建工作"), filename="通报.docx", limits=SMALL).strip() == (
        "一、关于党建工作"
    )


def test_sizes_the_directory_understates_are_caught_while_inflating() -> None:
    bomb = lying_sizes(docx_bomb(0), "word/document.xml", 10)
    with pytest.raises(zipfile.BadZipFile):
        check_zip(bomb, SMALL)
    with pytest.raises(ReadError, match="损坏"):
        read(bomb, filename="通报.docx", limits=SMALL)


def test_the_inflated_bytes_are_counted_not_the_declared_ones(monkeypatch) -> None:
    # Were zipfile to trust the local header instead, the count while inflating still holds.
    bomb = docx_bomb(3)
    monkeypatch.setattr(zipguard, "_check_declared", lambda members, limits: None)
    with pytest.raises(ZipLimitError, match="压缩炸弹") as refused:
        check_zip(io.BytesIO(bomb), SMALL)
    assert "inflated" in refused.value.detail


def test_a_directory_claiming_a_million_members_is_refused_from_its_end_record() -> None:
    data = bytearray(small_docx())
    at = data.rfind(b"PK\x05\x06")
    data[at + 8 : at + 12] = (1_000_000 % 65536).to_bytes(2, "little") * 2
    with pytest.raises(ZipLimitError, match="压缩包内文件过多"):
        check_zip(bytes(data), SMALL)


def test_zhenggai_parse_refuses_a_bomb_in_one_chinese_line(tmp_path: Path, capsys) -> None:
    bomb, good = tmp_path / "炸弹.docx", tmp_path / "通报.docx"
    bomb.write_bytes(docx_bomb(30))
    good.write_bytes(small_docx("一、关于党建工作"))
    status = main(["parse", str(bomb), str(good), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if line.startswith("错误")]  # not the log's English lines
    assert status == 1
    assert errors == ["错误：“炸弹.docx”：文件解压后过大（超过 20 MB），可能是压缩炸弹，已拒收。"]
    assert not (tmp_path / "out" / "炸弹.json").exists()
    assert (tmp_path / "out" / "通报.json").exists()
