"""Words people read: each once, in plain sentence case, the same word for the same thing (issue 10, point 17)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from tests.budgets.conftest import add_projects, make_budget, move_to

from coproduce.budgets.models import Phase
from coproduce.ideas import services as idea_services
from coproduce.meetings import services as meeting_services
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective
from coproduce.timebank.models import MemberStatus, TimebankMember


@pytest.fixture(autouse=True)
def _static_files_not_scanned(settings):
    settings.WHITENOISE_USE_FINDERS = False


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_optional_is_said_once(client_for, member):
    TimebankMember.objects.create(user=member, status=MemberStatus.APPROVED)
    page = text(client_for(member).get(reverse("timebank:pot")))
    assert "A note (optional)" in page and "(optional) (optional)" not in page


def test_who_may_vote_is_asked_once(client_for, space, host):
    page = text(client_for(host).get(reverse("budgets:create", args=[space.slug])))
    assert page.count("Who may vote") == 1


def test_the_error_summary_does_not_repeat_the_question(
    client_for, space, host, member, facilitator, outsider
):
    budget = make_budget(space, host, eligibility="residents", area="Strathbrae")
    (project,) = add_projects(budget, member, facilitator, ["10"])
    budget = move_to(budget, host, Phase.VOTE)
    url = reverse("budgets:vote", args=[space.slug, budget.pk])
    page = text(client_for(outsider).post(url, {"projects": [project.pk], "step": "review"}))
    assert "Confirm that you live or work in Strathbrae." in page
    assert "Strathbrae.: Confirm" not in page


def test_the_history_names_fields_in_words(client_for, space, host, facilitator):
    starts = dt.datetime(2030, 3, 1, 18, tzinfo=dt.UTC)
    meeting = meeting_services.meeting_create(
        actor=facilitator,
        space=space,
        title="Workshop",
        format="online",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    meeting_services.meeting_update(
        actor=facilitator,
        meeting=meeting,
        starts_at=starts + dt.timedelta(days=1),
        ends_at=starts + dt.timedelta(days=1, hours=2),
    )
    page = text(client_for(host).get(reverse("spaces:history", args=[space.slug])))
    assert "Meeting “Workshop” changed: starts, ends" in page
    assert "starts_at" not in page


def test_an_idea_counts_comments_as_comments(client_for, space, member):
    idea = idea_services.idea_create(actor=member, space=space, title="Quiet room", body="Somewhere quiet.")
    page = text(client_for(None).get(reverse("ideas:detail", args=[space.slug, idea.pk])))
    assert "0 comments" in page and "conversation" not in page


def test_skills_and_interests_have_their_own_hints(client_for, member):
    form = client_for(member).get(reverse("people:me")).context["form"]
    assert form["skills"].help_text != form["interests"].help_text
    assert "care about" in form["interests"].help_text


def test_sign_in_and_register_pages_use_sentence_case_and_say_register(client_for):
    client = client_for(None)
    login = client.get(reverse("account_login")).content.decode()
    assert "Sign in" in login and "Remember me" in login and ">register</a>" in login
    for title_case in ("Sign In", "Remember Me", "sign up", "Sign Up"):
        assert title_case not in login, title_case
    signup = client.get(reverse("account_signup")).content.decode()
    assert "Register" in signup and "Sign Up" not in signup and "Signup" not in signup


def test_the_header_links_bring_people_back(client_for, space):
    client = client_for(None)
    page = client.get(space.get_absolute_url()).content.decode()
    back = f"?next=/spaces/{space.slug}/"
    assert f'href="/accounts/signup/{back}"' in page
    assert f'href="/accounts/login/{back}"' in page
    # On the sign-in page, "Register" keeps where the person wanted to go, not the sign-in page itself.
    login = client.get(f"/accounts/login/?next=/spaces/{space.slug}/").content.decode()
    assert f'href="/accounts/signup/{back}"' in login
    assert "next=/accounts" not in login
    # Somewhere else entirely is not kept.
    elsewhere = client.get("/accounts/login/?next=https://evil.example/").content.decode()
    assert 'href="/accounts/signup/"' in elsewhere and "signup/?next=https" not in elsewhere


def test_the_confirmation_email_speaks_as_the_network(client_for, settings):
    settings.NETWORK_NAME = "Strathbrae Together"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    mail.outbox = []
    response = client_for(None).post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "display_name": "New Person",
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
        },
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.body.startswith("Hello from Strathbrae Together!")
    assert message.subject.startswith("[Strathbrae Together] ")
    assert "testserver" not in message.body.splitlines()[0]


def test_the_decline_form_keeps_its_label_after_an_error(client_for, space, host, outsider):
    request = space_services.join_request_create(actor=outsider, space=space, perspective=Perspective.CARER)
    client = client_for(host)
    assert "Reason (needed if you decline)" in text(client.get(reverse("spaces:requests", args=[space.slug])))
    response = client.post(
        reverse("spaces:decide", args=[space.slug, request.pk]), {"decision": "decline", "reason": ""}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Reason (needed if you decline)" in page and "Reason (optional)" not in page
