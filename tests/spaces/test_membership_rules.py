"""Who may change a membership (its role, its perspective, or remove the member) is decided once, in
`spaces.access.can_change_membership`; the members pages and the API ask it the same way. Each case is sent
through the web page and through the API, and both must give the same answer."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from coproduce.people.services import api_token_create
from coproduce.spaces import access, services
from coproduce.spaces.models import Membership, Perspective, Role

ALLOWED, REFUSED, HIDDEN = "allowed", "refused", "hidden"
WEB = {302: ALLOWED, 403: REFUSED, 404: HIDDEN}
API = {200: ALLOWED, 204: ALLOWED, 403: REFUSED, 404: HIDDEN}

# (who acts, whose membership, what change, in which space, expected)
CASES = [
    ("host", "facilitator", "role", "space", ALLOWED),
    ("host", "member", "perspective", "space", ALLOWED),
    ("host", "practitioner", "remove", "space", ALLOWED),
    ("facilitator", "host", "perspective", "space", REFUSED),  # a facilitator never changes a host
    ("facilitator", "host", "role", "space", REFUSED),
    (
        "facilitator",
        "assisted_host",
        "perspective",
        "space",
        REFUSED,
    ),  # not even one who takes part with help
    ("facilitator", "margaret", "perspective", "space", ALLOWED),  # takes part with help
    ("facilitator", "margaret", "role", "space", REFUSED),
    ("facilitator", "practitioner", "remove", "space", REFUSED),
    ("member", "practitioner", "perspective", "space", REFUSED),
    ("member", "member", "perspective", "space", ALLOWED),  # their own
    ("member", "member", "role", "space", REFUSED),
    ("member", "practitioner", "remove", "space", REFUSED),
    ("outsider", "member", "perspective", "private_space", HIDDEN),
    ("outsider", "member", "remove", "private_space", HIDDEN),
]


@pytest.fixture
def people(request, host, facilitator, member, practitioner, outsider, margaret, space, private_space):
    assisted_host = services.assisted_person_add(
        actor=facilitator, space=space, display_name="Harriet Help", perspective=Perspective.CARER
    )
    services.membership_update(actor=host, membership=assisted_host, role=Role.HOST)
    return {
        "host": host,
        "facilitator": facilitator,
        "member": member,
        "practitioner": practitioner,
        "outsider": outsider,
        "margaret": margaret,
        "assisted_host": assisted_host.user,
        "space": space,
        "private_space": private_space,
    }


def _change(membership: Membership, change: str) -> dict:
    if change == "role":
        new_role = Role.MEMBER if membership.role != Role.MEMBER else Role.FACILITATOR
        return {"role": new_role, "perspective": membership.perspective}
    new = Perspective.CARER if membership.perspective != Perspective.CARER else Perspective.PRACTITIONER
    return {"role": membership.role, "perspective": new}


def _web(actor, membership: Membership, change: str) -> str:
    client = Client()
    client.force_login(actor, backend="coproduce.people.backends.ModelBackend")
    args = [membership.space.slug, membership.pk]
    if change == "remove":
        response = client.post(reverse("spaces:member_remove", args=args), {"reason": "Moved away"})
    else:
        response = client.post(reverse("spaces:member_edit", args=args), _change(membership, change))
    return WEB.get(response.status_code, str(response.status_code))


def _api(actor, membership: Membership, change: str) -> str:
    _token, raw = api_token_create(actor=actor, name="rules")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    path = f"/api/v1/spaces/{membership.space.slug}/members/{membership.pk}"
    if change == "remove":
        response = client.delete(path + "?reason=Moved+away")
    else:
        body = _change(membership, change)
        body.pop("perspective" if change == "role" else "role")
        response = client.patch(path, body, content_type="application/json")
    return API.get(response.status_code, str(response.status_code))


@pytest.mark.parametrize(("actor", "whose", "change", "where", "expected"), CASES)
def test_the_page_and_the_api_agree_on_who_may_change_a_membership(
    people, actor, whose, change, where, expected
):
    membership = Membership.objects.select_related("space", "user").get(
        space=people[where], user=people[whose]
    )
    answers = {}
    for name, send in (("web", _web), ("api", _api)):
        with transaction.atomic():
            answers[name] = send(people[actor], membership, change)
            transaction.set_rollback(True)
    assert answers == {"web": expected, "api": expected}
    if expected != HIDDEN:  # the rule itself, as the pages and services ask it
        what = {"role": access.ROLE, "perspective": access.PERSPECTIVE, "remove": access.REMOVE}[change]
        assert bool(access.can_change_membership(people[actor], membership, what)) == (expected == ALLOWED)


def test_the_members_list_offers_change_only_where_the_rule_allows(people, client_for):
    page = client_for(people["facilitator"]).get(reverse("spaces:members", args=[people["space"].slug]))
    html = page.content.decode()
    space = people["space"]

    def offered(person) -> bool:
        membership = Membership.objects.get(space=space, user=person)
        return reverse("spaces:member_edit", args=[space.slug, membership.pk]) in html

    assert offered(people["margaret"]) and offered(people["facilitator"])
    assert not offered(people["host"]) and not offered(people["assisted_host"])
    assert not offered(people["member"])
