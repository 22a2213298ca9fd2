"""The ledger's personas and the documents' ``filled`` inspection (contacts, a confidential
problem), shared rather than invented again."""

from tests.ledger.conftest import PERSONAS, World, submit, world
from tests.reports.conftest import SECRET, filled

__all__ = ["PERSONAS", "SECRET", "World", "filled", "submit", "world"]
