"""The Content-Security-Policy in a real browser: pages pass it and htmx still works under it (issue 10,
point 8). Every browser test also fails on any violation (see conftest.py); this one checks the parts that a
journey would not: htmx's own behaviour, the API documentation, and that a violation would be caught."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coproduce.people.models import User
from coproduce.spaces import services as space_services

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def spaces(transactional_db):
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")
    for title, place in (("Library opening hours", "Johnstone"), ("Drop-in redesign", "Paisley")):
        space_services.space_create(actor=host, title=title, purpose="Decide together.", place=place)


def test_the_directory_filter_works_through_htmx_under_the_policy(page, visit, check_axe, csp, spaces):
    response = page.goto("/spaces/", wait_until="load")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy
    assert "camera=()" in response.headers["permissions-policy"]
    check_axe(page)
    expect(page.get_by_role("heading", name="2 spaces found")).to_be_visible()

    # htmx swaps the results in place: the page is not reloaded (the marker survives) and the URL follows.
    page.evaluate("() => { window.__sameDocument = true; }")
    page.get_by_label("Search").fill("drop-in")
    page.get_by_role("button", name="Show spaces").click()
    expect(page).to_have_url(re.compile(r"q=drop-in"))
    results = page.locator("#results")
    expect(results.get_by_role("heading", name="1 space found")).to_be_visible()
    expect(results.get_by_role("link", name="Library opening hours")).to_have_count(0)
    assert page.evaluate("() => window.__sameDocument === true"), (
        "the filter reloaded the page: htmx did not run"
    )
    # htmx would add its indicator styles in an inline <style>: turned off in base.html, so nothing is blocked.
    assert csp.violations(page) == []
    check_axe(page)


def test_the_api_documentation_works_under_the_policy(browser, live_server, csp, transactional_db):
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        blocked: list[str] = []
        csp.record(page, blocked)
        response = page.goto("/api/v1/docs", wait_until="load")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        operations = page.locator(".opblock")
        expect(operations.first).to_be_visible()  # Swagger UI, from our own static files, has drawn the API
        operations.first.locator(".opblock-summary").click()
        expect(page.get_by_role("button", name="Try it out").first).to_be_visible()
        assert csp.violations(page) == [] and blocked == []
    finally:
        context.close()


def test_a_violation_would_be_caught(browser, live_server, csp, transactional_db):
    """The check above cannot pass by not looking: an inline style on our page is blocked and reported."""
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        blocked: list[str] = []
        csp.record(page, blocked)
        page.goto("/accounts/login/", wait_until="load")
        page.evaluate(
            """() => document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>')"""
        )
        expect(page.locator("p", has_text="x").last).to_be_attached()
        page.wait_for_function("() => window.__cspViolations.length > 0")
        assert any("style-src" in violation for violation in csp.violations(page))
    finally:
        context.close()
