"""The demo's 群众监督意见: publish the seed's notice and hold a few opinions in each state.

Called by ``zhenggai demo`` after the ledger is filled; does nothing that exists already.
"""

from __future__ import annotations

from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.models import Inspection, Problem, User
from zhenggai.opinions import actions
from zhenggai.opinions.models import Opinion
from zhenggai.public import publishing
from zhenggai.public.models import Publication

SAMPLES = (
    ("received", "张先生", "13700000001", "科普活动室平时不开放，建议公布开放时间。"),
    ("assigned", "", "13700000002", "请销假制度执行情况能否公开？"),
    ("out_of_scope", "王女士", "wang@example.com", "小区停车位不够，希望协调解决。"),
    ("answered", "", "13700000003", "学会换届工作进展如何？"),
    ("published", "刘先生", "13700000004", "党组会议纪要是否按要求记录？"),
)


def populate(inspection_id: int) -> str | None:
    """The public path of the seed's notice (published now if it is not), or None when it
    cannot be published; the sample opinions are added once."""
    inspection = Inspection.objects.get(pk=inspection_id)
    users = {
        u.username: u for u in User.objects.filter(username__in=("leader", "liaison", "office"))
    }
    publication = publishing.online().filter(inspection=inspection).first()
    try:
        if publication is None:
            publication = publishing.publish(inspection, by=users["leader"])
        if not Opinion.objects.filter(inspection=inspection).exists():
            _samples(publication, users)
    except LedgerError:
        return None
    return f"/public/{publication.slug}/"


def _samples(publication: Publication, users: dict[str, User]) -> None:
    problem = Problem.objects.filter(aspect__inspection=publication.inspection).order_by(
        "aspect__no", "no"
    )[0]
    liaison, office = users["liaison"], users["office"]
    for state, name, contact, text in SAMPLES:
        opinion = actions.submit_online(
            publication, name=name, contact=contact, text=text, address="demo"
        ).opinion
        if state == "out_of_scope":
            actions.mark_out_of_scope(opinion, by=liaison, reason="属于物业管理事项，已转社区办理")
            continue
        if state == "received":
            continue
        actions.assign(opinion, by=liaison, problem=problem)
        if state in ("answered", "published"):
            actions.answer(opinion, by=liaison, text="已按要求整改，详见整改情况通报。")
        if state == "published":
            actions.publish_answer(opinion, by=office)
