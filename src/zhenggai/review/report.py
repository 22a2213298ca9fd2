"""The review as a readable Chinese report in the terminal (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from zhenggai.notice.numerals import int_to_cn
from zhenggai.review.engine import RULES, Review
from zhenggai.review.findings import Finding, Severity
from zhenggai.review.snapshot import ProblemView

_STYLE = {Severity.SERIOUS: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_RULE_NAMES = {rule.id: rule.name for rule in RULES}


def render(result: Review, console: Console) -> None:
    snapshot = result.snapshot
    score = result.notice_score()
    console.print(f"[bold]整改审查：{escape(snapshot.title or '（无标题）')}[/]")
    console.print(f"总分 {score if score is not None else '—'} / 100，发现 {_counts(result)}")
    for problem in snapshot.problems:
        _print_problem(result, problem, console)
    console.print(
        "\n评分：每条措施 100 分起，每个严重/警示/提示问题扣 40/20/5 分；问题得分为其措施平均分"
        "再扣问题级扣分；通报得分为各问题平均分。"
    )


def _counts(result: Review) -> str:
    parts = [
        f"{severity.label} {sum(f.severity is severity for f in result.findings)} 项"
        for severity in (Severity.SERIOUS, Severity.WARNING, Severity.INFO)
    ]
    return "，".join(parts)


def _print_problem(result: Review, problem: ProblemView, console: Console) -> None:
    heading = f"{int_to_cn(problem.aspect)}（{int_to_cn(problem.no)}）{problem.title[:40]}"
    console.print(f"\n[bold]{escape(heading)}[/]  得分 {result.problem_score(problem)}")
    for finding in result.problem_findings(problem):
        console.print(f"  问题整体：{_describe(finding)}")
    for measure in problem.measures:
        found = result.measure_findings(measure)
        score = result.measure_score(measure)
        verdict = "" if found else "  [green]未发现问题[/]"
        console.print(f"  措施{measure.no}  {score:>3} 分{verdict}")
        for finding in found:
            console.print(f"    {_describe(finding)}")


def _describe(finding: Finding) -> str:
    style = _STYLE[finding.severity]
    evidence = "、".join(f"“{e}”" for e in finding.evidence)
    name = _RULE_NAMES[finding.rule]
    return (
        f"[{style}]【{finding.severity.label}】{name}[/]：{escape(finding.message)}"
        f"（依据：{escape(evidence)}）"
    )
