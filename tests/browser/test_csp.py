"""The Content-Security-Policy breaks no screen: the admin (its own scripts and styles) and the
API documentation (Swagger UI, served from the ninja package) run with no CSP violation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.browser.conftest import OpenPage, Organisations, login

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _violations(page: Page) -> list[str]:
    found: list[str] = []
    page.on(
        "console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return found


def test_the_admin_runs_under_the_csp(open_page: OpenPage, organisations: Organisations) -> None:
    page = open_page()
    violations = _violations(page)
    login(page, "sysadmin")
    for url in ("/admin/", "/admin/ledger/user/", "/admin/ledger/user/add/"):
        response = page.goto(url)
        assert response is not None and response.ok, url
        assert "content-security-policy" in response.headers
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_api_documentation_runs_under_the_csp(
    open_page: OpenPage, organisations: Organisations, live_server: Any
) -> None:
    page = open_page()
    violations = _violations(page)
    login(page, "office")
    response = page.goto("/api/docs")
    assert response is not None and response.ok
    page.locator("#swagger-ui .opblock").first.wait_for()
    assert violations == []
