"""A person's data: who may download it or erase it, what the pages say, and that every module's erasure
covers every table that points at a person (the whole demo is erased in tests/demo/test_demo_privacy.py)."""

from __future__ import annotations

import io
import json
import zipfile

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.html import escape

from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.people.models import User


def test_every_table_that_points_at_a_person_is_in_a_modules_erasure():
    """A new model with a foreign key to the user fails here until its app says, in its manifest, that its
    `erase` deals with it (core/registry.py `personal_data_models`)."""
    user_model = get_user_model()
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and field.related_model is user_model
        and (field.concrete or field.many_to_many)
        and not field.auto_created
    }
    pointing -= {"auth.Group", "auth.Permission"}  # a group's or permission's members, cleared by erasure
    covered = {label for m in registry.manifests() for label in m.personal_data_models}
    assert pointing - covered == set()
    assert all(m.personal_data_described for m in registry.manifests() if m.personal_data or m.erase)


def test_only_the_person_or_a_network_admin_may_download_or_erase(
    space, member, outsider, admin_user, client_for, api_for
):
    User.objects.filter(pk=member.pk).update(accessibility_needs="Step-free access, please.")
    mine = client_for(member)
    page = mine.get("/me/data/")
    assert page.status_code == 200 and b"Download as JSON" in page.content
    data = json.loads(mine.get("/me/data/download.json").content)
    text = json.dumps(data)
    assert member.email in text and "Step-free access" in text and "Drop-in redesign" in text
    assert (
        outsider.email not in text and space.memberships.exclude(user=member).first().user.email not in text
    )
    archive = zipfile.ZipFile(io.BytesIO(mine.get("/me/data/download.zip").content))
    assert member.email in archive.read("people-profile.csv").decode()
    assert mine.get("/me/data/download.xml").status_code == 404

    assert client_for(None).get("/me/data/download.json").status_code == 302  # to sign in
    assert api_for(None).get("/me/data").status_code == 401
    for path in (f"/network/members/{member.pk}/data",):
        assert api_for(outsider).get(path).status_code == 404
        assert api_for(member).get(path).status_code == 404  # even their own: that is /me/data
        assert api_for(admin_user).get(path).json()["sections"][0]["rows"][0]["email"] == member.email
    assert api_for(outsider).post(f"/network/members/{member.pk}/erase", {"confirm": True}).status_code == 404
    assert User.objects.get(pk=member.pk).erased_at is None

    assert api_for(member).post("/me/erase", {"confirm": False}).status_code == 422
    assert User.objects.get(pk=member.pk).erased_at is None
    erased = api_for(admin_user).post(f"/network/members/{member.pk}/erase", {"confirm": True})
    assert erased.status_code == 200 and erased.json()["removed"]["spaces"]["memberships"] == 1
    member.refresh_from_db()
    assert (
        member.display_name == "Former member" and member.email is None and not member.has_usable_password()
    )
    event = AuditEvent.objects.get(action="person.erased")
    assert event.actor == admin_user and "Lena" not in event.summary
    assert (
        api_for(admin_user).post(f"/network/members/{member.pk}/erase", {"confirm": True}).status_code == 404
    )


def test_erasing_yourself_asks_for_your_password_and_says_what_stays(member, client_for):
    client = client_for(member)
    page = client.get("/me/erase/")
    assert b"Former member" in page.content and b"Your password" in page.content
    wrong = client.post("/me/erase/", {"confirm": "on", "password": "not it"})
    assert wrong.status_code == 400 and b"That is not your password" in wrong.content
    assert client.post("/me/erase/", {"password": "not it"}).status_code == 400
    done = client.post("/me/erase/", {"confirm": "on", "password": "a-long-test-password-1"})
    assert done.status_code == 302
    assert client.get("/me/").status_code == 302  # signed out
    assert User.objects.get(pk=member.pk).erased_at is not None


def test_the_privacy_page_is_made_from_the_manifests_and_linked_from_every_page(client_for, db, settings):
    page = client_for(None).get("/privacy/")
    assert page.status_code == 200
    text = page.content.decode()
    for manifest in registry.manifests():
        for kind in manifest.personal_data_described:
            assert escape(str(kind.what)) in text
    assert f"{settings.RETENTION_DAYS['access_needs']} days after the meeting" in text
    assert 'href="/privacy/"' in client_for(None).get("/").content.decode()


def test_a_network_admin_downloads_and_erases_for_a_person_who_asks(
    space, practitioner, outsider, admin_user, client_for
):
    data, erase = (
        f"/network/members/{practitioner.pk}/data.json",
        f"/network/members/{practitioner.pk}/erase/",
    )
    assert client_for(outsider).get(data).status_code == 404
    assert client_for(outsider).post(erase, {"confirm": "on"}).status_code == 404
    staff = client_for(admin_user)
    assert practitioner.email in staff.get(data).content.decode()
    assert b"Erase their account" in staff.get(f"/network/members/{practitioner.pk}/").content
    assert staff.post(erase, {}).status_code == 400  # not confirmed: nothing happens
    assert User.objects.get(pk=practitioner.pk).erased_at is None
    assert staff.post(erase, {"confirm": "on"}).status_code == 302
    assert User.objects.get(pk=practitioner.pk).erased_at is not None
    # Erased accounts leave the members list, and nothing more can be asked of them.
    assert b"Former member" not in staff.get("/network/members/").content
    assert staff.get(data).status_code == 404
