"""Every screen and API operation × every persona × own unit (A) and other unit (B).

The expectations are written out here, not derived from ``access.py``: a change there that
widens or narrows what a role may do makes this test fail. Adding a URL or an API operation
without an entry below fails ``test_the_matrix_covers_every_url`` /
``test_the_matrix_covers_every_api_operation``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.ledger.conftest import PERSONAS, World
from zhenggai.api.api import api
from zhenggai.ledger import actions
from zhenggai.web.workflow import STEPS

UNITS = ("a", "b")
# Who reads which unit's ledger.
READS: dict[str, set[str]] = {
    "office": {"a", "b"},
    "group": {"a", "b"},
    "observer": {"a", "b"},
    "leader": {"a"},
    "liaison": {"a"},
    "owner": {"a"},  # owns measure_a, the measure used for unit A
    "other": {"b"},
    "sysadmin": set(),
    "far_office": set(),
}
# Who may do each kind of write, per unit.
MAY: dict[str, dict[str, set[str]]] = {
    "work": {"leader": {"a"}, "liaison": {"a"}, "owner": {"a"}, "other": {"b"}},
    "submit": {"leader": {"a"}, "liaison": {"a"}, "other": {"b"}},
    "decide": {"office": {"a", "b"}},
}
# Entering feedback (the notice import) is not tied to a unit: every office and group may open
# it, choosing among what it may create; everyone else is refused.
CREATORS = {"office", "group", "far_office"}
STEP_PERMISSION = {
    "start": "work",
    "submit": "submit",
    "close-out": "decide",
    "phase-complete": "decide",
    "return": "decide",
    "reopen": "decide",
    "progress": "work",
}
# URL name (":step" for a workflow step, "@method" to test a second method of one URL) →
# (method, object the URL takes, permission: "list" (anyone signed in), "create", "read" or a
# key of MAY).
WEB: dict[str, tuple[str, str | None, str]] = {
    "dashboard": ("GET", None, "list"),
    "inspections": ("GET", None, "list"),
    "search": ("GET", None, "list"),
    "inspection": ("GET", "inspection", "read"),
    "measure": ("GET", "measure", "read"),
    "evidence_file": ("GET", "evidence", "read"),
    "measure_edit": ("POST", "measure", "work"),
    "evidence_add": ("POST", "measure", "work"),
    **{f"measure_step:{step}": ("POST", "measure", p) for step, p in STEP_PERMISSION.items()},
    "notice_import": ("GET", None, "create"),
    "notice_import@post": ("POST", None, "create"),
    "notice_import_confirm": ("POST", None, "create"),
    "ledger_export": ("GET", "inspection", "read"),
    "ledger_import": ("GET", "inspection", "work"),
    "ledger_import@post": ("POST", "inspection", "work"),
    "extension_request": ("POST", "measure", "work"),
    "extension_decide": ("POST", "extension", "decide"),
}
# What an allowed request answers when it is not the usual 200 (GET) / 302 (POST): an upload
# form posted without a file shows the form again with the error.
OK_STATUS = {"notice_import@post": 200, "ledger_import@post": 200}
# (method, path template) → (object, permission, JSON body).
API: dict[tuple[str, str], tuple[str | None, str, dict[str, Any] | None]] = {
    ("GET", "/api/inspections"): (None, "list", None),
    ("GET", "/api/inspections/{inspection_id}"): ("inspection", "read", None),
    ("GET", "/api/measures/{measure_id}"): ("measure", "read", None),
    ("PATCH", "/api/measures/{measure_id}"): ("measure", "work", {"version": 1, "progress": "x"}),
    ("POST", "/api/measures/{measure_id}/progress"): ("measure", "work", {"text": "进展"}),
    ("POST", "/api/measures/{measure_id}/evidence"): ("measure", "work", {"title": "会议纪要"}),
    ("POST", "/api/measures/{measure_id}/extensions"): (
        "measure",
        "work",
        {"deadline": "2024-06-30", "reason": "需协调财政资金"},
    ),
    ("POST", "/api/extensions/{extension_id}/decide"): (
        "extension",
        "decide",
        {"approve": False, "reason": "理由不充分"},
    ),
    **{
        ("POST", f"/api/measures/{{measure_id}}/{step}"): ("measure", p, {"reason": "理由"})
        for step, p in STEP_PERMISSION.items()
        if step != "progress"
    },
}
PERSONA_NAMES = [*PERSONAS, "anonymous"]


def _web_names(resolver: URLResolver) -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "web":
            names |= {f"web:{p.name}" for p in pattern.url_patterns if isinstance(p, URLPattern)}
    return names


def test_the_matrix_covers_every_url() -> None:
    covered = {f"web:{name.split(':')[0].split('@')[0]}" for name in WEB}
    assert _web_names(get_resolver()) == covered
    assert set(STEPS) == set(STEP_PERMISSION)


def test_the_matrix_covers_every_api_operation() -> None:
    paths = api.get_openapi_schema()["paths"]
    operations = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert operations == set(API)


@pytest.fixture
def objects(world: World) -> dict[str, dict[str, int]]:
    """Per unit: the inspection, a measure, a file of evidence on it and a pending extension."""
    found = {}
    for unit, measure, by in (("a", world.measure_a, "liaison"), ("b", world.measure_b, "other")):
        evidence = actions.add_evidence(
            measure, by=world[by], file=ContentFile(b"minutes", name="纪要.txt")
        )
        found[unit] = {"inspection": measure.inspection_id, "measure": measure.pk}
        found[unit]["evidence"] = evidence.pk
        extension = actions.request_extension(
            measure, by=world[by], deadline=dt.date(2024, 6, 30), reason="需协调财政资金"
        )
        found[unit]["extension"] = extension.pk
    return found


def _expected(persona: str, unit: str, permission: str) -> str:
    if persona == "anonymous":
        return "login"
    if permission == "list":
        return "ok"
    if permission == "create":
        return "ok" if persona in CREATORS else "403"
    if unit not in READS[persona]:
        return "404"
    if permission == "read" or unit in MAY[permission].get(persona, set()):
        return "ok"
    return "403"


def _client(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world[persona])
    return client


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("name", sorted(WEB))
def test_screen_access(world: World, objects: Any, name: str, persona: str, unit: str) -> None:
    method, kind, permission = WEB[name]
    url_name, _, step = name.split("@", maxsplit=1)[0].partition(":")
    kwargs = {"pk": objects[unit][kind]} if kind else {}
    if step:
        kwargs["step"] = step
    url = reverse(f"web:{url_name}", kwargs=kwargs)
    client = _client(world, persona)
    data = {"version": "1", "content": "新的措施内容", "title": "纪要", "text": "理由"}
    data |= {"deadline": "2024-06-30", "reason": "理由", "decision": "reject"}
    response = client.post(url, data) if method == "POST" else client.get(url)
    expected = _expected(persona, unit, permission)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif expected == "ok":
        assert response.status_code == OK_STATUS.get(name, 302 if method == "POST" else 200)
    else:
        assert response.status_code == int(expected)


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("operation", sorted(API))
def test_api_access(
    world: World, objects: Any, operation: tuple[str, str], persona: str, unit: str
) -> None:
    method, template = operation
    _kind, permission, body = API[operation]
    path = template.replace("{inspection_id}", str(objects[unit]["inspection"]))
    path = path.replace("{measure_id}", str(objects[unit]["measure"]))
    path = path.replace("{extension_id}", str(objects[unit]["extension"]))
    client = _client(world, persona)
    response = client.generic(
        method, path, data=json.dumps(body or {}), content_type="application/json"
    )
    expected = _expected(persona, unit, permission)
    if expected == "login":
        assert response.status_code == 401
    elif expected == "ok":
        # 400: allowed, but not in the measure's current state (or input refused).
        assert response.status_code in ({200} if method == "GET" else {200, 201, 400})
    else:
        assert response.status_code == int(expected)
        assert response.json()["detail"]


def test_login_page_is_in_chinese(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "用户名" in response.content.decode()


def test_unknown_ids_and_steps_are_404(world: World) -> None:
    client = _client(world, "office")
    assert client.get("/measures/999999/").status_code == 404
    assert client.get("/inspections/999999/").status_code == 404
    assert client.get("/api/measures/999999").status_code == 404
    url = reverse("web:measure_step", kwargs={"pk": world.measure_a.pk, "step": "explode"})
    assert client.post(url).status_code == 404


def test_wrong_method_is_405(world: World) -> None:
    client = _client(world, "liaison")
    assert (
        client.get(reverse("web:measure_edit", kwargs={"pk": world.measure_a.pk})).status_code
        == 405
    )
    assert client.post(reverse("web:dashboard")).status_code == 405
