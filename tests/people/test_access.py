"""Who may see and do what on the people pages and the people API: every page and endpoint × every persona.

Columns, in the order of EVERYONE: host (the admin of Open Door), facilitator, member, practitioner, outsider
(signed in, in no space), anonymous, staff (network admin) and the assisted member (Margaret, a member of the
public space who takes part with help; signed in here only to show what her own pages would do: she gives no
consent to be helped herself, a facilitator records that she takes part with help).
Cells: "login" is the redirect to sign in; 404 is for what the person may not know exists; 403 for what they
may see but not change. Each cell runs in a savepoint that is rolled back, so every cell starts from the same
state. The pages are tested by URL: where their code lives may change, what they answer may not.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import EVERYONE

from coproduce.core.models import AuditEvent
from coproduce.ideas import services as idea_services
from coproduce.people import services
from coproduce.people.models import Organisation
from coproduce.people.services import api_token_create
from coproduce.spaces import services as space_services


@dataclass
class World:
    org: Organisation
    pending: int  # the practitioner's request to join Open Door
    partner_request: int  # the outsider's request to list Open Door in their space
    listed_in: str  # a space of the host's that lists Open Door
    host_token: int
    claim: str  # Margaret's link to claim her account
    member_id: int
    margaret_id: int
    margaret_event: int  # something a facilitator recorded on Margaret's behalf
    fmt: str = "json"  # a download's format


@pytest.fixture
def world(space, private_space, host, facilitator, member, practitioner, outsider, margaret):
    org = services.organisation_create(actor=host, name="Open Door", kind="charity")
    pending = services.organisation_join(actor=practitioner, organisation=org)
    asking = space_services.space_create(actor=outsider, title="Asks", purpose="P.", organisations=[org])
    listing = space_services.space_create(actor=host, title="Lists", purpose="P.", organisations=[org])
    token, _raw = api_token_create(actor=host, name="script")
    idea_services.idea_create(
        actor=facilitator, space=space, title="Ramp", body="A ramp at the door.", on_behalf_of=margaret
    )
    return World(
        org=org,
        pending=pending.pk,
        partner_request=asking.partnership_requests.get().pk,
        listed_in=listing.slug,
        host_token=token.pk,
        claim=space_services.claim_link_create(actor=facilitator, person=margaret).token,
        member_id=member.pk,
        margaret_id=margaret.pk,
        margaret_event=AuditEvent.objects.get(action="idea.created", on_behalf_of=margaret).pk,
    )


# --- The pages ------------------------------------------------------------------------------------------------

# name: (method, url name, url args from the world, POST data, expected per persona)
# Columns:                                                          host  fac   mem   prac  out   anon  staff asst
PAGES = {
    "me": ("get", "people:me", (), None, "200   200   200   200   200   login 200   200"),
    "me_update": (
        "post",
        "people:me",
        (),
        {"display_name": "New Name", "contact_preference": "email"},
        "302   302   302   302   302   login 302   302",
    ),
    "on_my_behalf": ("get", "people:on_my_behalf", (), None, "200   200   200   200   200   login 200   200"),
    "help_consent": (
        "post",
        "people:on_my_behalf",
        (),
        {"where": "drop-in-redesign", "accepts": "yes"},
        "302   302   302   302   403   login 403   403",
    ),
    "help_consent_private": (
        "post",
        "people:on_my_behalf",
        (),
        {"where": "peer-review", "accepts": "yes"},
        "302   302   302   302   404   login 403   404",
    ),
    "entry_dispute": (
        "get",
        "people:entry_dispute",
        ("margaret_event",),
        None,
        "404   404   404   404   404   login 404   200",
    ),
    "entry_dispute_post": (
        "post",
        "people:entry_dispute",
        ("margaret_event",),
        {"text": "Not what I said."},
        "404   404   404   404   404   login 404   302",
    ),
    "tokens": ("get", "people:tokens", (), None, "200   200   200   200   200   login 200   200"),
    "token_revoke": (
        "post",
        "people:token_revoke",
        ("host_token",),
        {},
        "302   404   404   404   404   login 404   404",
    ),
    "person": ("get", "people:person", ("member_id",), None, "200   200   200   200   404   404   200   200"),
    "person_assisted": (
        "get",
        "people:person",
        ("margaret_id",),
        None,
        "200   200   200   200   404   404   200   200",
    ),
    "claim": ("get", "people:claim", ("claim",), None, "200   200   200   200   200   200   200   200"),
    "claim_code": ("get", "people:claim_code", (), None, "200   200   200   200   200   200   200   200"),
    # Without a code typed first, back to the page that asks for it.
    "claim_code_continue": (
        "get",
        "people:claim_code_continue",
        (),
        None,
        "302   302   302   302   302   302   302   302",
    ),
    "organisations": (
        "get",
        "people:organisations",
        (),
        None,
        "200   200   200   200   200   200   200   200",
    ),
    "organisation_create": (
        "get",
        "people:organisation_create",
        (),
        None,
        "200   200   200   200   200   login 200   200",
    ),
    "organisation_create_post": (
        "post",
        "people:organisation_create",
        (),
        {"name": "Carers Together", "kind": "charity"},
        "302   302   302   302   302   login 302   302",
    ),
    "organisation": (
        "get",
        "people:organisation",
        ("slug",),
        None,
        "200   200   200   200   200   200   200   200",
    ),
    "organisation_edit": (
        "get",
        "people:organisation_edit",
        ("slug",),
        None,
        "200   403   403   403   403   login 200   403",
    ),
    "organisation_edit_post": (
        "post",
        "people:organisation_edit",
        ("slug",),
        {"name": "Open Door", "kind": "charity", "place": "Renfrew"},
        "302   403   403   403   403   login 302   403",
    ),
    "organisation_join": (
        "post",
        "people:organisation_join",
        ("slug",),
        {},
        "302   302   302   302   302   login 302   302",
    ),
    "organisation_member_approve": (
        "post",
        "people:organisation_member",
        ("slug", "pending"),
        {"action": "approve"},
        "302   403   403   403   403   login 302   403",
    ),
    "partnership_decide": (
        "post",
        "people:partnership_decide",
        ("slug", "partner_request"),
        {"decision": "accept"},
        "302   404   404   404   404   login 302   404",
    ),
    "partnership_end": (
        "post",
        "people:partnership_end",
        ("slug", "listed_in"),
        {},
        "302   403   403   403   403   login 302   403",
    ),
    # The network admin screen: network administrators only; 404 for everyone else (its existence is not shown).
    "network": ("get", "people:network", (), None, "404   404   404   404   404   login 200   404"),
    "network_members": (
        "get",
        "people:network_members",
        (),
        None,
        "404   404   404   404   404   login 200   404",
    ),
    "network_member": (
        "get",
        "people:network_member",
        ("member_id",),
        None,
        "404   404   404   404   404   login 200   404",
    ),
    "network_member_deactivate": (
        "post",
        "people:network_member",
        ("member_id",),
        {"action": "deactivate", "reason": "Asked to leave"},
        "404   404   404   404   404   login 302   404",
    ),
    "network_organisations": (
        "get",
        "people:network_organisations",
        (),
        None,
        "404   404   404   404   404   login 200   404",
    ),
    "network_organisation": (
        "get",
        "people:network_organisation",
        ("slug",),
        None,
        "404   404   404   404   404   login 200   404",
    ),
    "network_organisation_admin": (
        "post",
        "people:network_organisation_admin",
        ("slug",),
        {"person": "member_id", "action": "add"},
        "404   404   404   404   404   login 302   404",
    ),
    "my_data": ("get", "people:my_data", (), None, "200   200   200   200   200   login 200   200"),
    "my_data_download": (
        "get",
        "people:my_data_download",
        ("fmt",),
        None,
        "200   200   200   200   200   login 200   200",
    ),
    "privacy": ("get", "people:privacy", (), None, "200   200   200   200   200   200   200   200"),
    "network_member_data": (
        "get",
        "people:network_member_data",
        ("member_id", "fmt"),
        None,
        "404   404   404   404   404   login 200   404",
    ),
    "network_member_erase_page": (
        "get",
        "people:network_member_erase",
        ("member_id",),
        None,
        "404   404   404   404   404   login 200   404",
    ),
    "network_member_erase": (
        "post",
        "people:network_member_erase",
        ("member_id",),
        {"confirm": "on"},
        "404   404   404   404   404   login 302   404",
    ),
    "erase_page": ("get", "people:erase", (), None, "200   200   200   200   200   login 200   200"),
    # Last: erasing yourself signs you out, and the client keeps its new, empty session after the rollback.
    "erase": (
        "post",
        "people:erase",
        (),
        {"confirm": "on", "password": "a-long-test-password-1"},
        "302   302   302   302   302   login 302   302",
    ),
}


def _args(world: World, names) -> list:
    values = {"slug": world.org.slug, **{f: getattr(world, f) for f in World.__dataclass_fields__}}
    return [values[name] for name in names]


def _cell(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return "login"
    return str(response.status_code)


@pytest.mark.parametrize("name", EVERYONE)
def test_people_pages(name, persona, client_for, world):
    client = client_for(persona(name))
    column = EVERYONE.index(name)
    wrong = []
    for page, (method, url_name, args, data, expected) in PAGES.items():
        url = reverse(url_name, args=_args(world, args))
        if data and data.get("person") == "member_id":
            data = {**data, "person": world.member_id}
        with transaction.atomic():  # each cell starts from the same state
            got = _cell(getattr(client, method)(url, data) if method == "post" else client.get(url))
            transaction.set_rollback(True)
        want = expected.split()[column]
        if got != want:
            wrong.append(f"{page} as {name}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_every_people_page_is_in_the_matrix():
    """The people namespace: people's own pages and the spaces pages mounted on people's paths."""
    from coproduce.people.urls import urlpatterns
    from coproduce.spaces.urls_site import people_paths as on_people_paths

    names = {f"people:{p.name}" for p in [*urlpatterns, *on_people_paths]}
    assert names == {url_name for _m, url_name, *_ in PAGES.values()}


# --- The API --------------------------------------------------------------------------------------------------

# Everyone is signed in with a token except "anonymous"; the host is Open Door's admin.
# Columns:                                              host fac  mem  prac out  anon staff asst
API = {
    "me": ("get", "/me", None, "200  200  200  200  200  401  200  200"),
    "me_update": ("patch", "/me", {"pronouns": "they/them"}, "200  200  200  200  200  401  200  200"),
    "on_my_behalf": ("get", "/me/on-my-behalf", None, "200  200  200  200  200  401  200  200"),
    "entry_dispute": (
        "post",
        "/me/on-my-behalf/{event_id}/dispute",
        {"text": "Not what I said."},
        "404  404  404  404  404  401  404  201",
    ),
    "organisations": ("get", "/organisations", None, "200  200  200  200  200  200  200  200"),
    "organisation": ("get", "/organisations/open-door", None, "200  200  200  200  200  200  200  200"),
    "organisation_create": (
        "post",
        "/organisations",
        {"name": "Carers Together", "kind": "charity"},
        "201  201  201  201  201  401  201  201",
    ),
    "organisation_update": (
        "patch",
        "/organisations/open-door",
        {"place": "Renfrew"},
        "200  403  403  403  403  401  200  403",
    ),
    "partner_requests": (
        "get",
        "/organisations/open-door/partner-requests",
        None,
        "200  403  403  403  403  401  200  403",
    ),
    "partner_request_decide": (
        "post",
        "/organisations/open-door/partner-requests/{request_id}/decision",
        {"accept": True},
        "200  404  404  404  404  401  200  404",
    ),
    "network": ("get", "/network", None, "404  404  404  404  404  401  200  404"),
    "network_members": ("get", "/network/members", None, "404  404  404  404  404  401  200  404"),
    "network_deactivate": (
        "post",
        "/network/members/{person_id}/deactivate",
        {"reason": "Asked to leave"},
        "404  404  404  404  404  401  200  404",
    ),
    # Lena is active: reactivating her is refused with a reason, for the one who may ask.
    "network_reactivate": (
        "post",
        "/network/members/{person_id}/reactivate",
        {"reason": "Came back"},
        "404  404  404  404  404  401  422  404",
    ),
    "network_admin_add": (
        "post",
        "/network/organisations/open-door/admins",
        {"person_id": "member_id"},
        "404  404  404  404  404  401  201  404",
    ),
    # Lena is not an admin of Open Door: refused, with a reason.
    "network_admin_remove": (
        "delete",
        "/network/organisations/open-door/admins/{person_id}",
        None,
        "404  404  404  404  404  401  422  404",
    ),
    "me_data": ("get", "/me/data", None, "200  200  200  200  200  401  200  200"),
    "me_data_zip": ("get", "/me/data.zip", None, "200  200  200  200  200  401  200  200"),
    "me_erase": ("post", "/me/erase", {"confirm": True}, "200  200  200  200  200  401  200  200"),
    "network_member_data": (
        "get",
        "/network/members/{person_id}/data",
        None,
        "404  404  404  404  404  401  200  404",
    ),
    "network_member_erase": (
        "post",
        "/network/members/{person_id}/erase",
        {"confirm": True},
        "404  404  404  404  404  401  200  404",
    ),
}


def test_people_api(persona, world):
    apis = {name: Api(persona(name)) for name in EVERYONE}
    wrong = []
    for endpoint, (method, path, body, expected) in API.items():
        for name, want in zip(EVERYONE, expected.split(), strict=True):
            with transaction.atomic():  # each cell starts from the same state
                full_path = path.replace("{request_id}", str(world.partner_request))
                full_path = full_path.replace("{event_id}", str(world.margaret_event))
                full_path = full_path.replace("{person_id}", str(world.member_id))
                if body and body.get("person_id") == "member_id":
                    body = {"person_id": world.member_id}
                got = str(apis[name].send(method, full_path, body).status_code)
                transaction.set_rollback(True)
            if got != want:
                wrong.append(f"{endpoint} as {name}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_every_people_endpoint_is_in_the_matrix():
    """People's router and the spaces endpoints on people's paths (partner requests, done on my behalf)."""
    from coproduce.people.api import router
    from coproduce.spaces.api import me_router, organisations_router

    operations = {
        (method.lower(), path.replace("{slug}", "open-door"))
        for r in (router, organisations_router, me_router)
        for path, view in r.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    assert operations == {(m, p) for m, p, *_ in API.values()}
