"""``zhenggai manage check --deploy`` for the documented production settings: nothing to act on
(HSTS preload and subdomains are silenced on purpose, see settings.py and docs/security.md)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path


def _check_deploy(data: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ZHENGGAI_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        ZHENGGAI_DATA=str(data),
        ZHENGGAI_HTTPS="1",
        ZHENGGAI_ALLOWED_HOSTS="zhenggai.example.gov.cn",
        ZHENGGAI_SECRET_KEY=secrets.token_urlsafe(50),
        **settings,
    )
    command = [sys.executable, "-m", "zhenggai", "manage", "check", "--deploy"]
    return subprocess.run(
        command, check=False, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_check(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, ZHENGGAI_TRUSTED_PROXY="127.0.0.1")
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues (2 silenced)." in output, output


def test_https_without_a_trusted_proxy_is_reported(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, ZHENGGAI_TRUSTED_PROXY="")
    output = result.stdout + result.stderr
    assert "zhenggai.W001" in output and "ZHENGGAI_TRUSTED_PROXY" in output, output
