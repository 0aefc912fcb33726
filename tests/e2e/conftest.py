"""Browser tests: Playwright for Python drives Debian's Chromium against the live test server.

One Chromium serves the whole session; each test opens fresh contexts (own cookies and storage)
through ``open_page``. Every page opened that way records uncaught JavaScript errors, console
errors and dialogs, and the test fails at teardown if there were any it did not expect.

Chromium, Playwright and axe-core are tools, not Python test dependencies: without them these
tests are skipped with the reason, except in CI (``CI=true``), where a missing tool is a failure.
``scripts/e2e_setup.sh`` installs what is missing.
"""

import importlib
import io
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"
CHROMIUM = os.environ.get("PORTAL_E2E_CHROMIUM", "/usr/bin/chromium")
AXE_CORE = Path(os.environ.get("PORTAL_E2E_AXE", ROOT / "node_modules/axe-core/axe.min.js"))
# Headless, and nothing that phones home: this machine's closed network refuses such connections,
# which would otherwise show up as errors. scripts/screenshots.py launches Chromium the same way.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 10_000


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def require(available, problem, remedy):
    """Skip the test when a browser tool is missing, or fail it when running in CI."""
    if available:
        return
    if in_ci():
        pytest.fail(
            f"{problem}. CI is set, so this is a failure, not a skip. {remedy}", pytrace=False
        )
    pytest.skip(f"Browser tests skipped: {problem}. {remedy} (In CI this is a failure.)")


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """The session's one Chromium."""
    from django.db import connections

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python is not installed", "Run: make install-dev.")
    require(
        os.access(CHROMIUM, os.X_OK),
        f"no Chromium at {CHROMIUM}",
        "Run scripts/e2e_setup.sh (apt-get install -y chromium), or point PORTAL_E2E_CHROMIUM "
        "at a Chromium.",
    )
    # Playwright's sync API leaves its event loop marked as running in this thread. The ORM calls
    # tests make between browser steps are still plain synchronous calls, so allow them; and
    # since Django then keeps connections per async context, put this thread's own connections
    # there too. Otherwise tests would open second connections: to the in-memory SQLite test
    # database that is a second connection to a shared cache, whose table locks collide with
    # the live server's.
    opened = {alias: connections[alias] for alias in connections}
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, connection in opened.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_core():
    """The path of axe-core's script, from the npm registry (package.json, node_modules/)."""
    require(
        AXE_CORE.is_file(),
        f"axe-core is not installed ({AXE_CORE} is missing)",
        "Run: npm ci (or scripts/e2e_setup.sh).",
    )
    return AXE_CORE


@pytest.fixture
def make_user(make_user, transactional_db):
    """tests/conftest.py's ``make_user``, with the newsroom's groups put back first.

    Live-server tests empty the database after each test, and the groups, made by a data
    migration, do not come back by themselves (content types and permissions do).
    """
    from django.contrib.auth.models import Group, Permission

    from news.permissions import EDITORS, REPORTERS

    roles = importlib.import_module("news.migrations.0003_roles")
    for name, codenames in [
        (REPORTERS, roles.REPORTER_PERMISSIONS),
        (EDITORS, roles.EDITOR_PERMISSIONS),
    ]:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="news", codename__in=codenames)
        )
    return make_user


@pytest.fixture
def live_url(live_server):
    """The live server's address of a URL name (with its arguments), a model, or a path."""

    def live_url(target="/", *args, **kwargs):
        if hasattr(target, "get_absolute_url"):
            path = target.get_absolute_url()
        elif ":" in target:
            path = reverse(target, args=args, kwargs=kwargs)
        else:
            path = target
        return live_server.url + path

    return live_url


class BrowserLog:
    """What went wrong in the pages of one test: JavaScript errors, console errors, dialogs."""

    def __init__(self):
        self.page_errors = []
        self.console_errors = []
        self.dialogs = []
        self._expected = []

    def expect_console_error(self, pattern):
        """Allow console errors matching ``pattern`` (a regex over "message @ url")."""
        self._expected.append(re.compile(pattern))

    def watch(self, page):
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self._on_console)
        page.on("dialog", self._on_dialog)

    def _on_console(self, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        self.console_errors.append(f"{message.text} @ {url}")

    def _on_dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def unexpected(self):
        console = [
            line
            for line in self.console_errors
            if not any(pattern.search(line) for pattern in self._expected)
        ]
        return {
            "JavaScript errors": self.page_errors,
            "console errors": console,
            "dialogs": self.dialogs,
        }


@pytest.fixture
def browser_log():
    return BrowserLog()


def serve_media(route):
    """Serve uploaded files from MEDIA_ROOT, as the reverse proxy does in production."""
    relative = unquote(urlsplit(route.request.url).path)[len(settings.MEDIA_URL) :]
    root = Path(settings.MEDIA_ROOT).resolve()
    file = (root / relative).resolve()
    if file.is_file() and root in file.parents:
        route.fulfill(path=file)
    else:
        route.fulfill(status=404, body="Not found")


def log_in(context, user, base_url):
    """Give a browser context the session of ``user``, without going through the login form."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


@pytest.fixture
def open_page(browser, live_server, browser_log):
    """Open a page in a new browser context: ``open_page(user=None, viewport=DESKTOP, **options)``.

    Contexts speak Vietnamese and keep Vietnam's time, like the ministry's readers, unless
    ``options`` say otherwise (``locale="en-US"``); relative URLs go to the live server. The test
    fails at teardown on errors it did not expect.
    """
    contexts = []

    def open_page(user=None, viewport=DESKTOP, init_script=None, **options):
        options.setdefault("locale", "vi-VN")
        options.setdefault("timezone_id", "Asia/Ho_Chi_Minh")
        context = browser.new_context(base_url=live_server.url, viewport=viewport, **options)
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.route(f"{live_server.url}{settings.MEDIA_URL}**", serve_media)
        if init_script:
            context.add_init_script(init_script)
        if user is not None:
            log_in(context, user, live_server.url)
        page = context.new_page()
        browser_log.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    problems = {kind: items for kind, items in browser_log.unexpected().items() if items}
    assert not problems, f"The browser reported problems: {problems}"


@pytest.fixture
def page(open_page):
    """An anonymous reader's page at desktop width."""
    return open_page()


@pytest.fixture
def seeds(transactional_db, category):
    """The ministry's seed pages, imported as published articles: {"000": article, ...}.

    Seed 004 is in Xã hội: the importer files it under the ``category`` fixture's section, so
    tests may use both.
    """
    from news.models import Article
    from news.parser import decode_page, parse_page

    call_command("import_articles", str(SEEDS), stdout=io.StringIO(), stderr=io.StringIO())
    # A page is known by what it is, not by its file: find each seed's article by its title.
    return {
        seed.name.split("_", 1)[0]: Article.objects.get(
            title=parse_page(decode_page(seed.read_bytes())).title
        )
        for seed in sorted(SEEDS.glob("*.txt"))
    }


@pytest.fixture
def phone_page(open_page):
    """An anonymous reader's page on a 360 px phone (touch, high-density screen)."""
    return open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(" ")),
    }));
}"""


@pytest.fixture
def axe(axe_core):
    """``axe(page)``: axe-core's violations on the page as it stands, as plain dicts.

    axe-core is run through the DevTools protocol, as Playwright's own evaluate is: added as an
    inline ``<script>`` it would be refused by the pages' Content Security Policy, as it should.
    """
    source = axe_core.read_text(encoding="utf-8")

    def axe(page):
        page.evaluate(f"() => {{ {source}\n}}")
        return page.evaluate(AXE_RUN)

    return axe
