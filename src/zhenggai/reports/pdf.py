"""PDF from .docx through LibreOffice headless, with the GB fonts mapped to installed CJK fonts.

The GB fonts the documents name (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体, 宋体) are
proprietary and absent on a Debian server. Without help fontconfig hands LibreOffice one
sans font for all of them; ``FONTCONFIG_ALIASES`` maps each to the closest free face (serif
for 仿宋/宋体/小标宋, sans for 黑体, AR PL UKai for 楷体 when installed) and is passed per call
through ``FONTCONFIG_FILE``, next to a throwaway LibreOffice profile, so conversions neither
touch the user's profile nor block each other on its lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

DEFAULT_TIMEOUT_S = 120
INSTALL_HINT = "sudo apt-get install -y libreoffice-writer-nogui fonts-noto-cjk"

SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN")
SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
KAI = ("AR PL UKai CN", *SERIF)
ALIASES: dict[str, tuple[str, ...]] = {
    "仿宋_GB2312": SERIF,
    "仿宋": SERIF,
    "FangSong": SERIF,
    "宋体": SERIF,
    "SimSun": SERIF,
    "方正小标宋简体": SERIF,
    "黑体": SANS,
    "SimHei": SANS,
    "楷体_GB2312": KAI,
    "楷体": KAI,
    "KaiTi": KAI,
}


class PdfUnavailable(Exception):
    """LibreOffice is missing, timed out or failed; the message is for the user (Chinese)."""


def fontconfig_aliases() -> str:
    """A fonts.conf that keeps the system configuration and adds the GB font aliases."""
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{face}</family>" for face in faces)
        + "</prefer></alias>"
        for name, faces in ALIASES.items()
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{aliases}\n</fontconfig>\n"
    )


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(
    docx_path: str | Path, pdf_path: str | Path, *, timeout: float = DEFAULT_TIMEOUT_S
) -> Path:
    """Convert ``docx_path`` to ``pdf_path``; raise ``PdfUnavailable`` with a Chinese message."""
    executable = soffice()
    if executable is None:
        raise PdfUnavailable(f"未安装 LibreOffice，无法生成 PDF。请先安装：{INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="zhenggai-pdf-") as work:
        source = Path(work) / "document.docx"
        shutil.copyfile(docx_path, source)
        _convert(executable, source, Path(work), timeout)
        produced = Path(work) / "document.pdf"
        if not produced.exists():
            raise PdfUnavailable("LibreOffice 未能生成 PDF，请检查文档或用 Word/WPS 另存为 PDF。")
        shutil.copyfile(produced, pdf_path)
    return Path(pdf_path)


def _convert(executable: str, source: Path, work: Path, timeout: float) -> None:
    conf = work / "fonts.conf"
    conf.write_text(fontconfig_aliases(), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(work)}
    command = [
        executable,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work),
        str(source),
    ]
    try:
        subprocess.run(command, env=env, cwd=work, capture_output=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired as exc:
        raise PdfUnavailable(f"LibreOffice 转换超时（{timeout:.0f} 秒），请稍后重试。") from exc
    except subprocess.CalledProcessError as exc:
        raise PdfUnavailable(f"LibreOffice 转换失败（退出码 {exc.returncode}）。") from exc
