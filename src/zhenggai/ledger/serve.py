"""``zhenggai serve``: the production server — migrate, collect static files, serve.

On Linux (and other POSIX systems) it serves with gunicorn: ``--workers`` processes (default:
two per CPU core), each with ``--threads`` threads (gthread), so that the pages' Python work
uses every core instead of one interpreter's lock (docs/deployment.md says why gunicorn). On
Windows, where gunicorn does not run, and with ``--server waitress``, it serves with waitress:
one process of threads. Static files come from the data directory through whitenoise, so no
web server is needed for them. Either way the proxy headers are believed from the trusted
proxies only (``behind_proxies``).

Running it under systemd behind a reverse proxy (nginx shown; any proxy works)::

    # /etc/systemd/system/zhenggai.service
    [Unit]
    Description=zhenggai 巡察整改台账系统
    After=network.target postgresql.service

    [Service]
    User=zhenggai
    Environment=ZHENGGAI_DATA=/var/lib/zhenggai
    Environment=DATABASE_URL=postgres://zhenggai@127.0.0.1:5432/zhenggai
    Environment=ZHENGGAI_ALLOWED_HOSTS=zhenggai.example.gov.cn
    Environment=ZHENGGAI_HTTPS=1
    Environment=ZHENGGAI_TRUSTED_PROXY=127.0.0.1
    ExecStart=/opt/zhenggai/venv/bin/zhenggai serve --host 127.0.0.1 --port 8000
    Restart=on-failure

    [Install]
    WantedBy=multi-user.target

    # nginx: TLS ends here; the app listens on 127.0.0.1 only.
    server {
        listen 443 ssl;
        server_name zhenggai.example.gov.cn;
        client_max_body_size 50m;                     # evidence uploads
        location / {
            proxy_pass http://127.0.0.1:8000;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;   # believed from ZHENGGAI_TRUSTED_PROXY
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }
    }

``systemctl enable --now zhenggai``. Every start migrates the database and collects static
files, so an upgrade is: install the new version, ``systemctl restart zhenggai``. For more
throughput on one machine raise ``--workers``; across machines run one instance on each behind
the same proxy; they share the data directory and the PostgreSQL database (not SQLite).
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import socket
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from zhenggai.cli import UserError

log = logging.getLogger("zhenggai.serve")

DEFAULT_PORT = 8000
DEFAULT_THREADS = 8
SERVERS = ("gunicorn", "waitress")
# What a trusted proxy may tell us: the client's scheme (https) and address (the last hop of
# X-Forwarded-For, the one the proxy itself appended; what the client sent before is not read).
PROXY_HEADERS = frozenset({"x-forwarded-proto", "x-forwarded-for"})

WSGIApp = Callable[..., Any]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "serve",
        help="正式运行：迁移数据库、收集静态文件并启动 Web 服务",
        description=(
            "迁移数据库、收集静态文件，然后提供 Web 服务（生产部署用）："
            "Linux 上用 gunicorn 多进程，Windows 上用 waitress。"
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="端口（默认 8000）")
    parser.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS, help="每个进程的工作线程数（默认 8）"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="gunicorn 工作进程数（默认每个 CPU 核 2 个；waitress 只有 1 个进程）",
    )
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default=default_server(),
        help="Web 服务器（默认：Windows 上 waitress，其他系统 gunicorn）",
    )
    parser.set_defaults(handler=run)


def default_server() -> str:
    return "waitress" if sys.platform == "win32" else "gunicorn"


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1)


def run(args: argparse.Namespace) -> int:
    if args.threads < 1:
        raise UserError("--threads 至少为 1。")
    workers = args.workers if args.workers is not None else default_workers()
    if workers < 1:
        raise UserError("--workers 至少为 1。")
    if args.server == "gunicorn" and sys.platform == "win32":
        raise UserError("Windows 上不能使用 gunicorn，请用 --server waitress。")
    setup_django()
    prepare()
    if args.server == "gunicorn":
        serve_gunicorn(args.host, args.port, workers, args.threads)
    else:
        serve(args.host, args.port, args.threads)
    return 0


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")
    import django

    try:
        django.setup()
    except Exception as exc:  # bad settings from the environment: say so, no traceback
        log.warning("Django setup failed: %r", exc)
        raise UserError(f"配置有误，无法启动：{exc}") from exc
    _require_driver()


POSTGRES_HINT = "pip install 'zhenggai[postgres]'"


def _require_driver() -> None:
    """PostgreSQL needs the optional driver: name the extra that installs it, before Django
    fails on first use with a traceback about psycopg."""
    from django.conf import settings

    if "postgresql" not in str(settings.DATABASES["default"]["ENGINE"]):
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        log.warning("DATABASE_URL names PostgreSQL but psycopg is not installed")
        raise UserError(f"使用 PostgreSQL 须安装数据库驱动：{POSTGRES_HINT}") from None


def setup_ledger() -> None:
    """Set up Django for a command that reads the ledger, and make sure there is one."""
    setup_django()
    require_ledger()


def require_ledger() -> None:
    """One Chinese line instead of "no such table" when the database looked at holds no ledger
    (a new data directory, a command run as another user, ZHENGGAI_DATA pointing elsewhere).
    A missing SQLite file is not opened, so no empty database is left behind."""
    from django.conf import settings
    from django.db import Error as DatabaseError
    from django.db import connection

    database = settings.DATABASES["default"]
    where = f"数据库 {database['NAME']}"
    if database["ENGINE"] == "django.db.backends.sqlite3":
        file = Path(str(database["NAME"]))
        where = f"数据目录 {file.parent}" if file.parent == settings.DATA_DIR else f"{file}"
        in_memory = connection.creation.is_in_memory_db(database["NAME"])  # tests
        if not in_memory and not file.is_file():
            raise UserError(_no_ledger(where))
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as exc:
        log.warning("cannot open the database: %r", exc)
        raise UserError(f"无法连接数据库，请检查 DATABASE_URL：{exc}") from exc
    if "ledger_inspection" not in tables:
        raise UserError(_no_ledger(where))


def _no_ledger(where: str) -> str:
    return (
        f"{where} 中没有台账数据库：请先建立（zhenggai demo --init-only 或 zhenggai serve），"
        "或设置环境变量 ZHENGGAI_DATA 指向已有的数据目录。"
    )


def prepare() -> None:
    """Bring the database schema up to date and collect static files into the data directory."""
    from django.core.management import call_command
    from django.db import Error as DatabaseError

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as exc:
        log.warning("migrate failed: %r", exc)
        raise UserError(f"无法连接或迁移数据库，请检查 DATABASE_URL：{exc}") from exc
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
    except (OSError, ValueError) as exc:  # ValueError: a stylesheet names a missing file
        log.warning("collectstatic failed: %r", exc)
        raise UserError(f"无法写入静态文件目录：{exc}") from exc


def serve(host: str, port: int, threads: int) -> None:
    """Serve until interrupted. Binding happens first, so a busy port is one clear error."""
    from django.conf import settings
    from waitress import create_server

    from zhenggai.wsgi import application

    app, options = behind_proxies(application, settings.TRUSTED_PROXIES)
    try:
        server = create_server(
            app, host=host, port=port, threads=threads, ident="zhenggai", **options
        )
    except OSError as exc:
        log.warning("cannot listen on %s:%s: %r", host, port, exc)
        raise UserError(f"无法在 {host}:{port} 上启动服务（端口被占用或无权限）。") from exc
    print(f"服务已启动：http://{_display_host(host)}:{port}/ （按 Ctrl+C 停止）", flush=True)
    server.run()


def serve_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn's gthread workers until interrupted.

    gunicorn itself is told to believe no proxy header (``forwarded_allow_ips`` empty, no
    secure-scheme headers): the same per-peer wrapper as under waitress decides, so both
    servers trust exactly the configured proxies."""
    from django.conf import settings
    from django.db import connections

    from zhenggai.wsgi import application

    _check_port_free(host, port)
    trusted = {_address(proxy) for proxy in settings.TRUSTED_PROXIES}
    app = _per_peer(application, trusted)
    # The workers are forked from this process: none may inherit its database connection.
    connections.close_all()
    print(
        f"服务已启动：http://{_display_host(host)}:{port}/ "
        f"（gunicorn，{workers} 个进程 × {threads} 个线程；按 Ctrl+C 停止）",
        flush=True,
    )
    _GunicornServer(app, gunicorn_options(host, port, workers, threads)).run()


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "proc_name": "zhenggai",
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "forwarder_headers": "",
        # A worker stuck longer than this (a huge export on the request path) is restarted.
        "timeout": 120,
        "graceful_timeout": 30,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }


def _check_port_free(host: str, port: int) -> None:
    """gunicorn retries a busy port and then exits with a log line: say it clearly instead."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            log.warning("cannot listen on %s:%s: %r", host, port, exc)
            raise UserError(f"无法在 {host}:{port} 上启动服务（端口被占用或无权限）。") from exc


def _gunicorn_base() -> type:
    from gunicorn.app.base import BaseApplication

    return BaseApplication  # type: ignore[no-any-return]


class _GunicornServer:
    """gunicorn's embedding API: the options are given here, no config file or argv read."""

    def __init__(self, app: WSGIApp, options: dict[str, Any]) -> None:
        base = _gunicorn_base()
        wsgi = app

        class Embedded(base):  # type: ignore[misc, valid-type]
            def load_config(self) -> None:
                for key, value in options.items():
                    self.cfg.set(key, value)

            def load(self) -> WSGIApp:
                return wsgi

        self.server = Embedded()

    def run(self) -> None:
        self.server.run()


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host


def behind_proxies(app: WSGIApp, proxies: Iterable[str]) -> tuple[WSGIApp, dict[str, Any]]:
    """The application and the waitress options that believe X-Forwarded-Proto/-For from the
    trusted proxies only. From any other peer those headers are removed before Django sees
    them, so a client cannot claim https or another address.

    waitress trusts one address; for several, waitress's own proxy middleware is applied per
    peer here and waitress is told not to clear the headers itself (it would do so first).
    """
    trusted = [_address(proxy) for proxy in proxies]
    if not trusted:
        return app, {}  # waitress's default: every proxy header is cleared
    if len(trusted) == 1:
        return app, {
            "trusted_proxy": trusted[0],
            "trusted_proxy_headers": set(PROXY_HEADERS),
            "clear_untrusted_proxy_headers": True,
        }
    return _per_peer(app, set(trusted)), {"clear_untrusted_proxy_headers": False}


def _per_peer(app: WSGIApp, trusted: set[str]) -> WSGIApp:
    from waitress.proxy_headers import proxy_headers_middleware

    believed = proxy_headers_middleware(
        app, trusted_proxy="*", trusted_proxy_headers=set(PROXY_HEADERS)
    )
    cleared = proxy_headers_middleware(app, trusted_proxy=None)  # None matches no peer

    def by_peer(environ: dict[str, Any], start_response: Any) -> Any:
        chosen = believed if environ.get("REMOTE_ADDR") in trusted else cleared
        return chosen(environ, start_response)

    return by_peer


def _address(text: str) -> str:
    """A proxy is named by its IP address: the peer waitress sees, never a host name."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError as exc:
        raise UserError(f"ZHENGGAI_TRUSTED_PROXY 应为 IP 地址（多个用逗号分隔）：{text}") from exc
