"""zhenggai (整改): inspection rectification ledger — parse notices, run the work, write documents."""

__version__ = "0.1.0"
