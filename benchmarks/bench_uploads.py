"""Upload limits benchmark: peak memory of refusing each bomb and of accepting large uploads.

    python benchmarks/bench_uploads.py [--write docs/benchmarks.md]

Run with the project's virtualenv. The hostile files are built in a temporary folder (never
committed): a 1.6 GB-inflating .docx, a 1.5 GB-inflating .xlsx sheet, a .docx of 100,000
members, a ledger sheet 1,000 rows over ``ZHENGGAI_XLSX_MAX_ROWS``; and the largest
uploads the default limits accept: a .docx whose document.xml inflates to just under
``ZHENGGAI_UNZIPPED_MAX_MB``, a ledger sheet of ``ZHENGGAI_XLSX_MAX_ROWS`` rows, a PDF
evidence file of ``ZHENGGAI_UPLOAD_MAX_MB``.

Each case runs in a fresh child process (``python bench_uploads.py --case NAME FILE``), which
reports its own peak RSS (``VmHWM``; ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` beside it)
and the outcome;
the target is 300 MB for every case. The notice cases go through ``zhenggai.notice.read``
(what ``zhenggai parse`` and the web import call), the ledger cases through the import's
sheet reader (``excel._read_sheet``: the same checks and openpyxl read as
``excel.import_ledger``, without a database), the evidence case through the type check and
checksum of ``actions.add_evidence``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from _sections import write_section  # benchmarks/ is on sys.path when run as a script

MB = 1024 * 1024
TARGET_MB = 300
COMMAND = "python benchmarks/bench_uploads.py --write docs/benchmarks.md"
PARAGRAPH = (
    "<w:p><w:r><w:t>（一）关于党组理论学习中心组学习制度落实不到位的问题。"
    "整改措施：制定学习计划，每季度至少开展一次专题研讨，形成学习记录并存档备查。</w:t></w:r></w:p>"
)


# --- building the files (parent process) -------------------------------------------------


def _small_docx() -> bytes:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def _replace_part(package: bytes, part: str, chunks: Callable[[], object], path: Path) -> Path:
    """``package`` written to ``path`` with ``part`` streamed from ``chunks()``."""
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            if member.filename != part:
                target.writestr(member, source.read(member))
                continue
            with target.open(part, "w", force_zip64=True) as stream:
                for chunk in chunks():  # type: ignore[attr-defined]
                    stream.write(chunk)
    return path


def _spaces(prefix: bytes, megabytes: int) -> Callable[[], object]:
    def chunks() -> object:
        yield prefix
        block = b" " * MB
        for _ in range(megabytes):
            yield block

    return chunks


def _document_xml(megabytes: float) -> Callable[[], object]:
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>"
    )
    paragraph = PARAGRAPH.encode()
    count = int(megabytes * MB / len(paragraph))

    def chunks() -> object:
        yield head
        block = paragraph * 1000
        for _ in range(count // 1000):
            yield block
        yield b"</w:body></w:document>"

    return chunks


def _ledger_sheet(path: Path, rows: int) -> Path:
    import xlsxwriter

    from zhenggai.ledger.excel import HEADERS

    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:
        sheet = book.add_worksheet("整改台账")
        sheet.write_row(0, 0, ["龙亭区科协巡察整改台账"])
        sheet.write_row(1, 0, HEADERS)
        for row in range(2, rows + 2):
            sheet.write_row(
                row,
                0,
                [
                    f"1.1.{row}",
                    "政治引领不突出方面",
                    "学习贯彻不够深入的问题",
                    "制定学习计划，每季度至少开展一次专题研讨，形成学习记录并存档备查。",
                    "张明",
                    "办公室",
                    "李华",
                    "2024-09-30",
                    "",
                    "已印发学习计划，组织集中学习3次。",
                ],
            )
    return path


def build(folder: Path, limits: dict[str, int]) -> dict[str, tuple[str, Path]]:
    """case name → (description, file)."""
    docx = _small_docx()
    unzipped = limits["unzipped_mb"]
    files: dict[str, tuple[str, Path]] = {}
    files["docx bomb"] = (
        ".docx, document.xml inflating to 1.6 GB (refused)",
        _replace_part(
            docx, "word/document.xml", _spaces(b"<w:document>", 1600), folder / "bomb.docx"
        ),
    )
    with zipfile.ZipFile(folder / "members.docx", "w") as many:
        for member in zipfile.ZipFile(io.BytesIO(docx)).infolist():
            many.writestr(member, zipfile.ZipFile(io.BytesIO(docx)).read(member))
        for index in range(100_000):
            many.writestr(f"extra/{index}.xml", b"")
    files["docx members"] = (".docx with 100,000 members (refused)", folder / "members.docx")
    files["docx large"] = (
        f".docx, document.xml inflating to {unzipped - 2} MB of paragraphs (accepted)",
        _replace_part(
            docx, "word/document.xml", _document_xml(unzipped - 2), folder / "large.docx"
        ),
    )
    small_sheet = _ledger_sheet(folder / "small.xlsx", 1)
    files["xlsx bomb"] = (
        ".xlsx, sheet inflating to 1.5 GB (refused)",
        _replace_part(
            small_sheet.read_bytes(),
            "xl/worksheets/sheet1.xml",
            _spaces(b"<worksheet>", 1500),
            folder / "bomb.xlsx",
        ),
    )
    files["xlsx rows"] = (
        f".xlsx ledger sheet of {limits['rows'] + 1000:,} rows (refused)",
        _ledger_sheet(folder / "rows.xlsx", limits["rows"] + 1000),
    )
    files["xlsx large"] = (
        f".xlsx ledger sheet of {limits['rows']:,} rows (accepted)",
        _ledger_sheet(folder / "large.xlsx", limits["rows"]),
    )
    pdf = folder / "evidence.pdf"
    with pdf.open("wb") as out:
        out.write(b"%PDF-1.4\n")
        block = os.urandom(MB)
        for _ in range(limits["upload_mb"] - 1):
            out.write(block)
    files["evidence large"] = (
        f"PDF evidence of {limits['upload_mb'] - 1} MB (accepted: type check and checksum)",
        pdf,
    )
    return files


# --- one case (child process) --------------------------------------------------------------


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")
    os.environ.setdefault("ZHENGGAI_DATA", tempfile.mkdtemp(prefix="bench-uploads-"))
    django.setup()


def run_case(name: str, path: Path) -> dict[str, object]:
    clock = time.perf_counter()
    if name.startswith("docx"):
        from zhenggai.ledger.uploads import zip_limits
        from zhenggai.notice.read import ReadError, read

        _django()
        try:
            outcome = f"accepted, {len(read(path, limits=zip_limits())):,} characters"
        except ReadError as exc:
            outcome = f"refused: {exc}"
    elif name.startswith("xlsx"):
        _django()
        from zhenggai.ledger import excel

        result = excel.ImportResult()
        with path.open("rb") as file:
            rows = excel._read_sheet(file, result)
        outcome = f"refused: {result.messages()[0]}" if result.errors else f"{len(rows):,} rows"
    else:
        _django()
        from django.core.files import File

        from zhenggai.ledger import actions, uploads
        from zhenggai.ledger.models import Evidence

        with path.open("rb") as file:
            evidence = Evidence()
            actions._describe_file(evidence, File(file, name="扫描件.pdf"))
            kind = uploads.evidence_type(file)
        outcome = f"accepted as {kind.label if kind else None}, {evidence.size:,} bytes"
    seconds = time.perf_counter() - clock
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"outcome": outcome, "seconds": seconds, "peak_mb": _hwm_mb(), "maxrss_mb": maxrss}


def _hwm_mb() -> float:
    """The process's own high-water mark (``VmHWM``): unlike ``ru_maxrss`` it starts afresh
    at exec, so it does not include the parent's memory at the fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- report ----------------------------------------------------------------------------------


def report(files: dict[str, tuple[str, Path]], results: dict[str, dict[str, object]]) -> str:
    import django

    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Upload limits",
        "",
        "Produced by (from the repository root, project virtualenv active):",
        "",
        f"```\n{COMMAND}\n```",
        "",
        f"- Date: {started}",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores (shared); "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end",
        f"- Python {platform.python_version()}, Django {django.get_version()}; default limits "
        "(`ZHENGGAI_UPLOAD_MAX_MB`, `ZHENGGAI_UNZIPPED_MAX_MB`, `ZHENGGAI_ZIP_MAX_MEMBERS`, "
        "`ZHENGGAI_XLSX_MAX_ROWS`)",
        "- Each case in a fresh child process; peak RSS is the child's high-water mark "
        "(`VmHWM`), which includes the interpreter and Django (about 60–70 MB). The child's "
        "`ru_maxrss` is shown too: on Linux it keeps the parent's size at the fork across "
        "exec, so it never reads below the parent's (the benchmark's own) memory",
        "- Time: the wall clock of the case in its child (imports and Django's setup "
        "included), on a shared machine; only memory has a target here",
        "",
        "| Case | File | Outcome | Time | Peak RSS | ru_maxrss | ≤ 300 MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, (description, path) in files.items():
        result = results[name]
        peak = float(result["peak_mb"])  # type: ignore[arg-type]
        size = path.stat().st_size / MB
        lines.append(
            f"| {description} | {size:.1f} MB | {result['outcome']} | "
            f"{float(result['seconds']):.1f} s | {peak:.0f} MB | "  # type: ignore[arg-type]
            f"{float(result['maxrss_mb']):.0f} MB | "  # type: ignore[arg-type]
            f"{'PASS' if peak <= TARGET_MB else 'FAIL'} |"
        )
    lines += [
        "",
        "Refusals of zip packages come before any parser opens them: the member count from the "
        "zip's end record, the declared sizes from its central directory, then every member "
        "inflated in 1 MB chunks and counted (`zhenggai.notice.zipguard`). The row limit stops "
        "openpyxl's read-only stream at the first row past it.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the section into this Markdown file")
    parser.add_argument("--case", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case[0], Path(args.case[1]))))
        return 0
    _django()
    from django.conf import settings

    limits = {
        "upload_mb": settings.ZHENGGAI_UPLOAD_MAX_MB,
        "unzipped_mb": settings.ZHENGGAI_UNZIPPED_MAX_MB,
        "rows": settings.ZHENGGAI_XLSX_MAX_ROWS,
    }
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as folder:
        files = build(Path(folder), limits)
        results = {}
        for name, (_, path) in files.items():
            child = subprocess.run(
                [sys.executable, __file__, "--case", name, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            results[name] = json.loads(child.stdout.strip().splitlines()[-1])
            failed |= float(results[name]["peak_mb"]) > TARGET_MB
            print(name, results[name], file=sys.stderr)
        text = report(files, results)
    print(text)
    if args.write:
        write_section(args.write, "uploads", text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
