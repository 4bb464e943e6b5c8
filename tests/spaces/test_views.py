"""Space pages: what people see and what happens when they submit, including bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.conftest import make_person

from coproduce.core.models import AuditEvent
from coproduce.people import services as people_services
from coproduce.people.models import ClaimCode, User
from coproduce.spaces import services
from coproduce.spaces.models import (
    Invitation,
    JoinRequest,
    Membership,
    Perspective,
    Role,
    Space,
    Stage,
    StageKind,
    StageStatus,
)

MARKUP = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def html(response) -> str:
    return response.content.decode()


def url(name: str, *args) -> str:
    return reverse(f"spaces:{name}", args=args)


def membership(space, user) -> Membership:
    return Membership.objects.get(space=space, user=user)


def followed_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


SPACE_FORM = {
    "title": "Lunch club",
    "purpose": "Run the lunch club together.",
    "place": "Renfrew",
    "visibility": "public",
    "perspective": "carer",
}


# --- Creating and changing a space ----------------------------------------------------------------


def test_creating_a_space_makes_you_its_host(client_for, host):
    response = client_for(host).post(url("create"), SPACE_FORM)

    space = Space.objects.get(title="Lunch club")
    assert response.status_code == 302 and response.url == space.get_absolute_url()
    assert (membership(space, host).role, membership(space, host).perspective) == (
        Role.HOST,
        Perspective.CARER,
    )
    assert space.stages.count() == 4


@pytest.mark.parametrize(
    ("field", "length", "limit"), [("title", 121, 120), ("purpose", 2001, 2000), ("place", 121, 120)]
)
def test_over_long_text_is_refused_clearly_keeps_what_was_typed_and_saves_nothing(
    client_for, host, field, length, limit
):
    typed = ("Ab " * length)[: length - 1] + "z"  # no trailing space: forms strip it
    data = {**SPACE_FORM, field: typed}

    response = client_for(host).post(url("create"), data)

    page = html(response)
    assert response.status_code == 200
    assert f"Ensure this value has at most {limit} characters (it has {length})." in page
    assert "There is a problem" in page and 'aria-invalid="true"' in page
    assert typed in page  # what was typed in the long field is still there...
    for other in {"title", "purpose", "place"} - {field}:
        assert SPACE_FORM[other] in page  # ...and so is everything else
    assert not Space.objects.exists() and not AuditEvent.objects.exists()


def test_a_missing_title_is_refused(client_for, host):
    response = client_for(host).post(url("create"), {**SPACE_FORM, "title": ""})
    assert response.status_code == 200 and "This field is required." in html(response)
    assert not Space.objects.exists()


def test_host_edits_a_space_and_the_change_is_audited(client_for, space, host):
    data = {
        "title": "Drop-in, redesigned",
        "purpose": space.purpose,
        "place": "Paisley",
        "visibility": "public",
    }
    response = client_for(host).post(url("edit", space.slug), data)

    assert response.status_code == 302
    space.refresh_from_db()
    assert space.title == "Drop-in, redesigned"
    assert AuditEvent.objects.get(space=space, action="space.updated").changes == {
        "title": ["Drop-in redesign", "Drop-in, redesigned"]
    }


def test_an_over_long_edit_changes_nothing(client_for, space, host):
    typed = "T" * 121
    data = {"title": typed, "purpose": space.purpose, "place": "Paisley", "visibility": "public"}
    response = client_for(host).post(url("edit", space.slug), data)

    assert response.status_code == 200
    assert "Ensure this value has at most 120 characters (it has 121)." in html(response)
    assert f'value="{typed}"' in html(response)
    space.refresh_from_db()
    assert space.title == "Drop-in redesign"
    assert not AuditEvent.objects.filter(action="space.updated").exists()


# --- Markup is text -------------------------------------------------------------------------------


def test_markup_typed_into_a_space_or_a_name_is_shown_as_text(client_for, host):
    space = services.space_create(actor=host, title=MARKUP, purpose=f"{MARKUP}\nand more", place=MARKUP)
    person = make_person(MARKUP, email="mark.up@example.org")
    request = services.join_request_create(
        actor=person, space=space, perspective=Perspective.CARER, message=MARKUP
    )
    client = client_for(host)
    pages = [
        url("requests", space.slug),  # the name and message while waiting
        url("detail", space.slug),
        url("directory"),
        reverse("home"),
        url("edit", space.slug),
    ]
    for path in pages:
        page = html(client.get(path))
        assert ESCAPED in page, path
        assert MARKUP not in page, path
    services.join_request_decide(actor=host, join_request=request, approve=True)
    for path in [
        url("members", space.slug),
        url("history", space.slug),
        url("member_edit", space.slug, membership(space, person).pk),
    ]:
        page = html(client.get(path))
        assert ESCAPED in page, path
        assert MARKUP not in page, path


# --- Stages ---------------------------------------------------------------------------------------


def test_host_opens_a_stage_with_dates(client_for, space, host):
    response = client_for(host).post(
        url("stage_edit", space.slug, "co_design"),
        {
            "status": "open",
            "starts_on": "2026-03-01",
            "ends_on": "2026-04-30",
            "summary": "Workshops in the library",
        },
    )
    assert response.status_code == 302
    stage = space.stages.get(kind=StageKind.CO_DESIGN)
    assert (stage.status, stage.starts_on, stage.ends_on) == (
        "open",
        dt.date(2026, 3, 1),
        dt.date(2026, 4, 30),
    )
    page = html(client_for(None).get(url("detail", space.slug)))
    assert "Workshops in the library" in page and "1 Mar 2026" in page


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        ("2026-02-30", "", "Enter a valid date."),
        ("", "2026-13-01", "Enter a valid date."),
        ("2026-03-10", "2026-03-09", "The end date must be on or after the start date."),
    ],
)
def test_bad_stage_dates_are_refused_clearly_and_change_nothing(
    client_for, space, host, starts, ends, message
):
    response = client_for(host).post(
        url("stage_edit", space.slug, "co_design"),
        {
            "status": "open",
            "starts_on": starts,
            "ends_on": ends,
            "summary": "Kept",
        },
    )
    page = html(response)
    assert response.status_code == 200
    assert message in page
    assert f'value="{starts or ends}"' in page and "Kept" in page
    stage = space.stages.get(kind=StageKind.CO_DESIGN)
    assert (stage.status, stage.starts_on, stage.ends_on, stage.summary) == (
        StageStatus.NOT_STARTED,
        None,
        None,
        "",
    )
    assert not AuditEvent.objects.filter(action="stage.updated").exists()


# --- Joining --------------------------------------------------------------------------------------


def test_asking_to_join_and_a_second_request_is_refused_clearly(client_for, space, outsider):
    client = client_for(outsider)
    assert "Ask to join" in html(client.get(url("detail", space.slug)))

    response = client.post(url("join", space.slug), {"perspective": "community", "message": "I live nearby"})
    assert response.status_code == 302
    assert "Withdraw my request" in html(client.get(url("detail", space.slug)))

    again = client.post(url("join", space.slug), {"perspective": "carer", "message": "Me again"})
    assert again.status_code == 200
    assert "You have already asked to join. A host will answer soon." in html(again)
    assert JoinRequest.objects.filter(space=space, user=outsider).count() == 1


def test_a_join_request_needs_a_perspective(client_for, space, outsider):
    response = client_for(outsider).post(url("join", space.slug), {"message": "Hello"})
    assert response.status_code == 200 and "This field is required." in html(response)
    assert "Hello" in html(response)
    assert not JoinRequest.objects.filter(user=outsider).exists()


def test_withdrawing_a_request(client_for, space, outsider):
    services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    response = client_for(outsider).post(url("withdraw", space.slug), follow=True)
    assert "Your request has been withdrawn." in followed_messages(response)
    assert JoinRequest.objects.get(space=space, user=outsider).status == JoinRequest.Status.WITHDRAWN


def test_host_approves_and_declines_requests(client_for, space, host, outsider):
    asker = make_person("Asha Asker")
    first = services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    second = services.join_request_create(
        actor=asker, space=space, perspective=Perspective.CARER, message="Hi all"
    )
    client = client_for(host)
    page = html(client.get(url("requests", space.slug)))
    assert "Otto Outsider" in page and "Asha Asker" in page and "Hi all" in page
    assert "otto.outsider@example.org" not in page
    assert "2 requests to join" in html(client.get(url("detail", space.slug)))

    approved = client.post(url("decide", space.slug, first.pk), {"decision": "approve", "reason": ""})
    assert approved.status_code == 302
    assert membership(space, outsider).perspective == Perspective.COMMUNITY

    no_reason = client.post(url("decide", space.slug, second.pk), {"decision": "decline", "reason": " "})
    assert no_reason.status_code == 400
    assert "Say why you are declining, so that the person understands." in html(no_reason)
    second.refresh_from_db()
    assert second.status == JoinRequest.Status.PENDING

    declined = client.post(
        url("decide", space.slug, second.pk), {"decision": "decline", "reason": "We are full"}
    )
    assert declined.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.reason) == (JoinRequest.Status.DECLINED, "We are full")
    assert not Membership.objects.filter(space=space, user=asker).exists()

    twice = client.post(url("decide", space.slug, second.pk), {"decision": "approve"})
    assert twice.status_code == 400 and "already been answered" in html(twice)


# --- Members --------------------------------------------------------------------------------------


def test_the_members_page_names_members_and_never_shows_an_email(client_for, space, member, host):
    page = html(client_for(member).get(url("members", space.slug)))
    for person in User.objects.all():
        assert person.display_name in page
        assert person.email not in page
    assert "@" not in re.sub(r"<[^>]+>", "", page).replace("&#x27;", "")


def test_a_member_changes_their_perspective_but_not_their_role(client_for, space, member):
    page = url("member_edit", space.slug, membership(space, member).pk)
    # A role sent by a member is refused, nothing saved, as the API refuses it (test_membership_rules).
    assert client_for(member).post(page, {"role": "host", "perspective": "carer"}).status_code == 403
    lena = membership(space, member)
    assert (lena.role, lena.perspective) == (Role.MEMBER, Perspective.LIVED_EXPERIENCE)
    assert client_for(member).post(page, {"perspective": "carer"}).status_code == 302
    lena = membership(space, member)
    assert (lena.role, lena.perspective) == (Role.MEMBER, Perspective.CARER)


def test_host_changes_a_role(client_for, space, host, member):
    response = client_for(host).post(
        url("member_edit", space.slug, membership(space, member).pk),
        {"role": "facilitator", "perspective": "lived_experience"},
    )
    assert response.status_code == 302
    assert membership(space, member).role == Role.FACILITATOR


def test_the_last_host_cannot_step_down_and_is_told_why(client_for, space, host):
    response = client_for(host).post(
        url("member_edit", space.slug, membership(space, host).pk),
        {"role": "member", "perspective": "facilitator"},
    )
    assert response.status_code == 200
    assert "A space needs at least one host. Make someone else a host first." in html(response)
    assert membership(space, host).role == Role.HOST


def test_the_last_host_cannot_leave_and_is_told_why(client_for, space, host):
    response = client_for(host).post(url("leave", space.slug), follow=True)
    assert "A space needs at least one host. Make someone else a host first." in followed_messages(response)
    assert membership(space, host).role == Role.HOST


def test_a_member_leaves_a_private_space_and_goes_home(client_for, private_space, member):
    response = client_for(member).post(url("leave", private_space.slug))
    assert response.status_code == 302 and response.url == reverse("home")
    assert not Membership.objects.filter(space=private_space, user=member).exists()


def test_removing_a_member_needs_a_reason(client_for, space, host, practitioner):
    client = client_for(host)
    pat = membership(space, practitioner)
    response = client.post(url("member_remove", space.slug, pat.pk), {"reason": ""})
    assert response.status_code == 400 and "This field is required." in html(response)
    assert Membership.objects.filter(pk=pat.pk).exists()

    response = client.post(url("member_remove", space.slug, pat.pk), {"reason": "Moved away"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=pat.pk).exists()


# --- Invitations ----------------------------------------------------------------------------------


def _make_link(client, space, **fields) -> str:
    data = {"role": "member", "note": "", "max_uses": 1, "days": 14, **fields}
    page = html(client.post(url("invitations", space.slug), data))
    found = re.search(r"/spaces/invitations/([^/<\s]+)/", page)
    assert found, page
    return found.group(0)


def test_an_invitation_link_is_shown_once_and_brings_someone_in_with_its_role(
    client_for, private_space, host, outsider
):
    hosting = client_for(host)
    link = _make_link(hosting, private_space, role="facilitator", note="For Otto")
    assert link not in html(hosting.get(url("invitations", private_space.slug)))  # shown once only
    assert "For Otto" in html(hosting.get(url("invitations", private_space.slug)))

    guest = client_for(outsider)
    assert private_space.title in html(guest.get(link))
    response = guest.post(link, {"perspective": "practitioner"})
    assert response.status_code == 302 and response.url == private_space.get_absolute_url()
    joined = membership(private_space, outsider)
    assert (joined.role, joined.perspective) == (Role.FACILITATOR, Perspective.PRACTITIONER)

    used_up = client_for(make_person("Late Comer")).get(link)
    assert used_up.status_code == 404 and "This invitation is not working" in html(used_up)


def test_a_withdrawn_or_expired_link_does_not_work(client_for, private_space, host, outsider):
    hosting = client_for(host)
    withdrawn = _make_link(hosting, private_space, note="To withdraw")
    expiring = _make_link(hosting, private_space, days=1)
    invitation = Invitation.objects.get(note="To withdraw")
    assert hosting.post(url("invitation_revoke", private_space.slug, invitation.pk)).status_code == 302

    guest = client_for(outsider)
    assert guest.get(withdrawn).status_code == 404
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1), tick=False):
        response = guest.post(expiring, {"perspective": "carer"})
    assert response.status_code == 404 and "This invitation is not working" in html(response)
    assert not Membership.objects.filter(space=private_space, user=outsider).exists()


@pytest.mark.parametrize(
    ("field", "value"), [("max_uses", 0), ("max_uses", 501), ("days", 0), ("days", 91), ("note", "n" * 121)]
)
def test_invitation_limits_are_explained(client_for, private_space, host, field, value):
    data = {"role": "member", "note": "", "max_uses": 1, "days": 14, field: value}
    response = client_for(host).post(url("invitations", private_space.slug), data)
    assert response.status_code == 200 and "There is a problem" in html(response)
    assert "/spaces/invitations/" not in html(response)
    assert not Invitation.objects.exists()


# --- Taking part with help ------------------------------------------------------------------------


def test_a_facilitator_adds_someone_who_takes_part_with_help(client_for, space, facilitator):
    client = client_for(facilitator)
    data = {"display_name": "Margaret", "perspective": "lived_experience", "contact_preference": "post"}

    refused = client.post(url("assisted_add", space.slug), data)  # without their consent
    assert refused.status_code == 200 and "This field is required." in html(refused)
    assert not User.objects.filter(display_name="Margaret").exists()

    response = client.post(url("assisted_add", space.slug), {**data, "consent": "on"})
    assert response.status_code == 302 and response.url == url("members", space.slug)
    margaret = User.objects.get(display_name="Margaret")
    assert margaret.email is None and margaret.assisted_by == facilitator
    assert "with help" in html(client.get(url("members", space.slug)))
    assert AuditEvent.objects.filter(on_behalf_of=margaret, actor=facilitator).count() == 2


def test_a_facilitator_records_a_perspective_for_someone_who_takes_part_with_help(
    client_for, space, facilitator
):
    added = services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.LIVED_EXPERIENCE
    )
    client = client_for(facilitator)
    page = html(client.get(url("member_edit", space.slug, added.pk)))
    assert "What you change here is recorded as done on their behalf." in page

    assert client.post(url("member_edit", space.slug, added.pk), {"perspective": "carer"}).status_code == 302
    event = AuditEvent.objects.get(action="membership.changed", target_id=added.pk)
    assert (event.actor, event.on_behalf_of) == (facilitator, added.user)


def test_the_sign_up_link_is_shown_once(client_for, space, facilitator):
    added = services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.LIVED_EXPERIENCE
    )
    client = client_for(facilitator)
    response = client.post(url("claim_link", space.slug, added.pk), follow=True)
    found = re.search(r"/claim/([^/<\s]+)/", html(response))
    assert found
    assert found.group(0) not in html(client.get(url("member_edit", space.slug, added.pk)))
    assert client_for(None).get(found.group(0)).status_code == 200


def test_no_sign_up_link_for_someone_who_has_an_account(client_for, space, host, member):
    response = client_for(host).post(url("claim_link", space.slug, membership(space, member).pk), follow=True)
    assert "This person already has their own account." in followed_messages(response)
    assert not ClaimCode.objects.filter(person=member).exists()


# --- Unknown things are 404, without saying whether they exist -------------------------------------


def test_unknown_ids_and_slugs_are_not_found(client_for, space, private_space, host):
    client = client_for(host)
    other_space_member = membership(private_space, host).pk
    gets = [
        url("detail", "no-such-space"),
        url("members", "no-such-space"),
        url("member_edit", space.slug, 999999),
        url("member_edit", space.slug, other_space_member),
        url("stage_edit", space.slug, "co_dreaming"),
        url("invitation", "no-such-token"),
    ]
    for path in gets:
        assert client.get(path).status_code == 404, path
    posts = [
        url("decide", space.slug, 999999),
        url("member_remove", space.slug, 999999),
        url("invitation_revoke", space.slug, 999999),
        url("claim_link", space.slug, 999999),
        url("member_remove", space.slug, other_space_member),
    ]
    for path in posts:
        assert client.post(path, {"reason": "x", "decision": "approve"}).status_code == 404, path
    assert Membership.objects.filter(pk=other_space_member).exists()


# --- The directory --------------------------------------------------------------------------------


def test_the_directory_lists_private_spaces_only_to_their_members(
    client_for, space, private_space, member, outsider
):
    assert private_space.title in html(client_for(member).get(url("directory")))
    for viewer in (outsider, None):
        page = html(client_for(viewer).get(url("directory")))
        assert space.title in page and private_space.title not in page


def test_the_directory_filters(client_for, space, host):
    other = services.space_create(
        actor=host, title="Community transport", purpose="Lifts to clinics", place="Johnstone"
    )
    services.stage_update(
        actor=host, stage=other.stages.get(kind=StageKind.CO_DELIVERY), status=StageStatus.OPEN
    )
    client = client_for(None)

    def titles(**query):
        return [s.title for s in client.get(url("directory"), query).context["page"].object_list]

    assert titles() == ["Community transport", "Drop-in redesign"]
    assert titles(q="clinics") == ["Community transport"]
    assert titles(place="Paisley") == ["Drop-in redesign"]
    assert titles(stage="co_delivery") == ["Community transport"]
    assert titles(stage="co_design") == []


def test_the_directory_answers_htmx_with_the_results_only(client_for, space):
    response = client_for(None).get(url("directory"), {"q": "drop"}, headers={"HX-Request": "true"})
    assert "<html" not in html(response) and space.title in html(response)


# --- Lists stay cheap: a query per page, not per row ----------------------------------------------


def test_the_directory_uses_a_bounded_number_of_queries(
    client_for, host, member, django_assert_max_num_queries
):
    orgs = [
        people_services.organisation_create(actor=host, name=f"Charity {i}", kind="charity") for i in range(2)
    ]
    for i in range(30):
        space = services.space_create(
            actor=host,
            title=f"Space {i}",
            purpose="Together.",
            place=f"Town {i}",
            organisations=orgs,
            visibility="public" if i % 3 else "private",
        )
        services._membership_add(actor=host, space=space, user=member, role=Role.MEMBER, perspective="carer")
    for viewer in (member, None):
        client = client_for(viewer)
        with django_assert_max_num_queries(10):
            response = client.get(url("directory"))
        assert len(response.context["page"].object_list) == 20
        assert html(response).count("2 members") == 20  # every card counts its host and its member


def test_the_members_page_uses_a_bounded_number_of_queries(
    client_for, space, host, django_assert_max_num_queries
):
    for i in range(30):
        services._membership_add(
            actor=host,
            space=space,
            user=make_person(f"Person {i}"),
            role=Role.MEMBER,
            perspective=Perspective.COMMUNITY,
        )
    services.assisted_person_add(actor=host, space=space, display_name="Margaret", perspective="carer")
    client = client_for(host)
    with django_assert_max_num_queries(8):
        response = client.get(url("members", space.slug))
    assert "Person 29" in html(response) and "with help" in html(response)


def test_the_history_uses_a_bounded_number_of_queries(client_for, space, host, django_assert_max_num_queries):
    stage = space.stages.get(kind=StageKind.CO_DESIGN)
    for i in range(30):
        services.stage_update(actor=host, stage=stage, summary=f"Round {i}")
    for i in range(20):  # one actor each, so one query per row shows
        services.join_request_create(actor=make_person(f"Asker {i}"), space=space, perspective="community")
    client = client_for(host)
    with django_assert_max_num_queries(8):
        page = html(client.get(url("history", space.slug)))
    assert page.count("Co-design: details changed") == 30
    assert all(f"<td>Asker {i}</td>" in page for i in range(20))


def test_stages_are_listed_in_the_order_of_the_star(client_for, space):
    page = html(client_for(None).get(url("detail", space.slug)))
    positions = [page.index(f'id="stage-{kind}"') for kind in StageKind.values]
    assert positions == sorted(positions)
    assert Stage.objects.filter(space=space).count() == 4


def test_an_invalid_filter_is_dropped_but_the_others_still_apply(space, client_for, host):
    from coproduce.spaces import services as space_services

    space_services.space_create(
        actor=host, title="Allotment plans", purpose="Grow food together.", place="Erskine"
    )
    response = client_for(None).get("/spaces/", {"q": "allotment", "place": "Nowhere-at-all"})
    assert response.status_code == 200
    assert b"Allotment plans" in response.content
    assert b"Drop-in redesign" not in response.content


def test_the_kept_space_page_tells_each_person_where_they_stand(
    client_for, space, member, practitioner, outsider, keeping
):
    """The space page is kept whole per audience (core/kept_pages.py); the "you" panel is each person's own:
    two members with the same role and different perspectives, someone who asked to join, a visitor."""
    from coproduce.people.models import User

    services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    newcomer = User.objects.create(email="new@example.org", display_name="Nia Newcomer")
    for _ in range(2):  # the second round from what the first kept
        pages = {
            who: client_for(who).get(space.get_absolute_url()).content.decode()
            for who in (member, practitioner, outsider, newcomer, None)
        }
        assert "taking part as: Person with lived experience." in pages[member]
        assert "taking part as: Practitioner." in pages[practitioner]
        assert "You have asked to join" in pages[outsider] and "Ask to join" not in pages[outsider]
        assert "Ask to join" in pages[newcomer] and "You have asked to join" not in pages[newcomer]
        assert "To take part," in pages[None] and "taking part as" not in pages[None]
    # The panel is rendered once for what it shows; the token of its forms is each request's own.
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member, backend="coproduce.people.backends.ModelBackend")
    page = client.get(space.get_absolute_url()).content.decode()
    token = re.search(
        r'action="[^"]*/leave/" class="inline"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        page,
    )
    assert token, "the panel's form has a token"
    assert (
        client.post(
            reverse("spaces:leave", args=[space.slug]), {"csrfmiddlewaretoken": token.group(1)}
        ).status_code
        == 302
    )


def test_a_members_kept_space_page_asks_the_database_once(client_for, space, member, keeping):
    """The session with the person, the space, the membership and the person's consent to outcomes (the
    personal item of the co-assessment stage, `ModuleManifest.read_with_space`), in one statement (read
    ahead: core/ahead.py)."""
    from coproduce.outcomes import services as outcomes

    client = client_for(member)
    url = space.get_absolute_url()
    for consent, words in (
        (False, "Not recorded: you have not agreed"),
        (True, "Being recorded, with your consent"),
    ):
        if consent:
            outcomes.consent_give(actor=member, person=member, space=space)
        client.get(url)  # kept from here on
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert "Your personal outcomes" in page and words in page
        assert len(queries.captured_queries) == 1, [q["sql"][:120] for q in queries.captured_queries]
