"""Publishing the 整改情况通报: the leader approves it, the public reads exactly that text
(never a confidential problem), a change needs a new version, a withdrawal takes it offline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.ledger.conftest import World
from tests.reports.conftest import SECRET
from zhenggai.ledger.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import AuditEvent, Inspection, Measure
from zhenggai.notice import parse
from zhenggai.public import publishing
from zhenggai.public.models import Publication


def _public(publication: Publication) -> tuple[str, str]:
    """The page and the plain text, as an anonymous visitor gets them."""
    client = Client()
    page = client.get(reverse("public:notice", kwargs={"slug": publication.slug}))
    text = client.get(reverse("public:notice_text", kwargs={"slug": publication.slug}))
    assert page.status_code == 200 and text.status_code == 200
    return page.content.decode(), text.content.decode()


def test_the_public_reads_the_approved_text_without_the_confidential_problem(
    world: World, filled: Inspection
) -> None:
    publication = publishing.publish(filled, by=world["leader"])
    page, text = _public(publication)
    assert text == publication.text
    assert SECRET not in page and SECRET not in text
    assert world.measure_a.problem.title in page and "0371-22786227" in page
    # The published text reads back as the same tree (what a website visitor copies).
    parsed = parse(text)
    assert [p.title for a in parsed.aspects for p in a.problems] == [world.measure_a.problem.title]
    assert "kfsltqkx@163.com" in parsed.contacts.emails
    listed = Client().get(reverse("public:index")).content.decode()
    assert publication.title in listed


def test_only_the_units_leader_publishes_and_outsiders_see_nothing(
    world: World, filled: Inspection
) -> None:
    with pytest.raises(PermissionDenied):
        publishing.publish(filled, by=world["liaison"])
    with pytest.raises(PermissionDenied):
        publishing.publish(filled, by=world["office"])
    with pytest.raises(NotFound):
        publishing.publish(filled, by=world["other"])
    assert not Publication.objects.exists()


def test_a_notice_without_supervision_contacts_is_not_published(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        publishing.publish(world.inspection_a, by=world["leader"])
    assert "监督联系方式" in refused.value.message
    assert not Publication.objects.exists()


def test_a_change_in_the_ledger_needs_a_new_version(world: World, filled: Inspection) -> None:
    first = publishing.publish(filled, by=world["leader"])
    with pytest.raises(InvalidTransition):
        publishing.publish(filled, by=world["leader"])  # nothing changed
    Measure.objects.filter(pk=world.measure_a2.pk).update(
        status="closed", completed_date=dt.date(2024, 5, 6)
    )
    _, before = _public(first)
    assert "已完成整改（2024年5月6日）" not in before  # online text stays what was approved
    second = publishing.publish(filled, by=world["leader"])
    assert (second.version, second.slug) == (2, first.slug)
    _, after = _public(second)
    assert "已完成整改（2024年5月6日）" in after


def test_a_withdrawn_notice_is_gone_and_both_acts_are_on_record(
    world: World, filled: Inspection
) -> None:
    publication = publishing.publish(filled, by=world["leader"])
    with pytest.raises(ValidationError):
        publishing.withdraw(publication, by=world["office"], reason=" ")
    with pytest.raises(PermissionDenied):
        publishing.withdraw(publication, by=world["liaison"], reason="有误")
    publishing.withdraw(publication, by=world["office"], reason="含不宜公开的内容")
    slug = publication.slug
    assert Client().get(reverse("public:notice", kwargs={"slug": slug})).status_code == 404
    assert Client().get(reverse("public:notice_text", kwargs={"slug": slug})).status_code == 404
    assert publication.title not in Client().get(reverse("public:index")).content.decode()
    actions = list(AuditEvent.objects.filter(action__startswith="public.").values_list("action"))
    assert actions == [("public.publish",), ("public.withdraw",)]


def test_the_publication_screen_previews_publishes_and_lists_versions(
    world: World, filled: Inspection
) -> None:
    leader = Client()
    leader.force_login(world["leader"])
    url = reverse("web:publication", kwargs={"pk": filled.pk})
    preview = leader.get(url).content.decode()
    assert world.measure_a.problem.title in preview and SECRET not in preview
    publish = reverse("web:publication_publish", kwargs={"pk": filled.pk})
    assert leader.post(publish).status_code == 302
    publication = Publication.objects.get()
    page = leader.get(url).content.decode()
    assert reverse("public:notice", kwargs={"slug": publication.slug}) in page
    liaison = Client()
    liaison.force_login(world["liaison"])
    assert liaison.post(publish).status_code == 403
    assert Publication.objects.count() == 1
