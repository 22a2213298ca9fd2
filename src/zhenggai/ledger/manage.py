"""``zhenggai manage …``: Django's management commands with zhenggai's settings."""

from __future__ import annotations

import argparse
import os


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "manage",
        help="运行 Django 管理命令（migrate、createsuperuser、verify_audit_chain……）",
        description="把其余参数原样交给 Django 的管理命令，例如：zhenggai manage migrate",
        add_help=False,
    )
    # Django prints its own help (``zhenggai manage help``); a leading -h/--help asks for it too.
    parser.add_argument("-h", "--help", dest="show_help", action="store_true")
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")
    from django.core.management import execute_from_command_line

    arguments = ["help"] if args.show_help else list(args.arguments)
    execute_from_command_line(["zhenggai manage", *arguments])
    return 0
