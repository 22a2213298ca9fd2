"""Fixtures shared by the notice tests: the shared folder and the real sample notice."""

from __future__ import annotations

from pathlib import Path

import pytest

SEED_NAME = "longting-kexie-2024.txt"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's ``shared`` folder (design docs, seed notices), beside the checkout."""
    path = Path(__file__).resolve().parents[2].parent / "shared"
    if not path.is_dir():
        pytest.skip(f"shared folder not found at {path} (it holds the seed notices)")
    return path


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    """The real published notice (UTF-8 in the repository's shared folder)."""
    path = shared_dir / "seed" / SEED_NAME
    if not path.is_file():
        pytest.skip(f"seed notice not found at {path}")
    return path.read_text(encoding="utf-8")
