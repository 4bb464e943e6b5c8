"""Who may see and do what: the access functions, then every space page and every spaces API endpoint
for every persona, on a public and on a private space.

The matrices are tables: one row per page or endpoint, one column per persona, in the order of PERSONAS,
checked on a public and on a private space. Each cell runs in its own savepoint that is rolled back, so every
cell starts from the same state (the host approving a request does not change what the facilitator finds).
A failure lists every wrong cell, e.g. "edit as facilitator: expected 403, got 200".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import PERSONAS, make_person

from coproduce.spaces import access, services
from coproduce.spaces.models import JoinRequest, Membership, Perspective, Role, Space

# --- The access functions -------------------------------------------------------------------------


def test_get_space_for_hides_a_private_space_from_outsiders_as_if_it_did_not_exist(private_space, outsider):
    with pytest.raises(Http404):
        access.get_space_for(outsider, private_space.slug)
    with pytest.raises(Http404):
        access.get_space_for(outsider, "no-such-space")


def test_get_space_for_refuses_members_what_their_role_does_not_allow(space, member, facilitator, host):
    assert access.get_space_for(member, space.slug) == space
    assert access.get_space_for(member, space.slug, need=access.MEMBER) == space
    with pytest.raises(PermissionDenied):
        access.get_space_for(member, space.slug, need=access.FACILITATOR)
    assert access.get_space_for(facilitator, space.slug, need=access.FACILITATOR) == space
    with pytest.raises(PermissionDenied):
        access.get_space_for(facilitator, space.slug, need=access.HOST)
    assert access.get_space_for(host, space.slug, need=access.HOST) == space


def test_network_admins_see_private_spaces_but_do_not_run_them(private_space, admin_user):
    assert access.get_space_for(admin_user, private_space.slug) == private_space
    with pytest.raises(PermissionDenied):
        access.get_space_for(admin_user, private_space.slug, need=access.HOST)


def test_visible_spaces(space, private_space, member, outsider, admin_user):
    from django.contrib.auth.models import AnonymousUser

    assert set(access.visible_spaces(member)) == {space, private_space}
    assert set(access.visible_spaces(outsider)) == {space}
    assert set(access.visible_spaces(AnonymousUser())) == {space}
    assert set(access.visible_spaces(admin_user)) == {space, private_space}


def test_get_membership_for_only_finds_memberships_of_that_space(
    space, private_space, host, member, outsider
):
    lena_in_private = Membership.objects.get(space=private_space, user=member)
    with pytest.raises(Http404):  # a real membership id, but of another space
        access.get_membership_for(host, space, lena_in_private.pk)
    lena = Membership.objects.get(space=space, user=member)
    with pytest.raises(Http404):  # outsiders may not see who is in the space
        access.get_membership_for(outsider, space, lena.pk)
    assert access.get_membership_for(member, space, lena.pk) == lena
    # Seeing a membership is not changing it: that is can_change_membership (below).
    assert not access.can_change_membership(member, lena, access.ROLE)


def test_a_role_change_is_seen_by_every_copy_of_the_person(space, host, member):
    """The same person held by two objects (the actor and `membership.user`) must not keep an old role."""
    assert not access.has_role(member, space, access.HOST)
    services.membership_update(
        actor=host, membership=Membership.objects.get(space=space, user=member), role=Role.HOST
    )
    assert access.has_role(member, space, access.HOST)


# --- The matrix: what each persona gets -----------------------------------------------------------


@dataclass
class World:
    space: Space
    lena: int  # the member with lived experience
    pat: int  # the practitioner
    assisted: int  # someone who takes part with help, added by the facilitator
    request: int  # a pending request to join
    invitation: int
    token: str


@pytest.fixture
def world(visibility, host, facilitator, member, practitioner, outsider, request):
    """The space of the given visibility, with an assisted member, a pending request and an invitation.

    `asker` is who has asked to join: the outsider for the web pages (so that "withdraw" has something
    to withdraw), someone else for the API (so that the outsider can still ask).
    """
    space = request.getfixturevalue("space" if visibility == "public" else "private_space")
    asker = outsider if getattr(request, "param", "outsider") == "outsider" else make_person("Asha Asker")
    # Made directly, so that the private space has one too: a request sent before the space went private.
    pending = JoinRequest.objects.create(space=space, user=asker, perspective=Perspective.COMMUNITY)
    assisted = services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.LIVED_EXPERIENCE
    )
    invitation, token = services.invitation_create(actor=host, space=space)
    return World(
        space=space,
        lena=Membership.objects.get(space=space, user=member).pk,
        pat=Membership.objects.get(space=space, user=practitioner).pk,
        assisted=assisted.pk,
        request=pending.pk,
        invitation=invitation.pk,
        token=token,
    )


def _row(expected: str) -> dict[str, str]:
    cells = expected.split()
    assert len(cells) == len(PERSONAS), expected
    return dict(zip(PERSONAS, cells, strict=True))


def _matrix(table: dict, visibility: str, send) -> None:
    """Send every request of the table as each persona and compare with the expected row.

    Each request runs in a savepoint rolled back afterwards, so that every cell starts from the same state.
    """
    wrong = []
    for row, (_method, *rest) in table.items():
        expected = _row(rest[-2] if visibility == "public" else rest[-1])
        for name in PERSONAS:
            with transaction.atomic():
                got = send(row, name)
                transaction.set_rollback(True)
            if got != expected[name]:
                wrong.append(f"{row} as {name}: expected {expected[name]}, got {got}")
    assert not wrong, "\n".join(wrong)


# Outcomes: a status code, "login" (sent to sign in) or "back" (redirected to a page, having done it).
# Members asking to join are sent back to the space; only the outsider has a request to withdraw; anyone
# holding an invitation link may read it, even for a private space; the last host leaving is sent back
# with the reason it was refused (see test_views).
# Columns:                       host fac  mem  prac out  anon
WEB = {
    "directory": ("get", "200  200  200  200  200  200", "200  200  200  200  200  200"),
    "create": ("get", "200  200  200  200  200  login", "200  200  200  200  200  login"),
    "detail": ("get", "200  200  200  200  200  200", "200  200  200  200  404  404"),
    "edit": ("get", "200  403  403  403  403  login", "200  403  403  403  404  login"),
    "join": ("get", "back back back back 200  login", "back back back back 404  login"),
    "withdraw": ("post", "404  404  404  404  back login", "404  404  404  404  404  login"),
    "leave": ("post", "back back back back 403  login", "back back back back 404  login"),
    "requests": ("get", "200  403  403  403  403  login", "200  403  403  403  404  login"),
    "decide": ("post", "back 403  403  403  403  login", "back 403  403  403  404  login"),
    "members": ("get", "200  200  200  200  403  login", "200  200  200  200  404  login"),
    "member_edit": ("get", "200  403  200  403  403  login", "200  403  200  403  404  login"),
    "member_edit_help": ("get", "200  200  403  403  403  login", "200  200  403  403  404  login"),
    "member_remove": ("post", "back 403  403  403  403  login", "back 403  403  403  404  login"),
    "stage_edit": ("get", "200  403  403  403  403  login", "200  403  403  403  404  login"),
    "invitations": ("get", "200  403  403  403  403  login", "200  403  403  403  404  login"),
    "invitation_revoke": ("post", "back 403  403  403  403  login", "back 403  403  403  404  login"),
    "invitation": ("get", "back back back back 200  login", "back back back back 200  login"),
    "history": ("get", "200  200  200  200  200  200", "200  200  200  200  404  404"),
    "assisted_add": ("get", "200  200  403  403  403  login", "200  200  403  403  404  login"),
    "claim_link": ("post", "back back 403  403  403  login", "back back 403  403  404  login"),
    # Nothing made in this session yet: back to the member's page, which offers to make one.
    "claim_handout": ("get", "back back 403  403  403  login", "back back 403  403  404  login"),
}


def _web_request(view: str, w: World) -> tuple[str, dict]:
    slug = w.space.slug
    return {
        "directory": (reverse("spaces:directory"), {}),
        "create": (reverse("spaces:create"), {}),
        "detail": (reverse("spaces:detail", args=[slug]), {}),
        "edit": (reverse("spaces:edit", args=[slug]), {}),
        "join": (reverse("spaces:join", args=[slug]), {}),
        "withdraw": (reverse("spaces:withdraw", args=[slug]), {}),
        "leave": (reverse("spaces:leave", args=[slug]), {}),
        "requests": (reverse("spaces:requests", args=[slug]), {}),
        "decide": (reverse("spaces:decide", args=[slug, w.request]), {"decision": "approve"}),
        "members": (reverse("spaces:members", args=[slug]), {}),
        "member_edit": (reverse("spaces:member_edit", args=[slug, w.lena]), {}),
        "member_edit_help": (reverse("spaces:member_edit", args=[slug, w.assisted]), {}),
        "member_remove": (reverse("spaces:member_remove", args=[slug, w.pat]), {"reason": "Moved away"}),
        "stage_edit": (reverse("spaces:stage_edit", args=[slug, "co_design"]), {}),
        "invitations": (reverse("spaces:invitations", args=[slug]), {}),
        "invitation_revoke": (reverse("spaces:invitation_revoke", args=[slug, w.invitation]), {}),
        "invitation": (reverse("spaces:invitation", args=[w.token]), {}),
        "history": (reverse("spaces:history", args=[slug]), {}),
        "assisted_add": (reverse("spaces:assisted_add", args=[slug]), {}),
        "claim_link": (reverse("spaces:claim_link", args=[slug, w.assisted]), {}),
        "claim_handout": (reverse("spaces:claim_handout", args=[slug, w.assisted]), {}),
    }[view]


def _outcome(response) -> str:
    if response.status_code == 302:
        return "login" if response.url.startswith(reverse("account_login")) else "back"
    return str(response.status_code)


def _signed_in_clients(persona) -> dict[str, Client]:
    clients = {}
    for name in PERSONAS:
        clients[name] = Client()
        if persona(name) is not None:
            clients[name].force_login(persona(name), backend="coproduce.people.backends.ModelBackend")
    return clients


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_space_pages(visibility, world, persona):
    clients = _signed_in_clients(persona)

    def send(view, name):
        path, data = _web_request(view, world)
        return _outcome(getattr(clients[name], WEB[view][0])(path, data))

    _matrix(WEB, visibility, send)


def test_every_space_page_is_in_the_matrix():
    from coproduce.spaces.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    assert names <= set(WEB), names - set(WEB)


def _without_csrf(html: str) -> str:
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("view", ["detail", "history", "members", "edit", "requests", "join"])
def test_a_private_space_answers_outsiders_exactly_like_a_space_that_does_not_exist(
    view, private_space, outsider, client_for
):
    client = client_for(outsider)
    hidden = client.get(reverse(f"spaces:{view}", args=[private_space.slug]))
    missing = client.get(reverse(f"spaces:{view}", args=["no-such-space"]))
    assert hidden.status_code == missing.status_code == 404
    assert _without_csrf(hidden.content.decode()) == _without_csrf(missing.content.decode())
    assert private_space.title not in hidden.content.decode()


@pytest.mark.parametrize(
    "path", ["/spaces/{slug}", "/spaces/{slug}/stages", "/spaces/{slug}/history", "/spaces/{slug}/members"]
)
def test_the_api_answers_outsiders_about_a_private_space_like_a_missing_one(path, private_space, outsider):
    api = Api(outsider)
    hidden = api.get(path.format(slug=private_space.slug))
    missing = api.get(path.format(slug="no-such-space"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "Not found."}


# The spaces API, with a token for each persona (anonymous sends none).
# Columns:                                     host fac  mem  prac out  anon
API = {
    "list": ("get", "", "200  200  200  200  200  200", "200  200  200  200  200  200"),
    "create": ("post", "", "201  201  201  201  201  401", "201  201  201  201  201  401"),
    "detail": ("get", "/{slug}", "200  200  200  200  200  200", "200  200  200  200  404  404"),
    "update": ("patch", "/{slug}", "200  403  403  403  403  401", "200  403  403  403  404  401"),
    "stages": ("get", "/{slug}/stages", "200  200  200  200  200  200", "200  200  200  200  404  404"),
    "stage_update": (
        "patch",
        "/{slug}/stages/co_design",
        "200  403  403  403  403  401",
        "200  403  403  403  404  401",
    ),
    "members": ("get", "/{slug}/members", "200  200  200  200  403  401", "200  200  200  200  404  401"),
    "member_update": (
        "patch",
        "/{slug}/members/{lena}",
        "200  403  200  403  403  401",
        "200  403  200  403  404  401",
    ),
    "member_update_help": (
        "patch",
        "/{slug}/members/{assisted}",
        "200  200  403  403  403  401",
        "200  200  403  403  404  401",
    ),
    "sign_up_code": (
        "post",
        "/{slug}/members/{assisted}/sign-up-code",
        "201  201  403  403  403  401",
        "201  201  403  403  404  401",
    ),
    # Lena has her own account: nothing to make (422), for those who may ask at all.
    "sign_up_code_has_account": (
        "post",
        "/{slug}/members/{lena}/sign-up-code",
        "422  422  403  403  403  401",
        "422  422  403  403  404  401",
    ),
    "member_remove": (
        "delete",
        "/{slug}/members/{pat}?reason=Moved+away",
        "204  403  403  204  403  401",
        "204  403  403  204  404  401",
    ),
    # Members are already in; a private space takes no requests (the outsider cannot even see it).
    "join_request": (
        "post",
        "/{slug}/join-requests",
        "422  422  422  422  201  401",
        "403  403  403  403  404  401",
    ),
    "join_requests": (
        "get",
        "/{slug}/join-requests",
        "200  403  403  403  403  401",
        "200  403  403  403  404  401",
    ),
    "decision": (
        "post",
        "/{slug}/join-requests/{request}/decision",
        "200  403  403  403  403  401",
        "200  403  403  403  404  401",
    ),
    "history": ("get", "/{slug}/history", "200  200  200  200  200  200", "200  200  200  200  404  404"),
    # Only a member asks, for themself, to be helped in person (spaces.access.can_act_for).
    "my_help": ("get", "/{slug}/my-help", "200  200  200  200  403  401", "200  200  200  200  404  401"),
    "my_help_set": ("put", "/{slug}/my-help", "200  200  200  200  403  401", "200  200  200  200  404  401"),
}
API_BODY = {
    "my_help_set": {"accepts_help": True},
    "create": {"title": "A new space", "purpose": "Something to do together."},
    "update": {"place": "Renfrew"},
    "stage_update": {"status": "open"},
    "member_update": {"perspective": "carer"},
    "member_update_help": {"perspective": "carer"},
    "join_request": {"perspective": "community"},
    "decision": {"approve": True},
}


@pytest.mark.parametrize("world", ["asker"], indirect=True)
@pytest.mark.parametrize("visibility", ["public", "private"])
def test_spaces_api(visibility, world, persona):
    apis = {name: Api(persona(name), prefix="/api/v1/spaces") for name in PERSONAS}

    def send(endpoint, name):
        path = API[endpoint][1].format(
            slug=world.space.slug,
            lena=world.lena,
            pat=world.pat,
            assisted=world.assisted,
            request=world.request,
        )
        return str(apis[name].send(API[endpoint][0], path, API_BODY.get(endpoint)).status_code)

    _matrix(API, visibility, send)


def test_every_spaces_endpoint_is_in_the_matrix():
    from coproduce.spaces.api import router

    operations = {
        (method.lower(), path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    covered = {
        (
            m,
            re.sub(r"\{(lena|assisted|pat)\}", "{member_id}", p.split("?")[0])
            .replace("co_design", "{kind}")
            .replace("{request}", "{request_id}"),
        )
        for m, p, *_ in API.values()
    }
    assert operations <= covered, operations - covered
