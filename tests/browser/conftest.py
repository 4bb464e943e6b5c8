"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live server.

Every test under tests/browser is marked `browser` (see `pytest_collection_modifyitems`).

How every page gets an accessibility check (axe-core, WCAG 2.0/2.1/2.2 A and AA; serious or critical fails):
- Tests move between pages with `visit(page, path)` and `follow(page, locator)` (a link or a submit button that
  loads a new page). Both wait for the new page to load and then run `check_axe(page)`.
- After an htmx swap (no new page) the test waits for the new content and calls `check_axe(page)` itself.
- A guard, not a checker: each page we open logs every new document (its `domcontentloaded` event) and every
  axe run. When the test ends, the page still open is checked, and the test fails if any document it loaded was
  never checked — so a step written with plain Playwright calls cannot skip axe silently. Running axe *inside*
  a load handler is not reliable: the sync API cannot call back into the page from an event handler, and the
  next navigation may already have started.

axe-core is the copy shipped inside the installed `axe_playwright_python` package; nothing is fetched at test
time. Screenshots go to test-results/ at the repository root (gitignored).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, sync_playwright

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
RESULTS_DIR = REPO_ROOT / "test-results"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MOBILE = {"width": 390, "height": 844}  # mobile first: most people taking part will be on a phone
TIMEOUT_MS = 10_000

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
AXE_SOURCE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items, not only this folder's: mark ours only.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item, so fixture teardown can tell whether the test itself failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# --- The browser --------------------------------------------------------------------------------


def chromium_path() -> str:
    return os.environ.get("COPRODUCE_CHROMIUM") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    resolved = path if os.path.isabs(path) else shutil.which(path)
    if not resolved or not os.access(resolved, os.X_OK):
        message = (
            f"Chromium not found at {path!r}: install Debian's chromium package or set COPRODUCE_CHROMIUM "
            "to a Chromium binary (the browser tests never download one)."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    # Playwright's sync API runs an asyncio event loop in the main thread; Django's ORM refuses to run inside
    # one unless told that this is deliberate (tests call the ORM while the browser is open). Set only while
    # the browser runs, so the rest of the suite keeps Django's check.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=resolved, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- Accessibility ------------------------------------------------------------------------------


class AxeLog:
    """What each open page loaded and what axe checked, in order (see the module docstring)."""

    def __init__(self, *, javascript: bool) -> None:
        self.javascript = javascript
        self.events: list[tuple[str, str]] = []

    def loaded(self, url: str) -> None:
        self.events.append(("loaded", url))

    def checked(self, url: str) -> None:
        self.events.append(("checked", url))

    def unchecked(self) -> list[str]:
        missed, pending = [], None
        for kind, url in self.events:
            if kind == "loaded":
                if pending is not None:
                    missed.append(pending)
                pending = url
            else:
                pending = None
        return missed + ([pending] if pending is not None else [])


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} serious or critical accessibility problem(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"  at {target}: {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"  ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


def run_axe(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now; return all violations (every impact)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)["violations"]


class NoScriptMirror:
    """axe cannot finish inside a page with JavaScript disabled (its timers never fire), so it checks a copy:
    the same HTML at the same URL, in a page whose own scripts are blocked, so the DOM is the one a reader
    without JavaScript gets. Stylesheets load from the live server as usual. One mirror page per test."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.context: BrowserContext | None = None
        self.copy: Page | None = None
        self.url, self.html = "", ""

    def _serve(self, route) -> None:
        if route.request.url == self.url:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.html)
        elif route.request.resource_type == "script":
            route.abort()
        else:
            route.continue_()

    def run_axe(self, page: Page) -> list[dict]:
        if self.copy is None:
            self.context = self.browser.new_context(viewport=page.viewport_size)
            self.context.set_default_timeout(TIMEOUT_MS)
            self.context.route("**/*", self._serve)
            self.copy = self.context.new_page()
        self.url, self.html = page.url, page.content()
        self.copy.goto(self.url, wait_until="load")
        return run_axe(self.copy)

    def close(self) -> None:
        if self.context is not None:
            self.context.close()


# --- Pages and helpers --------------------------------------------------------------------------


@pytest.fixture
def _axe_logs() -> dict[int, AxeLog]:
    return {}


@pytest.fixture
def _no_script_mirror(browser) -> Iterator[NoScriptMirror]:
    mirror = NoScriptMirror(browser)
    yield mirror
    mirror.close()


@pytest.fixture
def check_axe(_axe_logs, _no_script_mirror) -> Callable[[Page], None]:
    """`check_axe(page)`: fail on serious or critical WCAG A/AA violations on the page as it is now."""

    def check(page: Page) -> None:
        page.wait_for_load_state("load")
        log = _axe_logs.get(id(page))
        if log is not None and not log.javascript:
            violations = _no_script_mirror.run_axe(page)
        else:
            violations = run_axe(page)
        if log is not None:
            log.checked(page.url)
        serious = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        minor = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
        if minor:  # shown with the output of a failing test; not a failure on their own
            print(f"axe (moderate/minor) on {page.url}: " + ", ".join(v["id"] for v in minor))
        if serious:
            pytest.fail(describe_violations(page.url, serious), pytrace=False)

    return check


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    # Autouse, so it runs before fixtures that create users: their passwords must use the same hasher.
    settings.ACCOUNT_RATE_LIMITS = False  # many sign-ins from 127.0.0.1 in one run are not an attack
    # Argon2 is slow on purpose (~100 MB, several threads per check); on a busy CI runner one sign-in can take
    # seconds. These tests are about pages, not password storage. Argon2 stays in the list, so a password
    # hashed before this fixture ran (the shared personas hash theirs once per run) still verifies.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


# --- Content-Security-Policy ------------------------------------------------------------------------
# Every page a test opens reports what the policy blocked (the `securitypolicyviolation` event, recorded by an
# init script, which Playwright injects past the policy, and Chromium's console message): a test fails if any
# page broke the policy, so every journey checks that the pages pass it.

CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`);
});
"""


def csp_violations(page: Page) -> list[str]:
    """What the policy has blocked on the page's current document so far."""
    return page.evaluate("() => window.__cspViolations || []")


def record_csp_violations(page: Page, found: list[str]) -> None:
    """Before the page loads anything: record in the page what the policy blocks, and add Chromium's console
    reports of it to `found`."""
    page.add_init_script(CSP_RECORDER)
    page.on(
        "console",
        lambda message: found.append(message.text) if "Content Security Policy" in message.text else None,
    )


@pytest.fixture
def csp() -> SimpleNamespace:
    """`csp.record(page, found)` and `csp.violations(page)`, for a test that opens pages of its own."""
    return SimpleNamespace(record=record_csp_violations, violations=csp_violations)


@pytest.fixture
def new_page(
    request, browser, live_server, transactional_db, _axe_logs, check_axe
) -> Iterator[Callable[..., Page]]:
    """`new_page(javascript=True, viewport=MOBILE)`: a page in its own browser context (its own cookies, so
    two people can be signed in at once), pointed at the live server. Relative URLs work in `goto`."""
    contexts: list[BrowserContext] = []
    pages: list[Page] = []
    blocked: list[str] = []  # Content-Security-Policy violations, from the console of every page

    def make(*, javascript: bool = True, viewport: dict | None = None) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or MOBILE,
            java_script_enabled=javascript,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        log = _axe_logs[id(page)] = AxeLog(javascript=javascript)
        page.on("domcontentloaded", lambda p: log.loaded(p.url))
        record_csp_violations(page, blocked)
        pages.append(page)
        return page

    yield make

    try:
        call = getattr(request.node, "report_call", None)
        if call is not None and call.failed:
            return  # the test's own failure is the message that matters
        missed: list[str] = []
        for page in pages:
            log = _axe_logs[id(page)]
            if log.events and log.events[-1][0] == "loaded" and not page.is_closed():
                check_axe(page)  # the last page a test left open
            missed += log.unchecked()
        if blocked:
            pytest.fail(
                "The Content-Security-Policy blocked something (an inline script or style, or another origin):\n"
                + "\n".join(f"- {text}" for text in blocked),
                pytrace=False,
            )
        if missed:
            pytest.fail(
                "These pages were loaded but never checked with axe (use visit/follow, or call check_axe "
                "after the page loads):\n" + "\n".join(f"- {url}" for url in missed),
                pytrace=False,
            )
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page) -> Page:
    """A mobile-sized page (390×844) with JavaScript on."""
    return new_page()


def sign_in_cookie(page: Page, user, base_url: str) -> None:
    """Sign `user` in on the page's browser context without typing a password: a session made on the server
    (Django's test client), handed to the browser as its cookie. For tests about pages other than sign-in."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="coproduce.people.backends.ModelBackend")
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base_url}])


@pytest.fixture
def screenshot(request) -> Callable[[Page, str], Path]:
    """`screenshot(page, step)` saves test-results/<test name>-<step>.png (the whole page)."""

    def save(page: Page, step: str) -> Path:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{request.node.name}-{step}").strip("-")
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def visit(check_axe) -> Callable[[Page, str], Page]:
    """`visit(page, path)`: open a page, wait for it to load, check it with axe."""

    def go(page: Page, path: str) -> Page:
        response = page.goto(path, wait_until="load")
        assert response is not None and response.ok, f"GET {path} answered {response and response.status}"
        check_axe(page)
        return page

    return go


@pytest.fixture
def follow(check_axe) -> Callable[[Page, Locator], Page]:
    """`follow(page, locator)`: click a link or submit button that loads a new page, wait, check it with axe."""

    def click(page: Page, locator: Locator) -> Page:
        with page.expect_navigation(wait_until="load"):
            locator.click()
        check_axe(page)
        return page

    return click
