"""One audit chain per region (issue 12, part 5): writers of different regions link into
different chains, each verifies alone and all verify together, and the attacks on one chain
are still found — by the check of that chain and by the check of all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhenggai.ledger import actions, anchor, archive, audit
from zhenggai.ledger.models import AuditChainHead, AuditEvent, Region, Unit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.audit_chain_tampered]


@pytest.fixture
def two_regions(world):
    """Events on a measure of 龙亭区, on a unit of 鼓楼区 and one of no region (a login)."""
    actions.start_work(world.measure_a, by=world["liaison"])
    far_unit = Unit.objects.create(region=world.far_district, name="鼓楼区档案馆")
    with transaction.atomic():
        audit.record("unit.update", actor=world["office"], target=far_unit)
        audit.record("unit.update", actor=world["office"], target=far_unit)
    audit.record_login_failure("nobody", "10.0.0.9", known=False)
    return world


def chain_name(region: Region) -> str:
    return f"region-{region.pk}"


def test_each_region_has_its_own_chain_and_events_of_no_region_join_the_global_one(two_regions):
    chains = {e.chain: 0 for e in AuditEvent.objects.all()}
    for event in AuditEvent.objects.all():
        chains[event.chain] += 1
    near, far = chain_name(two_regions.district), chain_name(two_regions.far_district)
    assert chains == {near: 1, far: 2, audit.GLOBAL_CHAIN: 1}
    first_of_far = AuditEvent.objects.filter(chain=far).order_by("id").first()
    assert first_of_far.prev_hash == audit.GENESIS  # a chain of its own, not after 龙亭区's
    assert AuditChainHead.objects.get(name=far).length == 2


def test_each_chain_verifies_alone_and_all_verify_together(two_regions):
    whole = audit.verify_audit_chain()
    assert whole.ok and whole.checked == 4 and whole.chains == 3 and whole.anchored == 4
    alone = audit.verify_audit_chain(chain=chain_name(two_regions.far_district))
    assert alone.ok and alone.checked == 2 and alone.anchored == 2


def test_a_changed_row_breaks_its_chain_and_the_whole_but_not_the_other_chains(two_regions):
    far = chain_name(two_regions.far_district)
    event = AuditEvent.objects.filter(chain=far).first()
    QuerySet.update(AuditEvent.objects.filter(pk=event.pk), detail="伪造的内容")
    assert "被篡改" in audit.verify_audit_chain(chain=far).problem
    assert not audit.verify_audit_chain().ok
    assert audit.verify_audit_chain(chain=chain_name(two_regions.district)).ok


def test_a_row_moved_into_another_chain_is_detected(two_regions):
    far = chain_name(two_regions.far_district)
    newest = AuditEvent.objects.filter(chain=far).order_by("-id").first()
    QuerySet.update(AuditEvent.objects.filter(pk=newest.pk), chain="region-999")
    QuerySet.update(AuditChainHead.objects.filter(name=far), last_hash=newest.prev_hash, length=1)
    assert not audit.verify_audit_chain().ok


def test_deleting_a_whole_region_chain_with_its_head_is_found_by_the_anchor(two_regions):
    far = chain_name(two_regions.far_district)
    QuerySet.delete(AuditEvent.objects.filter(chain=far))
    QuerySet.delete(AuditChainHead.objects.filter(name=far))
    report = audit.verify_audit_chain()
    assert not report.ok and "锚点" in report.problem
    assert not audit.verify_audit_chain(chain=far).ok


def test_the_anchor_names_the_chain_of_each_line_and_signs_it(two_regions):
    far = chain_name(two_regions.far_district)
    lines = anchor.path().read_text(encoding="ascii").splitlines()
    assert sum(line.startswith(f"{far}:") for line in lines) == 2
    # Claiming a line for another chain breaks its signature.
    forged = [line.replace(f"{far}:", "region-999:", 1) for line in lines]
    anchor.path().write_text("\n".join(forged) + "\n", encoding="ascii")
    assert "篡改" in audit.verify_audit_chain().problem


def test_a_measure_not_loaded_with_its_unit_still_finds_its_region(two_regions):
    measure = type(two_regions.measure_a).objects.get(pk=two_regions.measure_a.pk)
    assert audit.chain_of(measure) == chain_name(two_regions.district)
    assert audit.chain_of(two_regions["office"]) == audit.GLOBAL_CHAIN


def test_an_archive_of_several_chains_verifies_and_continues_each(two_regions):
    later = timezone.now() + dt.timedelta(days=366)
    segment = archive.archive_older_than(now=later)
    assert segment is not None and segment.count == 4
    assert archive.verify_segment(segment.path) == ""
