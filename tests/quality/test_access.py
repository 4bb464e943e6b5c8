"""Every quality page and endpoint × every persona: like the space to read, hosts and facilitators to write."""

from __future__ import annotations

import pytest
from django.test import TestCase
from tests.conftest import PERSONAS

from coproduce.lib.quality.standards import STANDARDS
from coproduce.quality import services

from .conftest import build_coproduction, computed

pytestmark = pytest.mark.django_db

READ_PUBLIC = dict.fromkeys(PERSONAS, 200)
READ_PRIVATE = {
    "host": 200,
    "facilitator": 200,
    "member": 200,
    "practitioner": 200,
    "outsider": 404,
    "anonymous": 404,
}
MANAGE_PRIVATE = {
    "host": 302,
    "facilitator": 302,
    "member": 403,
    "practitioner": 403,
    "outsider": 404,
    "anonymous": 302,
}


def _pages(slug):
    base = f"/spaces/{slug}/quality/"
    return [base, base + "standards/", base + "records/?measure=actions_owned&stages=co_delivery"]


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("which", ["space", "private_space"])
def test_reading_pages(which, who, request, persona, client_for, host, facilitator, member, practitioner):
    space = request.getfixturevalue(which)
    build_coproduction(space, host, facilitator, member, practitioner)
    computed(space)
    expected = (READ_PUBLIC if which == "space" else READ_PRIVATE)[who]
    for url in _pages(space.slug):
        assert client_for(persona(who)).get(url).status_code == expected, url


@pytest.mark.parametrize("who", PERSONAS)
def test_recompute_page(who, private_space, persona, client_for):
    response = client_for(persona(who)).post(f"/spaces/{private_space.slug}/quality/recompute/")
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == MANAGE_PRIVATE[who]


@pytest.mark.parametrize("who", PERSONAS)
def test_assessment_form_and_mix(who, private_space, persona, client_for):
    user = persona(who)
    form = client_for(user).get(f"/spaces/{private_space.slug}/quality/standards/new/")
    mix = client_for(user).get(f"/spaces/{private_space.slug}/quality/community/")
    want_form = {"host": 200, "facilitator": 200, "member": 403, "practitioner": 403, "outsider": 404}
    want_mix = {"host": 200, "facilitator": 403, "member": 403, "practitioner": 403, "outsider": 404}
    if user is None:
        assert form.status_code == mix.status_code == 302
    else:
        assert form.status_code == want_form[who]
        assert mix.status_code == want_mix[who]


def _payload(member, host):
    return {
        "agreed_on": "2026-01-10",
        "participant_ids": [member.pk, host.pk],
        "ratings": {s.id: 6 for s in STANDARDS},
        "notes": {"inclusion": "Everyone came."},
    }


@pytest.mark.parametrize("who", PERSONAS)
def test_api_matrix(who, private_space, persona, api_for, member, host):
    api = api_for(persona(who))
    slug = private_space.slug
    read = api.get(f"/quality/spaces/{slug}").status_code
    records = api.get(f"/quality/spaces/{slug}/records?measure=ideas_written").status_code
    rounds = api.get(f"/quality/spaces/{slug}/self-assessments").status_code
    with TestCase.captureOnCommitCallbacks(execute=True):
        recompute = api.post(f"/quality/spaces/{slug}/recompute").status_code
    create = api.post(f"/quality/spaces/{slug}/self-assessments", _payload(member, host)).status_code
    mix = api.put(f"/quality/spaces/{slug}/community", {"shares": {"lived_experience": 50}}).status_code
    expected = {
        "host": (200, 200, 200, 202, 201, 200),
        "facilitator": (200, 200, 200, 202, 201, 403),
        "member": (200, 200, 200, 403, 403, 403),
        "practitioner": (200, 200, 200, 403, 403, 403),
        "outsider": (404, 404, 404, 404, 404, 404),
        "anonymous": (404, 404, 404, 401, 401, 401),
    }[who]
    assert (read, records, rounds, recompute, create, mix) == expected


def test_public_api_reads_hide_names(space, api_for, host, facilitator, member, practitioner):
    build_coproduction(space, host, facilitator, member, practitioner)
    computed(space)
    services.self_assessment_create(
        actor=host,
        space=space,
        agreed_on=__import__("datetime").date(2026, 1, 1),
        participants=[member, host],
        ratings={s.id: 4 for s in STANDARDS},
    )
    outside = api_for(None).get(f"/quality/spaces/{space.slug}/records?measure=ideas_written").json()
    assert outside["records"] and all(r["person"] is None for r in outside["records"])
    inside = api_for(member).get(f"/quality/spaces/{space.slug}/records?measure=ideas_written").json()
    assert {r["person"] for r in inside["records"]} == {"Lena Lived", "Pat Practitioner"}
    rounds = api_for(None).get(f"/quality/spaces/{space.slug}/self-assessments").json()
    assert rounds[0]["participants"] == 2 and rounds[0]["participant_names"] is None
    check = api_for(None).get(f"/quality/spaces/{space.slug}").json()
    assert check["status"] == "ready" and check["judgement"]["level"] == "co_production"
