"""Helpers for the review tests: a one-measure notice built from a short text, and the seed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from zhenggai.notice import parse
from zhenggai.review import Review, Snapshot, from_notice, review

TODAY = date(2026, 1, 1)
OPENING = (
    "2023年10月13日至11月17日，区委第一巡察组对我单位开展了巡察。"
    "2023年12月26日，区委第一巡察组向我单位进行了巡察情况反馈。\n"
    "一、政治建设不到位方面存在的问题及整改情况\n"
)


def snapshot_of(*measures: str, problem: str = "意识形态工作不扎实。") -> Snapshot:
    """A notice with one problem and the given measures, as the parser reads it."""
    numbered = "".join(f"{no}.{text}\n" for no, text in enumerate(measures, start=1))
    return from_notice(parse(f"{OPENING}（一）{problem}\n整改情况：\n{numbered}"), today=TODAY)


def rules_fired(*measures: str, problem: str = "意识形态工作不扎实。") -> set[str]:
    return {f.rule for f in review(snapshot_of(*measures, problem=problem)).findings}


@pytest.fixture(scope="session")
def seed_path() -> Path:
    path = (
        Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "longting-kexie-2024.txt"
    )
    if not path.is_file():
        pytest.skip(f"seed notice not found at {path}")
    return path


@pytest.fixture(scope="session")
def seed_review(seed_path: Path) -> Review:
    from zhenggai.notice import read

    return review(from_notice(parse(read(seed_path)), today=TODAY))
