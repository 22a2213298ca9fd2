"""The ledger's personas (``tests/ledger/conftest.py``), shared rather than invented again."""

from tests.ledger.conftest import PERSONAS, World, submit, world

__all__ = ["PERSONAS", "World", "submit", "world"]
