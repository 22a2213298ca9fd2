"""Settings: the environment is read in one place and every variable is documented."""

from __future__ import annotations

import ast
import os
import re
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.backends.sqlite3.base import DatabaseWrapper

from zhenggai import settings as zsettings
from zhenggai.ledger.passwords import character_classes

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_PY = ROOT / "src" / "zhenggai" / "settings.py"
CONFIGURATION_MD = ROOT / "docs" / "configuration.md"


def variables_read_by_settings() -> set[str]:
    tree = ast.parse(SETTINGS_PY.read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("_env_")
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def variables_documented() -> set[str]:
    table = CONFIGURATION_MD.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, flags=re.MULTILINE))


def test_every_variable_read_is_documented_and_every_documented_one_is_read():
    read = variables_read_by_settings()
    assert {"ZHENGGAI_DATA", "DATABASE_URL", "ZHENGGAI_SECRET_KEY"} <= read
    assert read == variables_documented()


def test_the_environment_is_read_only_through_the_helpers():
    source = SETTINGS_PY.read_text(encoding="utf-8")
    helpers = source.split("\ndef _secret_key")[0]
    rest = source[len(helpers) :]
    assert "os.environ" not in rest and "getenv" not in rest


def test_tests_use_a_temporary_data_directory():
    data = Path(settings.DATA_DIR)
    assert data == Path(os.environ["ZHENGGAI_DATA"]).resolve()
    assert not data.is_relative_to(Path.cwd())
    assert Path(settings.MEDIA_ROOT).parent == data
    assert Path(settings.STATIC_ROOT).parent == data


def test_the_secret_key_is_generated_once_private_and_reused(tmp_path):
    path = tmp_path / "secret_key"
    key = zsettings._secret_key(path)
    assert len(key) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert zsettings._secret_key(path) == key


@pytest.mark.django_db  # lets pytest-django allow the extra connection this test opens
def test_the_default_database_is_sqlite_in_wal_mode(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = zsettings._databases(tmp_path)["default"]
    assert config["NAME"] == str(tmp_path / "zhenggai.sqlite3")
    wrapper = DatabaseWrapper(
        {
            **config,
            "TIME_ZONE": None,
            "CONN_HEALTH_CHECKS": False,
            "CONN_MAX_AGE": 0,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
        }
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()


def test_a_postgres_url_switches_the_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://zg:secret@db.example:5432/ledger")
    config = zsettings._databases(tmp_path)["default"]
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["USER"]) == ("ledger", "db.example", "zg")
    assert "OPTIONS" not in config or "init_command" not in config["OPTIONS"]


@pytest.mark.parametrize(
    ("name", "value", "parse", "expected"),
    [
        ("X_BOOL", "yes", zsettings._env_bool, True),
        ("X_BOOL", "0", zsettings._env_bool, False),
        ("X_INT", "30", zsettings._env_int, 30),
        ("X_LIST", " a.gov.cn, b.gov.cn ,", zsettings._env_list, ["a.gov.cn", "b.gov.cn"]),
    ],
)
def test_environment_values_are_parsed(monkeypatch, name, value, parse, expected):
    monkeypatch.setenv(name, value)
    default = {zsettings._env_bool: False, zsettings._env_int: 0, zsettings._env_list: []}[parse]
    assert parse(name, default) == expected


def test_the_fixed_settings_follow_the_standards():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == (
        "zh-hans",
        "Asia/Shanghai",
        True,
    )
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.SESSION_COOKIE_AGE == 15 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    # The language the user chose, never the browser's Accept-Language (tests/web/test_i18n.py).
    assert "zhenggai.web.middleware.ChosenLanguageMiddleware" in settings.MIDDLEWARE
    # whitenoise right after SecurityMiddleware (its docs), under our CSP/Cache-Control headers.
    middleware = list(settings.MIDDLEWARE)
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert middleware[0] == "zhenggai.web.headers.SecurityHeadersMiddleware"


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Ab1", False),
        ("Abcdefg-1", False),  # 9 characters: ZHENGGAI_PASSWORD_MIN_LENGTH is 10
        ("abcdefghij1", False),
        ("zhenggai-ledger", False),
        ("Zheng-gai24", True),
        ("整改台账abc123", True),
    ],
)
def test_passwords_need_10_characters_from_3_of_4_classes(db, password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(DjangoValidationError):
            validate_password(password)


def test_character_classes_are_counted():
    assert [character_classes(p) for p in ("abc", "aB", "aB1", "aB1-", "整改")] == [1, 2, 3, 4, 1]
