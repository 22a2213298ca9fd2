"""Bearer tokens: a program acts as one account, with that account's scope and no more."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.ledger.conftest import World
from zhenggai.api.models import ApiToken
from zhenggai.api.tokens import digest, issue_token, revoke_token
from zhenggai.ledger.errors import NotFound, ValidationError
from zhenggai.ledger.models import AuditEvent


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_reads_what_its_account_may_see_and_nothing_else(world: World) -> None:
    _, token = issue_token(world["liaison"], name="统计脚本", days=30)
    client = Client()  # no session: the token alone
    listed = client.get("/api/inspections", **_bearer(token))
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json()] == [world.inspection_a.pk]
    assert (
        client.get(f"/api/inspections/{world.inspection_b.pk}", **_bearer(token)).status_code == 404
    )


def test_a_token_writes_without_a_csrf_token_and_the_write_is_on_record(world: World) -> None:
    _, token = issue_token(world["liaison"], name="对接系统", days=90)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/measures/{world.measure_a.pk}/start",
        "{}",
        content_type="application/json",
        **_bearer(token),
    )
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    event = AuditEvent.objects.filter(target_id=str(world.measure_a.pk)).latest("id")
    assert event.actor == world["liaison"]


@pytest.mark.parametrize("case", ["wrong", "revoked", "expired", "inactive account", "none"])
def test_a_bad_token_is_refused(world: World, case: str) -> None:
    record, token = issue_token(world["liaison"], name="脚本", days=30)
    if case == "wrong":
        token = token[:-4] + "abcd"
    elif case == "revoked":
        revoke_token(world["liaison"], record.pk)
    elif case == "expired":
        ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    elif case == "inactive account":
        world["liaison"].is_active = False
        world["liaison"].save()
    headers = {} if case == "none" else _bearer(token)
    assert Client().get("/api/inspections", **headers).status_code == 401


def test_only_a_digest_is_kept_and_the_trail_never_holds_the_token(world: World) -> None:
    record, token = issue_token(world["office"], name="大屏", days=365)
    assert token.startswith("zg_") and len(token) > 40
    assert record.digest == digest(token) and token not in record.digest
    events = AuditEvent.objects.filter(action__startswith="api.token.")
    assert [e.action for e in events] == ["api.token.issue"]
    assert token not in json.dumps(events[0].after) and record.digest not in json.dumps(
        events[0].after
    )


def test_nobody_revokes_someone_elses_token_and_bad_input_is_refused(world: World) -> None:
    record, _ = issue_token(world["liaison"], name="脚本", days=30)
    with pytest.raises(NotFound):
        revoke_token(world["other"], record.pk)
    with pytest.raises(ValidationError):
        issue_token(world["liaison"], name=" ", days=30)
    with pytest.raises(ValidationError):
        issue_token(world["liaison"], name="脚本", days=10_000)


def test_the_tokens_page_shows_a_new_token_once_and_revokes_it(world: World) -> None:
    client = Client()
    client.force_login(world["liaison"])
    url = reverse("web:api_tokens")
    created = client.post(url, {"name": "台账同步", "days": "90"})
    assert created.status_code == 200 and "no-store" in created["Cache-Control"]
    token = created.context["created"][1]
    assert token in created.content.decode()
    again = client.get(url).content.decode()
    assert "台账同步" in again and token not in again  # shown once
    record = ApiToken.objects.get(user=world["liaison"])
    revoke = reverse("web:api_token_revoke", kwargs={"pk": record.pk})
    assert client.post(revoke).status_code == 302
    assert Client().get("/api/inspections", **_bearer(token)).status_code == 401
    other = Client()
    other.force_login(world["other"])
    assert other.post(revoke).status_code == 404
    assert AuditEvent.objects.filter(action="api.token.revoke").count() == 1
