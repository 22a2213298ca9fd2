"""The ledger's personas and the documents' ``filled`` inspection, shared rather than
invented again."""

from tests.ledger.conftest import PERSONAS, World, world
from tests.reports.conftest import filled

__all__ = ["PERSONAS", "World", "filled", "world"]
