"""``zhenggai manage`` hands its arguments to Django's management commands."""

from __future__ import annotations

import argparse

import pytest

from zhenggai import cli
from zhenggai.ledger import manage


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="zhenggai")
    manage.add_parser(root.add_subparsers(dest="command"))
    return root


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["manage", "migrate", "--plan"], ["migrate", "--plan"]),
        (["manage", "createsuperuser", "--username", "x"], ["createsuperuser", "--username", "x"]),
        (["manage"], []),
    ],
)
def test_the_arguments_pass_through_unchanged(argv, expected):
    args = parser().parse_args(argv)
    assert (args.arguments, args.handler) == (expected, manage.run)


def test_the_subcommand_is_registered_with_the_cli():
    assert cli.build_parser().parse_args(["manage", "migrate"]).handler is manage.run


@pytest.mark.django_db
def test_a_django_command_runs_with_the_settings(capsys):
    assert manage.run(parser().parse_args(["manage", "verify_audit_chain"])) == 0
    assert "审计链完整" in capsys.readouterr().out


def test_a_leading_help_shows_djangos_help(capsys):
    assert manage.run(parser().parse_args(["manage", "--help"])) == 0
    assert "migrate" in capsys.readouterr().out
