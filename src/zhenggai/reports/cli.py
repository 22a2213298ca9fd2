"""``zhenggai report notice|report|leader-report|supervision|archive|ledger|plan``: documents
from the ledger.

``--inspection ID`` reads the ledger. With ``--user NAME`` the read goes through that
account's scope (``zhenggai.ledger.access``); without it the command runs as the machine's
operator, who already holds the whole database file (the same trust as ``zhenggai manage``).
``zhenggai report notice --from-notice FILE`` renders a parsed notice without any database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

from zhenggai.cli import UserError

KINDS = {
    "notice": ("整改情况通报", ".docx"),
    "report": ("整改情况报告", ".docx"),
    "leader-report": ("主要负责人组织落实整改情况报告", ".docx"),
    "supervision": ("督办单", ".docx"),
    "archive": ("归档文件目录", ".xlsx"),
    "ledger": ("整改台账", ".xlsx"),
    "plan": ("整改方案", ".docx"),
}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "report",
        help=(
            "生成公文：整改情况通报、整改情况报告、主要负责人报告、督办单、归档文件目录、"
            "整改台账、整改方案"
        ),
        description=(
            "按 GB/T 9704 生成 Word 公文（可转 PDF），按 DA/T 22 生成归档文件目录，"
            "导出 Excel 整改台账。"
        ),
    )
    parser.add_argument("kind", choices=list(KINDS), help="文书种类")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--inspection", type=int, help="巡察编号（台账中）")
    source.add_argument("--from-notice", type=Path, help="通报文件（txt/docx/pdf），仅用于 notice")
    parser.add_argument(
        "-o", "--output", type=Path, help="输出文件（默认：文书名-编号.docx，目录和台账为 .xlsx）"
    )
    parser.add_argument("--pdf", action="store_true", help="同时转为 PDF（需要 LibreOffice）")
    parser.add_argument("--user", help="以该账号的权限读取台账（默认：本机操作员）")
    parser.add_argument("--date", type=dt.date.fromisoformat, help="统计和成文日期，YYYY-MM-DD")
    parser.add_argument("--leader", help="主要负责人姓名（leader-report）")
    parser.add_argument("--accountable", type=int, help="问责人数（台账未记录；缺省留空待填）")
    parser.add_argument("--measure", type=int, action="append", help="督办的措施编号（可多次）")
    parser.add_argument("--fonds", default="X001", help="全宗号（archive，默认 X001）")
    parser.add_argument("--retention", default="D30", choices=["Y", "D30", "D10"], help="保管期限")
    parser.add_argument("--org", default="BGS", help="机构（问题）代码（默认 BGS）")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.from_notice is not None:
        return _from_notice(args)
    from zhenggai.ledger import serve

    serve.setup_ledger()
    inspection = _inspection(args)
    output = args.output or Path(f"{KINDS[args.kind][0]}-{inspection.pk}{KINDS[args.kind][1]}")
    if args.kind == "archive":
        return _archive(args, inspection, output)
    if args.kind == "ledger":
        return _ledger(args, inspection, output)
    _write(_build(args, inspection), output, args.pdf)
    return 0


def _from_notice(args: argparse.Namespace) -> int:
    from zhenggai.notice import ReadError, parse, read
    from zhenggai.reports.notice import notice_document

    if args.kind != "notice":
        raise UserError("--from-notice 只能生成整改情况通报（notice）。")
    try:
        notice = parse(read(args.from_notice))
    except ReadError as exc:
        raise UserError(str(exc)) from exc
    output = args.output or args.from_notice.with_suffix(".docx")
    _write(notice_document(notice, day=args.date), output, args.pdf)
    return 0


def _inspection(args: argparse.Namespace) -> Any:
    from zhenggai.ledger import access
    from zhenggai.ledger.errors import NotFound
    from zhenggai.ledger.models import Inspection, User

    missing = f"没有编号为 {args.inspection} 的巡察"
    if args.user is None:
        found = Inspection.objects.select_related("round__region", "group", "unit")
        inspection = found.filter(pk=args.inspection).first()
        if inspection is None:
            raise UserError(f"{missing}。")
        return inspection
    user = User.objects.filter(username=args.user, is_active=True).first()
    try:
        return access.get_inspection_for(user, args.inspection)
    except NotFound as exc:
        raise UserError(f"{missing}，或账号 {args.user} 无权查看。") from exc


def _build(args: argparse.Namespace, inspection: Any) -> Any:
    from zhenggai.reports import documents

    if args.kind == "notice":
        return documents.notice_document_for(inspection, day=args.date)
    if args.kind == "plan":
        return _plan(args, inspection)
    if args.kind == "report":
        return documents.report_document(
            inspection, today=args.date, accountable=args.accountable, day=args.date
        )
    if args.kind == "leader-report":
        return documents.leader_report_document(
            inspection,
            leader=args.leader,
            today=args.date,
            accountable=args.accountable,
            day=args.date,
        )
    today = args.date or dt.date.today()
    return documents.supervision_document(
        [_supervision_sheet(measure, today) for measure in _overdue(args, inspection)]
    )


def _plan(args: argparse.Namespace, inspection: Any) -> Any:
    """The 整改方案 with its three lists, as the ledger holds it on ``--date``."""
    from zhenggai.planning import export, lists
    from zhenggai.planning.state import plan_state

    today = args.date or dt.date.today()
    three = lists.three_lists(inspection, today)
    version = plan_state(inspection).version
    return export.plan_document(inspection, three, version=version, day=args.date)


def _supervision_sheet(measure: Any, today: dt.date) -> Any:
    """The measure's latest recorded 督办单 as issued; a draft when none was issued yet."""
    from zhenggai.reports import documents
    from zhenggai.supervision.models import SupervisionOrder

    orders = SupervisionOrder.objects.filter(measure=measure).select_related(
        "region", "measure__inspection__unit", "measure__problem", "issued_by"
    )
    order = orders.order_by("-issued_at", "-id").first()
    if order is None:
        return documents.draft_sheet(measure, today)
    return documents.sheet_for_order(order)


def _overdue(args: argparse.Namespace, inspection: Any) -> list[Any]:
    from zhenggai.ledger import access
    from zhenggai.ledger.models import Measure, User
    from zhenggai.reports.ledger import overdue_days

    if args.user is None:
        measures = Measure.objects.select_related("inspection__round__region", "problem")
    else:
        measures = access.measures_for(User.objects.filter(username=args.user).first())
    measures = measures.filter(inspection=inspection).select_related("inspection__unit")
    if args.measure:
        chosen = list(measures.filter(pk__in=args.measure))
        if len(chosen) != len(set(args.measure)):
            raise UserError("有措施编号不属于该巡察。")
        return chosen
    today = args.date or dt.date.today()
    overdue = [m for m in measures if overdue_days(m, today) > 0]
    if not overdue:
        raise UserError("该巡察没有逾期未完成的整改措施，无需督办。")
    return overdue


def _archive(args: argparse.Namespace, inspection: Any, output: Path) -> int:
    from zhenggai.reports.archive import catalogue_entries, write_catalogue

    if args.pdf:
        raise UserError("归档文件目录为 Excel 文件，请用 Excel/WPS 打印或另存为 PDF。")
    year = (inspection.feedback_date or args.date or dt.date.today()).year
    write_catalogue(
        catalogue_entries(inspection),
        str(output),
        heading=f"{inspection.unit.name}巡察整改归档文件目录",
        default_year=year,
        fonds=args.fonds,
        retention=args.retention,
        organisation=args.org,
    )
    print(output)
    return 0


def _ledger(args: argparse.Namespace, inspection: Any, output: Path) -> int:
    """The Excel 台账: the measures the reader may see (all of them for the operator), lights
    as on ``--date`` (default today). Written beside ``output`` and renamed when complete, so
    an interrupted export never leaves a truncated .xlsx under the requested name."""
    from xlsxwriter.exceptions import XlsxFileError

    from zhenggai.ledger import access
    from zhenggai.ledger.excel import write_ledger
    from zhenggai.ledger.models import Measure, User

    if args.pdf:
        raise UserError("整改台账为 Excel 文件，请用 Excel/WPS 打印或另存为 PDF。")
    if args.user is None:
        measures = Measure.objects.all()
    else:
        measures = access.measures_for(User.objects.filter(username=args.user).first())
    try:
        with tempfile.NamedTemporaryFile(
            dir=output.parent, prefix=f".{output.name}.", suffix=".part", delete=False
        ) as part:
            try:
                count = write_ledger(part, inspection, measures, today=args.date)
            except BaseException:
                Path(part.name).unlink(missing_ok=True)
                raise
        Path(part.name).replace(output)
    except (OSError, XlsxFileError) as exc:
        raise UserError(f"无法写入 {output}：{_why(exc)}。") from exc
    print(output)
    print(f"共 {count} 项整改措施。", file=sys.stderr)
    return 0


def _why(exc: BaseException) -> str:
    """Why a file could not be written, in words (xlsxwriter wraps the OSError)."""
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc
    if isinstance(cause, FileNotFoundError):
        return "目录不存在"
    if isinstance(cause, PermissionError):
        return "没有写入权限"
    if isinstance(cause, IsADirectoryError):
        return "这是一个目录"
    return "写入失败（磁盘已满或文件被占用）"


def _write(doc: Any, output: Path, pdf: bool) -> None:
    if not pdf:
        doc.save(str(output))
        print(output)
        return
    from zhenggai.reports.pdf import PdfUnavailable, to_pdf

    target = output if output.suffix.lower() == ".pdf" else output.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="zhenggai-report-") as work:
        source = Path(work) / "document.docx"
        doc.save(str(source))
        try:
            to_pdf(source, target)
        except PdfUnavailable as exc:
            raise UserError(str(exc)) from exc
    print(target)
