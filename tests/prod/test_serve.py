"""``zhenggai serve`` as production runs it: a real waitress process behind a reverse proxy.

The proxy is played by this test: a connection from the trusted address (127.0.0.1) carrying
X-Forwarded-Proto/-For is the proxy speaking; one from 127.0.0.2 (also loopback on Linux) is a
client that reached the port directly and claims the same. Each server runs with a fresh data
directory and SQLite database, which ``serve`` migrates on start.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from zhenggai.web.headers import CONTENT_SECURITY_POLICY

HOST = "zhenggai.test"
PROXY = "127.0.0.1"
STRANGER = "127.0.0.2"
START_SECONDS = 120  # migrate + collectstatic on a busy machine


@dataclass
class Server:
    port: int
    data: Path

    def get(
        self, path: str, headers: dict[str, str] | None = None, *, peer: str = PROXY
    ) -> http.client.HTTPResponse:
        return self.request("GET", path, headers=headers, peer=peer)

    def request(
        self,
        method: str,
        path: str,
        body: str | None = None,
        headers: dict[str, str] | None = None,
        *,
        peer: str = PROXY,
    ) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection(PROXY, self.port, timeout=30, source_address=(peer, 0))
        conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((PROXY, 0))
        return int(sock.getsockname()[1])


def _wait_until_listening(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"zhenggai serve exited: {process.communicate()}")
        try:
            socket.create_connection((PROXY, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("zhenggai serve did not start")


# gunicorn (Linux's default; the per-peer wrapper decides for one proxy or several) with
# several trusted addresses, and waitress (Windows' server) with one (its own trusted_proxy).
@pytest.fixture(
    scope="module",
    params=[("gunicorn", f"192.0.2.9,{PROXY}"), ("waitress", PROXY)],
    ids=["gunicorn-several", "waitress-one"],
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ZHENGGAI_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        ZHENGGAI_DATA=str(data),
        ZHENGGAI_HTTPS="1",
        ZHENGGAI_TRUSTED_PROXY=request.param[1],
        ZHENGGAI_ALLOWED_HOSTS=HOST,
        ZHENGGAI_SECRET_KEY=secrets.token_urlsafe(50),
    )
    command = [sys.executable, "-m", "zhenggai", "serve", "--port", str(port), "--threads", "2"]
    command += ["--server", request.param[0], "--workers", "2"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_until_listening(process, port)
        yield Server(port, data)
    finally:
        process.terminate()
        process.wait(timeout=30)


HTTPS = {"X-Forwarded-Proto": "https"}


def test_the_trusted_proxy_saying_https_gets_the_page_not_a_redirect(server: Server) -> None:
    home = server.get("/", HTTPS)
    assert home.status == 302
    assert home.headers["Location"] == "/accounts/login/?next=/"
    login = server.get("/accounts/login/", HTTPS)
    assert login.status == 200
    assert login.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_direct_client_claiming_https_is_not_believed(server: Server) -> None:
    response = server.get("/accounts/login/", HTTPS, peer=STRANGER)
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/accounts/login/"


def test_plain_http_through_the_proxy_is_sent_to_https(server: Server) -> None:
    response = server.get("/accounts/login/", {"X-Forwarded-Proto": "http"})
    assert response.status == 301


def _csrf(server: Server) -> tuple[str, str]:
    conn = http.client.HTTPConnection(PROXY, server.port, timeout=30)
    conn.request("GET", "/accounts/login/", headers={"Host": HOST, **HTTPS})
    response = conn.getresponse()
    html = response.read().decode()
    conn.close()
    cookie = re.search(r"csrftoken=([^;]+)", response.headers["Set-Cookie"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert cookie and token
    return cookie.group(1), token.group(1)


def _failed_login_details(server: Server) -> list[str]:
    with sqlite3.connect(server.data / "zhenggai.sqlite3") as db:
        rows = db.execute(
            "SELECT detail FROM ledger_auditevent WHERE action = 'auth.login_failed'"
        ).fetchall()
    return [row[0] for row in rows]


def test_the_audit_records_the_client_address_the_proxy_forwarded(server: Server) -> None:
    cookie, token = _csrf(server)
    # The client sent its own (forged) X-Forwarded-For; nginx appended the real address.
    forwarded = {**HTTPS, "X-Forwarded-For": "6.6.6.6, 203.0.113.7"}
    response = server.request(
        "POST",
        "/accounts/login/",
        body=f"csrfmiddlewaretoken={token}&username=nobody&password=wrong-password",
        headers={
            **forwarded,
            "Cookie": f"csrftoken={cookie}",
            "Origin": f"https://{HOST}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status == 200  # the form again, with its error
    details = _failed_login_details(server)
    assert any("203.0.113.7" in d for d in details), details
    assert not any("6.6.6.6" in d for d in details)


def test_pages_carry_the_csp_and_are_not_stored_static_files_are_cached(server: Server) -> None:
    login = server.get("/accounts/login/", HTTPS)
    assert login.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "no-store" in login.headers["Cache-Control"]
    manifest = (server.data / "static" / "staticfiles.json").read_text(encoding="utf-8")
    hashed = re.search(r'"zhenggai/vendor/echarts/echarts\.min\.js": "([^"]+)"', manifest)
    assert hashed
    script = server.get(f"/static/{hashed.group(1)}", HTTPS)
    assert script.status == 200
    assert "no-store" not in script.headers["Cache-Control"]
    assert "max-age=315360000" in script.headers["Cache-Control"]  # whitenoise: immutable
