"""Keeping what many people see alike (core/shared.py): built once per audience for a few seconds, never
for the person who has just changed something, and off when `SHARED_SECONDS` is 0.

That it never changes what anyone sees on the real pages is tests/demo/test_demo_shared.py."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from tests.api_client import Api

from coproduce.core import shared
from coproduce.ideas import services as idea_services


class Request:
    """Enough of a request for `kept`: nobody signed in."""

    user = type("Anonymous", (), {"is_authenticated": False})()
    COOKIES: dict = {}


def builder():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    return build, calls


def test_built_once_per_audience_parts_and_language_while_kept(keeping, monkeypatch):
    build, calls = builder()
    now = [1000.0]
    monkeypatch.setattr(shared.time, "monotonic", lambda: now[0])

    def ask(audience="a", parts=()):
        return shared.kept(Request(), "t", audience=audience, parts=parts, build=build)

    assert ask() == 1 and ask() == 1
    assert ask("b") == 2 and ask("a", ("page 2",)) == 3 and ask() == 1
    with translation.override("fr"):
        assert ask() == 4
    now[0] += 4.9
    assert ask() == 1
    now[0] += 0.2  # past the five seconds: built again
    assert ask() == 5 and len(calls) == 5


def test_nothing_kept_when_the_setting_is_zero(settings):
    settings.SHARED_SECONDS = 0
    build, calls = builder()
    for _ in range(3):
        shared.kept(Request(), "t", audience="a", build=build)
    assert len(calls) == 3


def test_at_most_max_kept_values_the_least_recently_used_dropped(keeping, monkeypatch):
    monkeypatch.setattr(shared, "MAX_KEPT", 3)
    build, calls = builder()
    for audience in "abcd":
        shared.kept(Request(), "t", audience=audience, build=build)
    assert len(shared._kept) == 3
    shared.kept(Request(), "t", audience="a", build=build)  # dropped first, so built again
    assert len(calls) == 5


def test_your_own_change_shows_at_once_to_you_and_within_seconds_to_others(
    keeping, client_for, space, member, practitioner
):
    """Someone else sees the kept list for a few seconds; the person who posted sees their idea at once."""
    url = reverse("ideas:list", args=[space.slug])
    author, other = client_for(member), client_for(practitioner)
    assert "Benches on every floor" not in author.get(url).content.decode()
    assert "Benches on every floor" not in other.get(url).content.decode()
    response = author.post(
        reverse("ideas:create", args=[space.slug]),
        {"title": "Benches on every floor", "body": "Somewhere to sit between appointments."},
    )
    assert response.status_code == 302
    fresh = response.cookies[shared.FRESH_COOKIE]
    assert fresh["max-age"] == 5 and fresh["httponly"] and fresh["samesite"] == "Lax"
    assert "Benches on every floor" in author.get(url).content.decode()
    assert "Benches on every floor" not in other.get(url).content.decode()  # kept: at most 5 s old
    shared.forget_all()  # as the five seconds passing does
    assert "Benches on every floor" in other.get(url).content.decode()


def test_a_change_through_an_api_token_shows_at_once_to_its_owner(keeping, space, member):
    api = Api(member)
    assert api.get(f"/spaces/{space.slug}/ideas").json() == []
    created = api.post(f"/spaces/{space.slug}/ideas", {"title": "Later opening", "body": "Open until 8pm."})
    assert created.status_code == 201
    assert [i["title"] for i in api.get(f"/spaces/{space.slug}/ideas").json()] == ["Later opening"]


def test_a_refused_change_does_not_stop_keeping(keeping, client_for, space, member):
    client = client_for(member)
    response = client.post(reverse("ideas:create", args=[space.slug]), {"title": "", "body": ""})
    assert response.status_code == 400
    assert shared.FRESH_COOKIE not in response.cookies


def test_what_you_support_is_yours_even_in_a_kept_list(keeping, client_for, space, member, practitioner):
    idea = idea_services.idea_create(actor=member, space=space, title="Step-free entrance", body="A ramp.")
    idea_services.idea_support(actor=practitioner, idea=idea)
    url = reverse("ideas:list", args=[space.slug])
    assert "You support this" in client_for(practitioner).get(url).content.decode()
    assert "You support this" not in client_for(member).get(url).content.decode()
    assert "You support this" in client_for(practitioner).get(url).content.decode()
    rows = Api(practitioner).get(f"/spaces/{space.slug}/ideas").json()
    assert [r["supported_by_me"] for r in rows] == [True]
    assert [r["supported_by_me"] for r in Api(member).get(f"/spaces/{space.slug}/ideas").json()] == [False]
