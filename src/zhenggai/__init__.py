"""zhenggai (整改): the inspection rectification ledger.

Parse notices, run the work, write the documents owed, review the rectification.
"""

__version__ = "0.1.0"
