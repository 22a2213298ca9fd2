"""CSP and Cache-Control as the browser and a proxy get them: ledger pages and exports are
never stored, the published notices briefly, and no template needs inline script or style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.ledger.conftest import World
from zhenggai.ledger.models import Inspection
from zhenggai.public import publishing
from zhenggai.web.headers import CONTENT_SECURITY_POLICY

SOURCE = Path(__file__).resolve().parents[2] / "src" / "zhenggai"


def _office(world: World) -> Client:
    client = Client()
    client.force_login(world["office"])
    return client


def _assert_private(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "name",
    [
        "web:inspection",
        "web:ledger_export",
        "web:archive_xlsx",
        "web:report_docx",
    ],
)
def test_ledger_pages_and_exports_are_never_stored(
    world: World, filled: Inspection, name: str
) -> None:
    _assert_private(_office(world).get(reverse(name, kwargs={"pk": filled.pk})))


def test_the_dashboard_and_its_export_are_never_stored(world: World) -> None:
    client = _office(world)
    _assert_private(client.get(reverse("web:dashboard")))
    _assert_private(client.get(reverse("web:dashboard_xlsx")))


def test_the_csp_keeps_everything_on_this_server() -> None:
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["default-src"] == policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


def test_the_login_page_carries_the_csp_and_is_not_stored() -> None:
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "no-store" in response.headers["Cache-Control"]


def test_a_redirect_to_the_login_is_not_stored() -> None:
    response = Client().get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"


def test_a_published_notice_may_be_cached_briefly(world: World, filled: Inspection) -> None:
    publication = publishing.publish(filled, by=world["leader"])
    page = reverse("public:notice", kwargs={"slug": publication.slug})
    text = reverse("public:notice_text", kwargs={"slug": publication.slug})
    for url in (reverse("public:index"), page, text):
        response = Client().get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    # A signed-in reader gets a session cookie with the page: no shared cache may keep it.
    signed_in = _office(world).get(page)
    assert signed_in.cookies and signed_in.headers["Cache-Control"] == "private, max-age=300"


def test_a_withdrawn_notice_is_not_cached(world: World, filled: Inspection) -> None:
    response = Client().get(reverse("public:notice", kwargs={"slug": "no-such-notice"}))
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:|\sstyle\s*=|<style", re.IGNORECASE)


def test_no_template_needs_inline_script_or_style() -> None:
    """The CSP blocks them: a template that used one would break silently in the browser."""
    templates = sorted(SOURCE.glob("**/templates/**/*.html"))
    assert templates
    found = [
        f"{path.relative_to(SOURCE)}: {match.group(0)}"
        for path in templates
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
