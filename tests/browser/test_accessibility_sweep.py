"""The accessibility sweep (issue 17, point 7): every kind of page reachable in the demo, as each persona.

One test loads the demo once and, for each persona (anonymous, a member with lived experience, a facilitator, a
host, and the network's staff admin, who coordinates the timebank too), crawls the links breadth-first from the home
page. Pages are grouped by URL pattern (the route name Django resolves them to) and only the first URL of each
route is opened per persona, so the crawl sees every kind of page, not every idea. Each page is checked with
axe-core at 390 px (the home page at a desktop width too); every serious or critical violation is collected and
the test fails once, at the end, listing them all, and also if a page is wider than the phone (reflow, which axe
does not check), a route answered 500, or a link the site offered led to an error page (403, 404).
"""

from __future__ import annotations

import time
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage
from playwright.sync_api import Error as PlaywrightError

from coproduce.demo.loader import DEMO_HOST_EMAIL, load_demo
from coproduce.people.models import User
from coproduce.spaces.models import Membership, Role, Space

from .conftest import (
    AXE_SOURCE,
    FAILING_IMPACTS,
    MOBILE,
    TIMEOUT_MS,
    record_csp_violations,
    run_axe,
    sign_in_cookie,
)

DESKTOP = {"width": 1280, "height": 900}
PER_ROUTE = 1  # URLs opened per route name and persona: every kind of page, not every idea
# Not pages: signing out, the admin site and the API, files to download, feeds.
SKIPPED_PREFIXES = ("/accounts/logout/", "/admin/", "/api/", "/static/", "/media/")
SKIPPED_SUFFIXES = (".csv", ".ics", ".pb", ".zip", ".json", ".pdf", ".xml", "/download/", "/image/", "/feed/")


@pytest.fixture
def demo(transactional_db):
    """The demo, loaded once for the sweep (the checks it queues run at once, in memory)."""
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage, HUEY.immediate = MemoryStorage("accessibility-sweep"), True
    load_demo()
    yield
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


def personas() -> dict[str, User | None]:
    drop_in = Space.objects.get(title__startswith="Redesign")
    return {
        "anonymous": None,
        "member (lived experience)": User.objects.get(email="jamie@demo.coproduce.scot"),
        "facilitator": Membership.objects.filter(space=drop_in, role=Role.FACILITATOR).first().user,
        "host": User.objects.get(email=DEMO_HOST_EMAIL),
        "staff (network admin, a timebank coordinator)": User.objects.get(email="admin@demo.coproduce.scot"),
    }


def route_of(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawlable(path: str) -> bool:
    return not path.startswith(SKIPPED_PREFIXES) and not path.endswith(SKIPPED_SUFFIXES)


LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"


def test_every_kind_of_page_passes_axe_for_every_persona(browser, live_server, demo):
    origin = urlsplit(live_server.url).netloc
    problems: list[str] = []  # "page: rule (impact) at target"
    errors: list[str] = []  # 500s
    broken: list[str] = []  # other error statuses a link led to
    blocked: list[str] = []  # Content-Security-Policy violations
    minor: Counter[str] = Counter()  # moderate and minor violations, by rule (printed, not failed)
    every_route: set[str] = set()  # route names some persona opened
    started = time.monotonic()

    for name, user in personas().items():
        context = browser.new_context(
            base_url=live_server.url, viewport=MOBILE, locale="en-GB", timezone_id="Europe/London"
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(AXE_SOURCE)  # once per context, rather than sent into every page
        page = context.new_page()
        if user is not None:
            sign_in_cookie(page, user, live_server.url)
        record_csp_violations(page, blocked)
        opened: Counter[str] = Counter()  # route name -> URLs queued
        seen: set[str] = {"/"}
        queue: deque[str] = deque(["/"])
        opened[route_of("/")] += 1
        pages = 0
        while queue:
            path = queue.popleft()
            try:
                response = page.goto(path, wait_until="load")
            except PlaywrightError as error:  # a download the URL did not give away
                if "Download is starting" in str(error):
                    continue
                raise
            pages += 1
            status = response.status if response else 0
            if status >= 500:
                errors.append(f"{name}: {path} answered {status}")
                continue
            if status >= 400:
                broken.append(f"{name}: {path} answered {status}")
            if "text/html" not in (response.headers.get("content-type", "") if response else ""):
                continue
            # Reflow (WCAG 1.4.10), which axe does not check: nothing wider than the phone, but a wide table may
            # scroll inside its own box.
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > MOBILE["width"]:
                problems.append(
                    f"{path} ({name}): the page is {width} px wide on a {MOBILE['width']} px screen"
                )
            viewports = [MOBILE, DESKTOP] if path == "/" else [MOBILE]
            for viewport in viewports:
                page.set_viewport_size(viewport)
                for violation in run_axe(page):
                    if violation["impact"] not in FAILING_IMPACTS:
                        minor[violation["id"]] += 1
                        continue
                    for node in violation["nodes"]:
                        target = " ".join(str(part) for part in node["target"])
                        problems.append(
                            f"{path} ({name}, {viewport['width']} px): {violation['id']} "
                            f"({violation['impact']}) at {target}"
                        )
            page.set_viewport_size(MOBILE)
            if status >= 400:
                continue
            for href in page.evaluate(LINKS):
                parts = urlsplit(urljoin(page.url, href))
                if parts.netloc != origin or parts.scheme not in ("http", "https"):
                    continue
                url = parts.path + (f"?{parts.query}" if parts.query else "")
                if url in seen or not crawlable(parts.path):
                    continue
                seen.add(url)
                route = route_of(parts.path)
                if route is None or opened[route] >= PER_ROUTE:
                    continue
                opened[route] += 1
                queue.append(url)
        context.close()
        every_route.update(opened)
        print(f"{name}: {pages} pages, {len(opened)} routes")

    print(f"{len(every_route)} routes in all; the sweep took {time.monotonic() - started:.0f} s")
    if minor:
        print("Moderate or minor (not failures): " + ", ".join(f"{rule} ×{n}" for rule, n in minor.items()))
    failures = []
    if broken:  # a link the site offers that refuses the person who follows it is a dead end for them
        failures.append("Links that led to an error page:\n" + "\n".join(f"- {line}" for line in broken))
    if errors:
        failures.append("Pages that answered a server error:\n" + "\n".join(f"- {e}" for e in errors))
    if problems:
        unique = list(dict.fromkeys(problems))
        failures.append(
            f"{len(unique)} accessibility problem(s) (axe: serious or critical; reflow):\n"
            + "\n".join(f"- {p}" for p in unique)
        )
    if blocked:
        failures.append("The Content-Security-Policy blocked:\n" + "\n".join(f"- {b}" for b in set(blocked)))
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
