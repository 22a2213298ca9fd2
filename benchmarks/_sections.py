"""Each benchmark owns one section of docs/benchmarks.md, between its own markers.

``write_section(path, "notice", markdown)`` replaces the text between
``<!-- begin notice -->`` and ``<!-- end notice -->`` (appending the section when it is not
there yet), so running one benchmark never erases the figures another one wrote.
"""

from __future__ import annotations

from pathlib import Path

TITLE = "# Benchmarks\n\nEach section below was written by the command it names.\n"


def write_section(path: Path, name: str, text: str) -> None:
    begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
    block = f"{begin}\n{text.strip()}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else TITLE
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        tail = rest.split(end, 1)[1]
        updated = head + block + tail
    else:
        updated = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(updated, encoding="utf-8")
