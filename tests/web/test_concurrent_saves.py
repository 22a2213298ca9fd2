"""Two people save the same measure at the same moment, over real HTTP against a live server:
one save wins, the other gets the conflict message — never a silent overwrite.

Each person logs in through the login form (a real session and CSRF cookie); two threads
wait at a ``threading.Barrier`` and send their save together. On PostgreSQL both requests
run in their own connection and transaction at once; the version check in
``actions.update_measure`` (``UPDATE … WHERE version = …``) lets exactly one through.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tests.ledger.conftest import World
from zhenggai.ledger.errors import ConflictError
from zhenggai.ledger.models import Measure

PASSWORD = "Zhenggai-2024"  # the personas' password (tests/ledger/conftest.py)
CONFLICT = ConflictError.default_message

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="live_server on SQLite runs on the in-memory test database: the server's threads "
    "do not get transactions of their own that run at once, and the test's connection does "
    "not reliably see what the server wrote; the concurrent path runs on PostgreSQL",
)


class Browser:
    """One person's cookies (session, CSRF) and requests against the live server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def login(self, username: str) -> None:
        page = self.open("GET", "/accounts/login/")[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the login form carries a CSRF token"
        form = {"username": username, "password": PASSWORD, "next": "/"}
        form["csrfmiddlewaretoken"] = token[1]
        status, _ = self.open("POST", "/accounts/login/", form=form)
        assert status == 200 and self.cookie("sessionid"), f"{username} logged in"

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def open(
        self, method: str, path: str, *, form: dict[str, Any] | None = None, body: Any = None
    ) -> tuple[int, str]:
        """Send the request (following redirects); the status and the body as text."""
        headers = {"X-CSRFToken": self.cookie("csrftoken"), "Referer": self.base + path}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data, headers, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def _together(*calls: Callable[[], tuple[int, str]]) -> list[tuple[int, str]]:
    """Run the calls in threads released at the same moment; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, str]] = [(0, "")] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _browsers(live_server: Any, *usernames: str) -> list[Browser]:
    browsers = [Browser(live_server.url) for _ in usernames]
    for browser, username in zip(browsers, usernames, strict=True):
        browser.login(username)
    return browsers


def test_two_api_saves_of_one_version_give_one_200_and_one_409(
    world: World, live_server: Any
) -> None:
    liaison, leader = _browsers(live_server, "liaison", "leader")
    path = f"/api/measures/{world.measure_a.pk}"
    texts = ("联络员：已召开专题会议", "主要负责人：已印发学习计划")
    results = _together(
        lambda: liaison.open("PATCH", path, body={"version": 1, "progress": texts[0]}),
        lambda: leader.open("PATCH", path, body={"version": 1, "progress": texts[1]}),
    )
    assert sorted(status for status, _ in results) == [200, 409]
    winner = next(i for i, (status, _) in enumerate(results) if status == 200)
    loser_body = json.loads(results[1 - winner][1])
    assert loser_body == {"detail": CONFLICT}
    stored = Measure.objects.get(pk=world.measure_a.pk)
    assert (stored.progress, stored.version) == (texts[winner], 2)
    assert json.loads(results[winner][1])["progress"] == texts[winner]


def test_two_form_saves_of_one_version_show_one_conflict(world: World, live_server: Any) -> None:
    liaison, leader = _browsers(live_server, "liaison", "leader")
    path = f"/measures/{world.measure_a.pk}/edit/"
    texts = ("联络员改写的措施内容", "主要负责人改写的措施内容")

    def save(browser: Browser, content: str) -> Callable[[], tuple[int, str]]:
        token = browser.cookie("csrftoken")
        # The whole form as the measure page sends it: unchanged fields keep their values.
        form = {"version": "1", "content": content, "kind": "deadline", "deadline": "2024-03-31"}
        form["csrfmiddlewaretoken"] = token
        return lambda: browser.open("POST", path, form=form)

    results = _together(save(liaison, texts[0]), save(leader, texts[1]))
    assert [status for status, _ in results] == [200, 200]  # both land on the measure page
    saved = [i for i, (_, page) in enumerate(results) if "已保存。" in page]
    refused = [i for i, (_, page) in enumerate(results) if CONFLICT in page]
    assert len(saved) == 1
    assert refused == [1 - saved[0]]
    assert Measure.objects.get(pk=world.measure_a.pk).content == texts[saved[0]]
