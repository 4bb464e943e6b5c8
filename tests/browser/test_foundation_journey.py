"""The foundation journey in a real browser: a newcomer registers, finds a space and asks to join; the host
approves them and opens co-design. Every page is checked with axe (see conftest.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from coproduce.people.models import User
from coproduce.spaces import services as space_services

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def host(transactional_db):
    """Replaces the shared `host` persona, which needs `db`: the live server needs `transactional_db`."""
    return User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")


@pytest.fixture
def drop_in(host):
    """The public space the newcomer looks for, and another one the search must leave out."""
    space_services.space_create(
        actor=host,
        title="Library opening hours",
        purpose="Agree when the library is open.",
        place="Johnstone",
    )
    return space_services.space_create(
        actor=host,
        title="Drop-in redesign",
        purpose="Decide together what replaces the drop-in.",
        place="Paisley",
    )


def sign_in(page: Page, follow, email: str, password: str = PASSWORD) -> None:
    """Fill in the sign-in form the page is showing."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_newcomer_joins_and_host_opens_co_design(
    new_page, visit, follow, check_axe, screenshot, host, drop_in
):
    newcomer = new_page()

    # A newcomer registers from the home page. Email verification is optional, so they are signed in at once.
    visit(newcomer, "/")
    follow(newcomer, newcomer.get_by_role("link", name="Register", exact=True))
    newcomer.get_by_label("Email").fill("nadia@example.org")
    newcomer.get_by_label("Your name, as others will see it").fill("Nadia Newcomer")
    newcomer.get_by_label("Password", exact=True).fill("correct horse battery staple")
    newcomer.get_by_label("Password (again)").fill("correct horse battery staple")
    follow(newcomer, newcomer.get_by_role("button", name="Register"))
    expect(newcomer.get_by_role("button", name="Sign out")).to_be_visible()

    # They find the space in the directory, narrowing it down with the search filter (htmx swaps the results).
    follow(newcomer, newcomer.get_by_role("navigation", name="Main").get_by_role("link", name="Spaces"))
    results = newcomer.locator("#results")
    expect(results.get_by_role("heading", name="2 spaces found")).to_be_visible()
    newcomer.get_by_label("Search").fill("drop-in")
    newcomer.get_by_role("button", name="Show spaces").click()
    expect(newcomer).to_have_url(re.compile(r"q=drop-in"))
    expect(results.get_by_role("heading", name="1 space found")).to_be_visible()
    expect(results.get_by_role("link", name="Library opening hours")).to_have_count(0)
    check_axe(newcomer)

    # They ask to join, saying where they take part from.
    follow(newcomer, results.get_by_role("link", name="Drop-in redesign"))
    follow(newcomer, newcomer.get_by_role("link", name="Ask to join"))
    newcomer.get_by_label("Person with lived experience").check()
    newcomer.get_by_label("A few words to the hosts").fill("I used the drop-in for three years.")
    follow(newcomer, newcomer.get_by_role("button", name="Send my request"))
    expect(newcomer.get_by_text("A host will look at your request and reply soon.")).to_be_visible()
    expect(newcomer.get_by_text("You have asked to join.")).to_be_visible()
    screenshot(newcomer, "1-newcomer-asked-to-join")

    # The host signs in (their own browser), finds the request from the space page and approves it.
    hosting = new_page()
    visit(hosting, f"/accounts/login/?next={drop_in.get_absolute_url()}")
    sign_in(hosting, follow, host.email)
    expect(hosting.get_by_role("heading", level=1)).to_have_text("Drop-in redesign")
    follow(hosting, hosting.get_by_role("link", name="1 request to join"))
    request = hosting.get_by_role("region", name="Nadia Newcomer")
    expect(request).to_contain_text("Takes part as: Person with lived experience")
    expect(request).to_contain_text("I used the drop-in for three years.")
    follow(hosting, request.get_by_role("button", name="Approve Nadia Newcomer"))
    expect(hosting.get_by_text("Nadia Newcomer is now a member.")).to_be_visible()
    expect(hosting.get_by_text("Nobody is waiting.")).to_be_visible()

    # The host opens the co-design stage.
    follow(hosting, hosting.get_by_role("link", name="Drop-in redesign"))
    follow(hosting, hosting.get_by_role("link", name="Change Co-design"))
    hosting.get_by_role("radio", name="Open", exact=True).check()
    follow(hosting, hosting.get_by_role("button", name="Save stage"))
    expect(hosting).to_have_url(re.compile(re.escape(drop_in.get_absolute_url()) + "$"))
    expect(hosting.locator("#stage-co_design .status")).to_have_text("Open")
    screenshot(hosting, "2-host-opened-co-design")

    follow(hosting, hosting.get_by_role("link", name="Members", exact=True))
    newcomer_row = hosting.get_by_role("row", name=re.compile("Nadia Newcomer"))
    expect(newcomer_row).to_contain_text("Member")
    expect(newcomer_row).to_contain_text("Person with lived experience")

    # Back on the newcomer's screen: they are a member and can see co-design is open.
    visit(newcomer, drop_in.get_absolute_url())
    expect(newcomer.locator("#you")).to_contain_text(
        "You are a Member here, taking part as: Person with lived experience."
    )
    expect(newcomer.locator("#stage-co_design .status")).to_have_text("Open")
    screenshot(newcomer, "3-newcomer-is-a-member")
    follow(newcomer, newcomer.locator("#you").get_by_role("link", name="Members"))
    expect(newcomer.get_by_role("cell", name="Nadia Newcomer", exact=True)).to_be_visible()
    screenshot(hosting, "4-host-members")


def test_directory_filter_and_join_work_without_javascript(new_page, visit, follow, drop_in, host):
    User.objects.create_user("jo@example.org", PASSWORD, display_name="Jo Plain")
    page = new_page(javascript=False)

    # Without htmx the filter form is an ordinary GET form: the whole page reloads with the results.
    visit(page, "/spaces/")
    page.get_by_label("Place").select_option("Paisley")
    follow(page, page.get_by_role("button", name="Show spaces"))
    expect(page).to_have_url(re.compile(r"place=Paisley"))
    results = page.locator("#results")
    expect(results.get_by_role("heading", name="1 space found")).to_be_visible()
    expect(results.get_by_role("link", name="Library opening hours")).to_have_count(0)

    # Signing in from the space page comes back to it.
    follow(page, results.get_by_role("link", name="Drop-in redesign"))
    follow(page, page.locator("#you").get_by_role("link", name="sign in"))
    sign_in(page, follow, "jo@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drop-in redesign")

    follow(page, page.get_by_role("link", name="Ask to join"))
    # Sending without a perspective shows the error summary; the answers are kept.
    page.get_by_label("A few words to the hosts").fill("Hello")
    follow(page, page.get_by_role("button", name="Send my request"))
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("A few words to the hosts")).to_have_value("Hello")
    page.get_by_label("Carer or family member").check()
    follow(page, page.get_by_role("button", name="Send my request"))
    expect(page.get_by_text("You have asked to join.")).to_be_visible()


# Whether the focused element looks focused: a visible outline, a box shadow or the yellow focus background.
FOCUS_INDICATOR = """() => {
  const s = getComputedStyle(document.activeElement);
  const transparent = c => c === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(c);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && !transparent(s.outlineColor);
  return outline || s.boxShadow !== "none" || s.backgroundColor === "rgb(255, 221, 0)";
}"""


def test_keyboard_skip_link_is_visible_on_focus(page, visit):
    visit(page, "/spaces/")
    skip = page.get_by_role("link", name="Skip to main content")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, box
    assert page.evaluate(FOCUS_INDICATOR), "the focused skip link should show the focus style"

    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    # The next Tab goes into the page content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")
    assert page.evaluate(FOCUS_INDICATOR), "the focused field should show the focus style"


def test_keyboard_focus_is_visible_on_every_control_of_the_space_page(page, visit, follow, host, drop_in):
    visit(page, f"/accounts/login/?next={drop_in.get_absolute_url()}")
    sign_in(page, follow, host.email)
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " return el === document.body ? null : el.tagName + ' ' + (el.innerText || '').trim() }"
        )
        if focused is None or (seen and focused == seen[0]):  # round the page and back to the start
            break
        seen.append(focused)
        assert page.evaluate(FOCUS_INDICATOR), f"no visible focus on {focused!r}"
    assert "BUTTON Leave this space" in seen and "A Change Co-design" in seen, seen


def test_account_pages_use_the_site_layout(page, visit, check_axe):
    """Sign-up and sign-in are the first pages a newcomer sees: they need the site's layout (language, skip
    link, header, landmarks), which comes from our overrides in core/templates/allauth/."""
    page.goto("/accounts/signup/")
    assert page.locator("a.skip-link").count() == 1 and page.locator("header.site-header").count() == 1, (
        "allauth's own layout is used instead of core/templates/allauth/layouts/base.html: "
        "core/templates must be searched before the allauth app's own templates (TEMPLATES DIRS in settings.py)"
    )
    check_axe(page)
    expect(page.get_by_role("main")).to_be_visible()
    visit(page, "/accounts/login/")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
