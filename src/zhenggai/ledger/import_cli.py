"""``zhenggai import NOTICE --unit … --round … --group … --user …``: the notice import from the
command line, as on the import screen — parsed, previewed, then written all or nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import",
        help="把整改通报导入为一条巡察记录（全部成功或全部不写）",
        description="解析整改通报（.txt/.docx/.pdf/.json），导入到指定单位、轮次和巡察组。",
    )
    parser.add_argument("notice", type=Path, help="整改通报文件")
    parser.add_argument("--unit", required=True, help="被巡察单位的名称、简称或编号")
    parser.add_argument("--round", required=True, help="巡察轮次的名称或编号")
    parser.add_argument("--group", required=True, help="巡察组的名称或编号")
    parser.add_argument("--user", required=True, help="以哪个账号导入（巡察办或巡察组）")
    parser.add_argument(
        "--confirm-issuer", action="store_true", help="发文单位与所选单位不同时仍然导入"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from zhenggai.ledger import serve

    serve.setup_ledger()
    from zhenggai.cli import UserError
    from zhenggai.ledger import importing
    from zhenggai.ledger.errors import LedgerError
    from zhenggai.ledger.models import InspectionGroup, InspectionRound, Unit, User
    from zhenggai.web.notices import NoticeFileError, notice_from_upload

    try:
        data = args.notice.read_bytes()
    except OSError:
        raise UserError(f"无法读取文件：{args.notice}") from None
    try:
        notice = notice_from_upload(data, args.notice.name)
    except NoticeFileError as exc:
        raise UserError(str(exc)) from None
    user = User.objects.filter(username=args.user, is_active=True).first()
    if user is None:
        raise UserError(f"没有账号“{args.user}”。")
    targets = {
        "unit": _one(Unit, args.unit, "被巡察单位", "short_name"),
        "round": _one(InspectionRound, args.round, "巡察轮次"),
        "group": _one(InspectionGroup, args.group, "巡察组"),
    }
    try:
        preview = importing.preview_notice_import(notice, by=user, **targets)
        inspection = importing.confirm_notice_import(
            preview, by=user, issuer_confirmed=args.confirm_issuer
        )
    except LedgerError as exc:
        raise UserError(exc.message) from None
    for warning in preview.warnings:
        print(f"注意：{warning}")
    print(
        f"已导入：{inspection.unit} · {inspection.round}（编号 {inspection.pk}），"
        f"{preview.aspects} 个方面、{preview.problems} 个问题、{preview.measures} 项措施。"
    )
    return 0


def _one(model: Any, value: str, label: str, *other_names: str) -> Any:
    """The row named (or numbered) ``value``; one clear line when none or several match."""
    from django.db.models import Q

    from zhenggai.cli import UserError

    q = Q(name=value)
    for name in other_names:
        q |= Q(**{name: value})
    if value.isdigit():
        q |= Q(pk=int(value))
    found = list(model.objects.filter(q)[:2])
    if not found:
        raise UserError(f"没有{label}“{value}”。")
    if len(found) > 1:
        raise UserError(f"{label}“{value}”不唯一，请改用编号。")
    return found[0]
