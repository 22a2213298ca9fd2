"""``docs/reminders.md`` documents the command, its options, the scheduler and the settings."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import load_command_class

DOC = Path(__file__).resolve().parents[2] / "docs" / "reminders.md"
SETTINGS = Path(__file__).resolve().parents[2] / "src" / "zhenggai" / "settings.py"


def test_the_command_its_options_and_both_schedulers_are_documented():
    text = DOC.read_text(encoding="utf-8")
    for needle in ("zhenggai remind", "zhenggai manage remind", "--dry-run", "--today"):
        assert needle in text, needle
    assert "crontab" in text and "OnCalendar=" in text and "Persistent=true" in text
    command = load_command_class("zhenggai.supervision", "remind")
    parser = command.create_parser("zhenggai", "remind")
    options = {opt for action in parser._actions for opt in action.option_strings}
    assert {"--dry-run", "--today"} <= options


def test_every_supervision_setting_is_explained_here():
    source = SETTINGS.read_text(encoding="utf-8").split("zhenggai.supervision; docs/reminders.md")[
        1
    ]
    # The opinions' own settings follow in their section (documented in docs/configuration.md).
    source = source.split("# --- 群众监督意见")[0]
    names = set(re.findall(r'_env_\w+\("(ZHENGGAI_\w+)"', source))
    assert "ZHENGGAI_YELLOW_DAYS" in names and "ZHENGGAI_EMAIL_HOST" in names
    text = DOC.read_text(encoding="utf-8")
    assert {name for name in names if name not in text} == set()
