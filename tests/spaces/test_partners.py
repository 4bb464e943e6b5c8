"""Partner organisations: a space lists an organisation only when one of the organisation's admins accepts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import make_person

from coproduce.core.models import AuditEvent
from coproduce.people import services as people_services
from coproduce.spaces import services
from coproduce.spaces.models import PartnershipRequest, Space


@pytest.fixture(autouse=True)
def _static_files_not_scanned(settings):
    settings.WHITENOISE_USE_FINDERS = False


@pytest.fixture
def council_admin(db):
    return make_person("Cara Council")


@pytest.fixture
def council(council_admin):
    return people_services.organisation_create(actor=council_admin, name="Strathbrae Council", kind="council")


@pytest.fixture
def newcomer(outsider):
    """A new account that is in no space: the shared cast's outsider."""
    return outsider


def html(response) -> str:
    return response.content.decode()


def _create_through_the_form(client_for, user, council) -> Space:
    response = client_for(user).post(
        reverse("spaces:create"),
        {
            "title": "Our bus stop",
            "purpose": "Make the bus stop safe.",
            "visibility": "public",
            "organisations": [council.pk],
            "perspective": "community",
        },
    )
    assert response.status_code == 302, html(response)
    return Space.objects.get(title="Our bus stop")


def test_a_new_account_cannot_list_an_organisation_by_ticking_it(client_for, newcomer, council):
    space = _create_through_the_form(client_for, newcomer, council)
    assert not space.organisations.exists()
    request = PartnershipRequest.objects.get(space=space)
    assert (request.organisation, request.status, request.requested_by) == (council, "pending", newcomer)
    # Not on the council's page, not in the directory filtered by the council, not on the space page.
    org_page = html(client_for(None).get(reverse("people:organisation", args=[council.slug])))
    assert "Our bus stop" not in org_page
    assert "Our bus stop" not in html(
        client_for(None).get(reverse("spaces:directory") + "?organisation=" + council.slug)
    )
    assert "Strathbrae Council" not in html(client_for(None).get(space.get_absolute_url()))
    # The host is told it waits for the council.
    assert "Invited, waiting for Strathbrae Council to accept." in html(
        client_for(newcomer).get(space.get_absolute_url())
    )
    event = AuditEvent.objects.get(space=space, action="partnership.requested")
    assert (event.actor, event.public) == (newcomer, False)


def test_the_organisations_admin_sees_the_request_and_accepts_it(
    client_for, newcomer, council, council_admin
):
    space = _create_through_the_form(client_for, newcomer, council)
    request = PartnershipRequest.objects.get(space=space)
    admin = client_for(council_admin)
    assert "asks to list Strathbrae Council as a partner" in html(admin.get(reverse("people:me")))
    org_page = html(admin.get(reverse("people:organisation", args=[council.slug])))
    assert "Spaces asking to list this organisation as a partner" in org_page and "Our bus stop" in org_page
    # Other people do not see it, and cannot answer it.
    assert "Spaces asking" not in html(
        client_for(newcomer).get(reverse("people:organisation", args=[council.slug]))
    )
    url = reverse("people:partnership_decide", args=[council.slug, request.pk])
    assert client_for(newcomer).post(url, {"decision": "accept"}).status_code == 404
    assert not space.organisations.exists()

    response = admin.post(url, {"decision": "accept"})
    assert response.status_code == 302
    assert list(space.organisations.all()) == [council]
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("accepted", council_admin)
    assert "Our bus stop" in html(client_for(None).get(reverse("people:organisation", args=[council.slug])))
    event = AuditEvent.objects.get(space=space, action="partnership.accepted")
    assert (event.actor, event.public) == (council_admin, True)
    # Answered once only.
    with pytest.raises(ValidationError):
        services.partnership_decide(actor=council_admin, request=request, accept=False)


def test_a_declined_request_lists_nothing_and_is_audited(client_for, newcomer, council, council_admin):
    space = _create_through_the_form(client_for, newcomer, council)
    request = PartnershipRequest.objects.get(space=space)
    client_for(council_admin).post(
        reverse("people:partnership_decide", args=[council.slug, request.pk]), {"decision": "decline"}
    )
    request.refresh_from_db()
    assert request.status == "declined" and not space.organisations.exists()
    assert AuditEvent.objects.filter(space=space, action="partnership.declined", actor=council_admin).exists()
    assert "Invited, waiting" not in html(client_for(newcomer).get(space.get_absolute_url()))


def test_only_an_organisation_admin_may_answer(newcomer, council, member):
    space = services.space_create(actor=newcomer, title="T", purpose="P.", organisations=[council])
    request = space.partnership_requests.get()
    for person in (newcomer, member):
        with pytest.raises(PermissionDenied):
            services.partnership_decide(actor=person, request=request, accept=True)
    assert not space.organisations.exists()


def test_a_host_who_runs_the_organisation_lists_it_at_once(council_admin, council):
    space = services.space_create(actor=council_admin, title="T", purpose="P.", organisations=[council])
    assert list(space.organisations.all()) == [council]
    assert space.partnership_requests.get().status == "accepted"


def test_unticking_an_invited_organisation_withdraws_the_request(client_for, newcomer, council):
    space = _create_through_the_form(client_for, newcomer, council)
    edit = reverse("spaces:edit", args=[space.slug])
    form = client_for(newcomer).get(edit).context["form"]
    assert list(form.initial["organisations"]) == [council.pk]  # still ticked: saving keeps the invitation
    data = {"title": space.title, "purpose": space.purpose, "visibility": "public", "place": ""}
    client_for(newcomer).post(edit, {**data, "organisations": [council.pk]})
    assert space.partnership_requests.get().status == "pending"
    client_for(newcomer).post(edit, data)
    assert space.partnership_requests.get().status == "withdrawn"
    assert AuditEvent.objects.filter(space=space, action="partnership.withdrawn").exists()


def test_an_organisation_admin_can_stop_being_listed(client_for, council_admin, council):
    space = services.space_create(actor=council_admin, title="T", purpose="P.", organisations=[council])
    client_for(council_admin).post(reverse("people:partnership_end", args=[council.slug, space.slug]))
    assert not space.organisations.exists()
    assert AuditEvent.objects.filter(space=space, action="partnership.ended", public=True).exists()


def test_one_pending_request_per_space_and_organisation_in_the_database(newcomer, council):
    space = services.space_create(actor=newcomer, title="T", purpose="P.", organisations=[council])
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipRequest.objects.create(space=space, organisation=council, requested_by=newcomer)


def test_the_api_follows_the_same_rule(newcomer, council, council_admin):
    created = Api(newcomer).post(
        "/spaces",
        {"title": "Bus stop", "purpose": "Safe.", "organisations": [council.slug]},
    )
    assert created.status_code == 201
    assert (created.json()["organisations"], created.json()["organisations_invited"]) == ([], [council.slug])
    listed = Api().get(f"/spaces?organisation={council.slug}").json()
    assert listed == []
    # Only the host sees who was invited.
    public = Api().get("/spaces/bus-stop").json()
    assert public["organisations_invited"] == []

    requests = Api(council_admin).get(f"/organisations/{council.slug}/partner-requests").json()
    assert [r["space"] for r in requests] == ["bus-stop"]
    assert Api(newcomer).get(f"/organisations/{council.slug}/partner-requests").status_code == 403
    decided = Api(council_admin).post(
        f"/organisations/{council.slug}/partner-requests/{requests[0]['id']}/decision",
        {"accept": True},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    listed = Api().get(f"/spaces?organisation={council.slug}").json()
    assert [s["slug"] for s in listed] == ["bus-stop"]

    # A PATCH by the host asks again for an organisation it does not run.
    other = people_services.organisation_create(actor=council_admin, name="Carers Together", kind="charity")
    patched = Api(newcomer).patch(
        "/spaces/bus-stop",
        {"organisations": [council.slug, other.slug]},
    )
    assert (patched.json()["organisations"], patched.json()["organisations_invited"]) == (
        [council.slug],
        [other.slug],
    )
