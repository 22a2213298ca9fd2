"""Configuration for the whole test suite.

Django is configured here, not with ``DJANGO_SETTINGS_MODULE`` in pyproject: the settings read
``ZHENGGAI_DATA`` when imported and create the data directory (and its secret key), so the
variable must point at a temporary directory first — tests never write into the current one.
It happens at import, because conftest files below this one import models at their top.
``DATABASE_URL`` is left alone: set it to run the suite on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import django
import pytest
from django.conf import settings

DATA_DIR = tempfile.mkdtemp(prefix="zhenggai-test-")
os.environ["ZHENGGAI_DATA"] = DATA_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")

# Tests never run collectstatic, so the manifest that production uses does not exist (nor does
# the directory, which whitenoise would warn about).
os.makedirs(os.path.join(DATA_DIR, "static"))
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A deliberately slow hash protects real passwords; tests only need a fast one.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Lockout, the second factor and password expiry are off for the suite (it signs in with
# force_login and Client.login, which axes refuses without a request); tests/security turns
# each on where it is the subject.
settings.AXES_ENABLED = False
settings.ZHENGGAI_REQUIRE_2FA = []
settings.ZHENGGAI_PASSWORD_MAX_AGE_DAYS = 0
django.setup()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(DATA_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _audit_anchor_per_test(settings, tmp_path_factory):
    """Each test gets its own audit anchor file: the database is rolled back after each test,
    and a checkpoint left by an earlier test would not match the next test's chain."""
    settings.ZHENGGAI_AUDIT_ANCHOR_FILE = tmp_path_factory.mktemp("audit") / "audit_anchor.log"
    from zhenggai.ledger import audit

    audit.unknown_name_failures.reset()


@pytest.fixture
def anchor_at_once(monkeypatch):
    """Run commit callbacks at once, so that each audit event reaches the anchor file as it is
    recorded. A test's transaction is rolled back, never committed, and a chain with signed rows
    but an empty anchor does not verify. For tests whose writes all succeed: a rolled-back
    write would leave its anchor line behind, as it never would in production."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


# What ``audit.verify_audit_chain`` says of a chain whose anchor file never got a line: a
# test's transaction is rolled back, never committed, so its anchor stays empty.
UNANCHORED = "链外锚点文件缺失或为空"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "audit_chain_tampered: the test breaks the audit chain on purpose (the chain check of "
        "every other test skips it)",
    )


@pytest.fixture(autouse=True)
def _audit_chain_holds(request):
    """After every test that recorded audit events, the hash chain verifies: whatever the
    suite does through the actions, the admin, the API and the screens leaves a chain that
    ``zhenggai verify-audit`` would accept (issue #14)."""
    if request.node.get_closest_marker("audit_chain_tampered") or not _uses_db(request):
        yield
        return
    from django.db.models.signals import post_save

    from zhenggai.ledger import audit
    from zhenggai.ledger.models import AuditEvent

    recorded = []

    def note(**kwargs):
        recorded.append(1)

    post_save.connect(note, sender=AuditEvent, weak=False, dispatch_uid="audit_chain_holds")
    try:
        yield
    finally:
        post_save.disconnect(sender=AuditEvent, dispatch_uid="audit_chain_holds")
    if recorded:
        report = audit.verify_audit_chain()
        assert report.ok or report.problem == UNANCHORED, report


def _uses_db(request) -> bool:
    """Whether the test has a database, set up before this fixture (so that the check runs
    before the test's transaction is rolled back or its tables flushed)."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
        return True
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            return True
    return False
