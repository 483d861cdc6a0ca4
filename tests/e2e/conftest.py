"""Browser tests drive Debian's Chromium through Playwright (its own browsers cannot be fetched)."""

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make browser` (make test installs it)")
    # Playwright's sync API runs an event loop; the ORM calls of the tests must still be allowed.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def django_db_setup(browser, django_db_setup):
    """The test database is made after the browser starts, so every test sees one connection.

    Playwright's sync API runs an event loop in this thread; from then on Django keeps its
    connections per context rather than per thread. A database set up before it would keep the
    serialized reference data on a connection the later tests no longer see, and from the
    second browser test on the serialized rollback would restore nothing.
    """
    yield


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="kk-KZ", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


APPEND_ONLY = importlib.import_module("qorgau.audit.migrations.0002_append_only")
SEAL_ONLY = importlib.import_module("qorgau.audit.migrations.0004_audit_seal_after_commit")


def _audit_triggers_present() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'audit_no_change'")
        else:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_no_update'"
            )
        return cursor.fetchone() is not None


@pytest.fixture(autouse=True)
def audit_trail_flushable(transactional_db):
    """Live-server tests end with a flush of every table, which the append-only triggers refuse.

    The triggers stand during the test and are lifted only for that flush.
    """
    if not _audit_triggers_present():
        with connection.schema_editor() as editor:
            APPEND_ONLY.add_triggers(None, editor)
            # As the migrations left them: the sealing after commit may set the chain columns.
            SEAL_ONLY.add_seal_triggers(django_apps, editor)
    yield
    with connection.schema_editor() as editor:
        APPEND_ONLY.drop_triggers(None, editor)
