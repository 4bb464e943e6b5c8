"""The co-design journey in a real browser: a member with lived experience proposes an agenda item; members
prioritise it with their dots; the facilitator publishes the agenda; at the meeting a decision is recorded and
becomes an action owned by that member, who reports progress; the public tracker shows it.
Every page is checked with axe (see conftest.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coproduce.meetings import services as meeting_services
from coproduce.meetings.models import Meeting
from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def cast(transactional_db):
    """Its own people (the shared personas need `db`; the live server needs `transactional_db`)."""
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")
    fergus = User.objects.create_user("fergus@example.org", PASSWORD, display_name="Fergus Facilitator")
    lena = User.objects.create_user("lena@example.org", PASSWORD, display_name="Lena Lived")
    pat = User.objects.create_user("pat@example.org", PASSWORD, display_name="Pat Practitioner")
    space = space_services.space_create(
        actor=host,
        title="Drop-in redesign",
        place="Paisley",
        purpose="Decide together what replaces the drop-in.",
    )
    for person, perspective in (
        (fergus, Perspective.FACILITATOR),
        (lena, Perspective.LIVED_EXPERIENCE),
        (pat, Perspective.PRACTITIONER),
    ):
        role = Role.FACILITATOR if person is fergus else Role.MEMBER
        space_services._membership_add(
            actor=host, space=space, user=person, role=role, perspective=perspective
        )
    starts = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=2)
    meeting = meeting_services.meeting_create(
        actor=fergus,
        space=space,
        title="Design workshop",
        format="in_person",
        place_name="Paisley Town Hall",
        step_free=True,
        hearing_loop=True,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    # Pat has already proposed something, so that Lena's item has to win its place.
    meeting_services.agenda_item_propose(actor=pat, meeting=meeting, title="Staff rota")
    return {"space": space, "meeting": meeting, "lena": lena, "pat": pat, "fergus": fergus}


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_lived_experience_agenda_item_becomes_a_public_action(
    new_page, visit, follow, check_axe, screenshot, cast
):
    space, meeting = cast["space"], cast["meeting"]

    # Lena finds the meeting from the space's timeline and proposes what to talk about.
    lena = new_page()
    sign_in(lena, visit, follow, "lena@example.org")
    visit(lena, space.get_absolute_url())
    follow(lena, lena.get_by_role("link", name="Design workshop").first)
    expect(lena.get_by_text("step-free access")).to_be_visible()
    lena.get_by_label("What should we talk about?").fill("Evening opening")
    lena.get_by_label("Why it matters").fill("Most of us work or care for someone during the day.")
    follow(lena, lena.get_by_role("button", name="Propose it"))
    expect(lena.get_by_text("Your item is proposed.")).to_be_visible()

    # She puts two of her three dots on it (htmx swaps the list in place).
    proposals = lena.locator("#proposed-items")
    proposals.get_by_role("button", name="Add a dot to Evening opening").click()
    expect(proposals.get_by_text("You have 2 dots left.")).to_be_visible()
    proposals.get_by_role("button", name="Add a dot to Evening opening").click()
    expect(proposals.get_by_text("You have 1 dot left.")).to_be_visible()
    check_axe(lena)
    screenshot(lena, "proposals")

    # Pat prioritises it too, without JavaScript: a plain form post and a redirect.
    pat = new_page(javascript=False)
    sign_in(pat, visit, follow, "pat@example.org")
    visit(pat, meeting.get_absolute_url())
    follow(pat, pat.get_by_role("button", name="Add a dot to Evening opening"))
    expect(pat.locator("#item-" + str(meeting.agenda_items.get(title="Evening opening").pk))).to_contain_text(
        "3 dots"
    )

    # The facilitator publishes the agenda in the order members gave it.
    fergus = new_page()
    sign_in(fergus, visit, follow, "fergus@example.org")
    visit(fergus, meeting.get_absolute_url())
    follow(fergus, fergus.get_by_role("button", name="Publish the agenda in this order"))
    agenda = fergus.locator("ol.agenda > li")
    expect(agenda.first).to_contain_text("Evening opening")
    expect(agenda.first).to_contain_text("Proposed by Lena Lived, person with lived experience")
    expect(
        fergus.get_by_text("Proposed by: person with lived experience (1), practitioner (1).")
    ).to_be_visible()

    # The meeting happens.
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=now - dt.timedelta(hours=2), ends_at=now)

    # The facilitator records the decision on Lena's item, and who agreed.
    visit(fergus, meeting.get_absolute_url())
    follow(fergus, fergus.get_by_role("link", name="Record a decision Evening opening"))
    fergus.get_by_label("What was decided").fill("Open on Thursday evenings from September, run by members.")
    fergus.get_by_label("Lena Lived (Person with lived experience)").select_option("agree")
    fergus.get_by_label("Pat Practitioner (Practitioner)").select_option("disagree")
    follow(fergus, fergus.get_by_role("button", name="Record the decision"))
    expect(fergus.get_by_text("record their dissent in their words").first).to_be_visible()  # kept, explained
    fergus.get_by_label("Dissent").fill("Pat: staffing the evenings is not sorted yet.")
    follow(fergus, fergus.get_by_role("button", name="Record the decision"))
    expect(fergus.get_by_text("Agreed: 1 (person with lived experience 1)")).to_be_visible()

    # It becomes an action owned by Lena: any member can own an action.
    follow(fergus, fergus.get_by_role("link", name="Make it an action"))
    fergus.get_by_label("What will be done").fill("Run a Thursday evening pilot")
    fergus.get_by_label("Who owns it").select_option(label="Lena Lived (Person with lived experience)")
    fergus.get_by_label("Due by").fill((timezone.localdate() + dt.timedelta(days=60)).isoformat())
    follow(fergus, fergus.get_by_role("button", name="Create the action"))
    expect(fergus.get_by_role("heading", name="Run a Thursday evening pilot")).to_be_visible()
    action_url = fergus.url

    # Lena reports how it is going.
    visit(lena, action_url)
    lena.get_by_label("What happened").fill("Booked the hall and found four volunteers.")
    lena.get_by_label("In progress").check()
    lena.get_by_label("How far it has got (0 to 100 %)").fill("40")
    follow(lena, lena.get_by_role("button", name="Post update"))
    expect(lena.get_by_text("Thank you: your update is posted")).to_be_visible()

    # Anyone can see it on the public tracker: what we said, what we did.
    public = new_page()
    visit(public, f"/spaces/{space.slug}/actions/")
    row = public.locator("li.action-item", has_text="Run a Thursday evening pilot")
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text("40%")
    expect(row).to_contain_text("person with lived experience")
    expect(row).to_contain_text("Booked the hall and found four volunteers.")
    expect(row).not_to_contain_text("Lena Lived")  # the public sees perspectives, not names
    # The filters narrow the list in place (htmx); the same form works as a plain GET without JavaScript.
    public.get_by_label("Owner takes part as").select_option("practitioner")
    expect(public.locator("#results")).to_contain_text("No actions match.")
    public.get_by_label("Owner takes part as").select_option("lived_experience")
    expect(public.locator("#results li.action-item")).to_have_count(1)
    check_axe(public)
    screenshot(public, "tracker")


def test_an_idea_is_discussed_supported_adopted_and_becomes_an_action(
    new_page, visit, follow, check_axe, screenshot, cast
):
    space = cast["space"]

    # Lena posts an idea; a missing title is explained and what she wrote is kept.
    lena = new_page()
    sign_in(lena, visit, follow, "lena@example.org")
    visit(lena, f"/spaces/{space.slug}/ideas/")
    follow(lena, lena.get_by_role("link", name="Post an idea"))
    lena.get_by_label("Your idea").fill("A peer support group run by people who used the drop-in.")
    follow(lena, lena.get_by_role("button", name="Post my idea"))
    expect(lena.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(lena.get_by_label("Your idea")).to_have_value(
        "A peer support group run by people who used the drop-in."
    )
    lena.get_by_label("Title").fill("Peer support group")
    follow(lena, lena.get_by_role("button", name="Post my idea"))
    expect(lena.get_by_role("heading", name="Peer support group")).to_be_visible()

    # Pat supports it (htmx swaps the button) and comments; Lena replies.
    pat = new_page()
    sign_in(pat, visit, follow, "pat@example.org")
    visit(pat, lena.url)
    pat.get_by_role("button", name="Support this idea").click()
    expect(pat.get_by_text("1 person supports this idea")).to_be_visible()
    check_axe(pat)
    pat.get_by_label("Your comment").fill("Who would train the peer supporters?")
    follow(pat, pat.get_by_role("button", name="Post comment"))
    visit(lena, lena.url)
    lena.get_by_text("Reply").first.click()
    lena.get_by_label("Your reply").fill("The recovery college offered to.")
    follow(lena, lena.get_by_role("button", name="Post reply"))
    expect(lena.get_by_text("The recovery college offered to.")).to_be_visible()

    # The facilitator adopts it with a reason, and makes it an action in one step.
    fergus = new_page()
    sign_in(fergus, visit, follow, "fergus@example.org")
    visit(fergus, lena.url)
    follow(fergus, fergus.get_by_role("link", name="Decide what becomes of this idea"))
    fergus.get_by_label("Adopted").check()
    fergus.get_by_label("Why").fill("Everyone at the May meeting wanted it.")
    follow(fergus, fergus.get_by_role("button", name="Save the decision"))
    # The link the actions module offers on the idea page, through the registry ("Make it an action").
    follow(fergus, fergus.get_by_role("link", name="Make it an action"))
    fergus.get_by_label("Who owns it").select_option(label="Lena Lived (Person with lived experience)")
    follow(fergus, fergus.get_by_role("button", name="Create the action"))
    expect(fergus.get_by_role("heading", name="Peer support group")).to_be_visible()
    expect(fergus.get_by_text("The adopted idea “Peer support group”")).to_be_visible()

    # The public sees the idea, its status and reason, and the conversation, without names.
    public = new_page(javascript=False)
    visit(public, f"/spaces/{space.slug}/ideas/")
    follow(public, public.get_by_role("link", name="Peer support group"))
    expect(public.get_by_text("Why: Everyone at the May meeting wanted it.")).to_be_visible()
    expect(public.locator("main")).not_to_contain_text("Pat Practitioner")
    visit(public, f"/spaces/{space.slug}/meetings/")
    screenshot(public, "idea")
