"""The impact report on a phone (390 px) and as it prints on A4: checked with axe, no page wider than the
screen, and screenshotted for a person to look at (test-results/)."""

from __future__ import annotations

import pytest
from tests.quality.conftest import computed, tasks_now  # noqa: F401  (huey immediate, in memory)
from tests.quality.test_impact import build_trail

A4 = {"width": 794, "height": 1123}


@pytest.mark.usefixtures("transactional_db", "tasks_now")
def test_impact_report_on_a_phone_and_in_print(
    new_page, visit, screenshot, space, host, facilitator, member, practitioner
):
    build_trail(space, host, facilitator, member, practitioner)
    computed(space)
    page = new_page()
    visit(page, f"/spaces/{space.slug}/impact/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "phone")
    visit(page, f"/spaces/{space.slug}/impact/you-said-we-did/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "you-said")
    printed = new_page(viewport=A4)
    visit(printed, f"/spaces/{space.slug}/impact/print/")
    printed.emulate_media(media="print")
    screenshot(printed, "print")
