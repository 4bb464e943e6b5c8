"""Whole pages kept per audience (core/kept_pages.py): each person's own values, nothing of anyone else's."""

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from coproduce.core import kept_pages, shared, shell
from coproduce.ideas import services as idea_services

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")|("X-CSRFToken": ")[^"]+(")')


def test_a_kept_page_that_asks_about_the_person_stops_loudly():
    person = kept_pages._KeptPerson(signed_in=True)
    assert person.is_authenticated and not person.is_anonymous
    with pytest.raises(kept_pages.PersonalInKeptPage):
        Template("{{ user.display_name }}").render(Context({"user": person}))
    with pytest.raises(kept_pages.PersonalInKeptPage):
        Template("{% if user.is_staff %}staff{% endif %}").render(Context({"user": person}))


def _page(client, url) -> str:
    return TOKEN.sub(r"\1TOKEN\2\3TOKEN\4", client.get(url).content.decode())


def test_each_person_is_given_their_own_actions_header_and_support(
    keeping, space, member, practitioner, facilitator
):
    idea = idea_services.idea_create(actor=member, space=space, title="Step-free entrance", body="A ramp.")
    idea_services.idea_support(actor=practitioner, idea=idea)
    url = reverse("ideas:list", args=[space.slug])
    clients = {}
    for person in (practitioner, facilitator, member, None):
        client = Client()
        if person is not None:
            client.force_login(person, backend="coproduce.people.backends.ModelBackend")
        clients[person] = client
    for _ in range(2):  # the second round from what the first kept
        pages = {person: _page(client, url) for person, client in clients.items()}
        assert "You support this" in pages[practitioner]
        assert all("You support this" not in pages[p] for p in (facilitator, member, None))
        assert "Reported comments" in pages[facilitator] and "Reported comments" not in pages[member]
        assert "Post an idea" in pages[member] and "Post an idea" not in pages[None]
        assert "Sign out" in pages[member] and "Sign in" in pages[None]
        assert all(shell._MARK not in page for page in pages.values())
    # Kept or rendered afresh, each page is the same.
    shared.forget_all()
    for person, client in clients.items():
        kept = _page(client, url)
        shared.forget_all()
        assert _page(client, url) == kept, person


def test_a_page_with_a_message_is_shown_to_its_person_and_not_kept(keeping, client_for, space, member):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    url = reverse("ideas:list", args=[space.slug])
    client = client_for(member)
    assert 'class="messages"' not in client.get(url).content.decode()  # kept now for this audience
    client.cookies["messages"] = CookieStorage(RequestFactory().get("/"))._encode(
        [Message(constants.SUCCESS, "Your idea is posted.")]
    )
    assert "Your idea is posted." in client.get(url).content.decode(), "shown, though the page was kept"
    assert "Your idea is posted." not in client.get(url).content.decode(), "shown once"
    assert "Your idea is posted." not in client_for(member).get(url).content.decode(), "and never kept"


def test_the_sign_out_token_in_a_kept_page_is_the_persons(keeping, space, member):
    url = reverse("ideas:list", args=[space.slug])
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(member, backend="coproduce.people.backends.ModelBackend")
        page = client.get(url).content.decode()
        token = re.search(
            r'action="/accounts/logout/" class="inline"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
            page,
        )
        assert (
            token
            and client.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
        )
