"""Tables on phones: the page never gets wider than the screen; a table that does not fit scrolls inside a
region that keyboard users can reach (axe: scrollable-region-focusable, checked on every page we visit)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from coproduce.core import audit
from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def drop_in(transactional_db):
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Henderson-Montgomery")
    space = space_services.space_create(actor=host, title="Drop-in redesign", purpose="Decide together.")
    perspectives = list(Perspective.values)
    for i in range(8):
        person = User.objects.create_user(
            f"p{i}@example.org", PASSWORD, display_name=f"Alexandrina Macnamara-Fitzgerald {i}"
        )
        request = space_services.join_request_create(
            actor=person, space=space, perspective=perspectives[i % len(perspectives)]
        )
        space_services.join_request_decide(actor=host, join_request=request, approve=True)
    space_services.assisted_person_add(
        actor=host, space=space, display_name="Margaret (paper)", perspective=Perspective.CARER
    )
    # Something done on the host's behalf, for the "on my behalf" table.
    audit.record(
        actor=User.objects.get(email="p1@example.org"),
        on_behalf_of=host,
        action="idea.created",
        target=space,
        space=space,
        summary="Idea “A quiet room with comfortable chairs and a kettle” added on their behalf",
    )
    return space


def sign_in(page: Page, visit, follow) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill("hana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("width", [390, 320])
def test_tables_fit_the_phone_or_scroll_in_a_focusable_region(
    new_page, visit, follow, screenshot, drop_in, width
):
    page = new_page(viewport={"width": width, "height": 844})
    sign_in(page, visit, follow)
    for path in (
        f"/spaces/{drop_in.slug}/members/",
        f"/spaces/{drop_in.slug}/history/",
        "/me/on-my-behalf/",
    ):
        visit(page, path)  # axe runs here, including scrollable-region-focusable
        document_width = page.evaluate("document.documentElement.scrollWidth")
        assert document_width <= width, f"{path} is {document_width} px wide on a {width} px screen"
        regions = page.evaluate(
            """[...document.querySelectorAll('table')].map(t => {
                const r = t.closest('[role=region]');
                return r && {tabindex: r.getAttribute('tabindex'), label: r.getAttribute('aria-label')};
            })"""
        )
        assert regions and all(r and r["tabindex"] == "0" and r["label"] for r in regions), (path, regions)
        screenshot(page, path.strip("/").replace("/", "-"))
