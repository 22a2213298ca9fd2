"""Backup benchmark: ``zhenggai backup`` and ``zhenggai restore`` of a ledger with evidence.

    python benchmarks/bench_backup.py [--files 200] [--size-kb 512] [--write docs/benchmarks.md]

Builds a throwaway installation (SQLite in a temporary data directory): the demo's ledger
(``zhenggai demo --init-only``) plus FILES evidence-sized files of random bytes
(incompressible, like the PDFs and photos real evidence is) written into the media directory.
Then times, wall clock, one run each: the backup (in this process), and the restore as the
real command into a new data directory (a subprocess: interpreter start, verification and
checks included). No target in standards.md; the figures say how long the nightly backup
and a restore drill take.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _sections import write_section  # benchmarks/ is on sys.path when run as a script


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--size-kb", type=int, default=512)
    parser.add_argument("--write", type=Path, help="write the results into this Markdown file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zhenggai-bench-backup-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGGAI_")}
    env.pop("DATABASE_URL", None)
    env.update(ZHENGGAI_DATA=str(work / "source"), ZHENGGAI_DEMO_PASSWORD="Bench-Backup-2024")
    subprocess.run([sys.executable, "-m", "zhenggai", "demo", "--init-only"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    media = work / "source" / "media" / "evidence" / "bench"
    media.mkdir(parents=True, exist_ok=True)
    for number in range(args.files):
        (media / f"{number:05d}.pdf").write_bytes(os.urandom(args.size_kb * 1024))
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhenggai.settings"
    import django

    django.setup()
    from zhenggai.ledger.backup import create_backup

    archive = work / "backup.tar.gz"
    start = time.perf_counter()
    manifest = create_backup(archive)
    backup_s = time.perf_counter() - start
    restore_env = {**env, "ZHENGGAI_DATA": str(work / "restored")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "zhenggai", "restore", str(archive)], env=restore_env,
                   check=True, capture_output=True)  # fmt: skip
    restore_s = time.perf_counter() - start
    payload = args.files * args.size_kb * 1024
    rows = sum(manifest["counts"].values())
    lines = [
        f"Input: the demo ledger ({rows} rows) + {args.files} files × {args.size_kb} KiB "
        f"= {payload / 1e6:.1f} MB of incompressible evidence",
        f"`zhenggai backup`: {backup_s:.2f} s ({payload / 1e6 / backup_s:.1f} MB/s); "
        f"archive {archive.stat().st_size / 1e6:.1f} MB",
        f"`zhenggai restore` (verify, restore, check counts, hashes, audit chain): "
        f"{restore_s:.2f} s",
    ]
    for line in lines:
        print(line)
    if args.write:
        write_section(args.write, "backup", markdown(lines))
    return 0


def markdown(lines: list[str]) -> str:
    cpu = next(
        (row.split(":", 1)[1].strip() for row in Path("/proc/cpuinfo").read_text().splitlines()
         if row.startswith("model name")),
        platform.machine(),
    )  # fmt: skip
    body = "\n".join(f"- {line}" for line in lines)
    return f"""## Backup and restore (SQLite)

Produced by (from the repository root, project virtualenv active):

```
{shlex.join(["python", *sys.argv])}
```

- Date: {dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}; machine: {cpu};
  Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f} at the start
  (a shared machine: one run each, wall clock)

{body}

No target in standards.md (a tested restore is what it asks for: tests/prod/test_backup.py).
"""


if __name__ == "__main__":
    sys.exit(main())
