"""Documents written from the ledger or a parsed notice: GB/T 9704 .docx (and PDF through
LibreOffice), the DA/T 22 archive catalogue. Reads only; it never changes the ledger.

The modules that need no database (``gbt9704``, ``notice``, ``archive``, ``pdf``) import
nothing from Django; ``ledger`` and ``documents`` read ledger models.
"""
