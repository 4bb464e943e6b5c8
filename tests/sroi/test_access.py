"""Who may see and change social value: every page and endpoint × every persona, public and private."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import EVERYONE, PERSONAS

RUNNERS = {"host", "facilitator"}
MEMBERS = {"host", "facilitator", "member", "practitioner"}


def pages(space, outcome):
    return [
        ("analysis", reverse("sroi:analysis", args=[space.slug]), set(EVERYONE), False),
        ("inputs", reverse("sroi:inputs", args=[space.slug]), RUNNERS, True),
        ("outcome_create", reverse("sroi:outcome_create", args=[space.slug]), RUNNERS, True),
        ("outcome_edit", reverse("sroi:outcome_edit", args=[space.slug, outcome.pk]), RUNNERS, True),
    ]


def expected(persona: str, allowed: set[str], login: bool) -> int:
    if persona in allowed:
        return 200
    if persona == "anonymous" and login:
        return 302
    return 403


@pytest.mark.parametrize("persona_name", PERSONAS + ["staff"])
def test_every_page_in_a_public_space(persona_name, persona, client_for, space, outcome):
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(space, outcome):
        assert client.get(url).status_code == expected(persona_name, allowed, login), (name, persona_name)


@pytest.mark.parametrize("persona_name", PERSONAS + ["staff"])
def test_every_page_in_a_private_space_is_hidden_from_outsiders(
    persona_name, persona, client_for, private_space, private_analysis, facilitator
):
    from tests.sroi.conftest import outcome_fields

    from coproduce.sroi import services

    private_outcome = services.outcome_create(
        actor=facilitator, analysis=private_analysis, **outcome_fields()
    )
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(private_space, private_outcome):
        status = client.get(url).status_code
        if persona_name == "outsider":
            assert status == 404, name
        elif persona_name == "anonymous":
            assert status == (302 if login else 404), name
        elif persona_name == "staff":  # network admins see every space, but do not run it
            assert status == (200 if name == "analysis" else 403), name
        else:
            assert status == expected(persona_name, allowed, login), (name, persona_name)


@pytest.mark.parametrize("persona_name", PERSONAS + ["staff"])
def test_only_network_admins_change_unit_costs(persona_name, persona, client_for, ae):
    client = client_for(persona(persona_name))
    listing = client.get(reverse("sroi_costs:list"))
    edit = client.get(reverse("sroi_costs:edit", args=[ae.pk]))
    create = client.get(reverse("sroi_costs:create"))
    if persona_name == "anonymous":
        assert {listing.status_code, edit.status_code, create.status_code} == {302}
    elif persona_name == "staff":
        assert (listing.status_code, edit.status_code, create.status_code) == (200, 200, 200)
        assert reverse("sroi_costs:edit", args=[ae.pk]) in listing.content.decode()
    else:
        assert (listing.status_code, edit.status_code, create.status_code) == (200, 403, 403)
        assert reverse("sroi_costs:edit", args=[ae.pk]) not in listing.content.decode()


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_only_runners_post_and_delete(persona_name, persona, client_for, space, outcome):
    client = client_for(persona(persona_name))
    response = client.post(reverse("sroi:outcome_delete", args=[space.slug, outcome.pk]))
    if persona_name in RUNNERS:
        assert response.status_code == 302
    elif persona_name == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona_name", PERSONAS + ["staff"])
def test_the_api_follows_the_same_rules(persona_name, persona, space, outcome, private_analysis, ae):
    api = Api(persona(persona_name))
    denied = 401 if persona_name == "anonymous" else 403
    is_member = persona_name in MEMBERS or persona_name == "staff"
    assert api.get(f"/spaces/{space.slug}/sroi").status_code == 200
    assert api.get(f"/spaces/{private_analysis.space.slug}/sroi").status_code == (200 if is_member else 404)
    put = api.put(f"/spaces/{space.slug}/sroi", {"volunteer_hours": "10"})
    assert put.status_code == (200 if persona_name in RUNNERS else denied)
    patch = api.patch(f"/sroi/outcomes/{outcome.pk}", {"quantity": "13"})
    assert patch.status_code == (200 if persona_name in RUNNERS else denied)
    costs = api.get("/sroi/unit-costs")
    assert costs.status_code == (401 if persona_name == "anonymous" else 200)
    change = api.patch(f"/sroi/unit-costs/{ae.pk}", {"value": "110"})
    if persona_name == "staff":
        assert change.status_code == 200
    elif persona_name == "anonymous":
        assert change.status_code == 401
    else:
        assert change.status_code == 403
