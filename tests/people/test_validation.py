"""Names are one line and visible, through the API, the services and the sign-up form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests.api_client import Api

from coproduce.people import services
from coproduce.people.forms import SignupExtraForm
from coproduce.people.models import Organisation, Tag, User

BAD_NAMES = ["Ann\nBcc: x@example.org", "Ann\tLee", "\u200b", "\u00a0\u2060", "Ann \u202eeeL"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_the_api_refuses_an_odd_display_name(member, name):
    response = Api(member).patch("/me", {"display_name": name})
    assert response.status_code == 422 and "display_name" in response.json()["detail"]
    assert User.objects.get(pk=member.pk).display_name == "Lena Lived"


@pytest.mark.parametrize("name", BAD_NAMES)
def test_the_api_refuses_an_odd_organisation_name(member, name):
    response = Api(member).post("/organisations", {"name": name, "kind": "charity"})
    assert response.status_code == 422 and "name" in response.json()["detail"]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("name", BAD_NAMES)
def test_sign_up_refuses_an_odd_name(name):
    form = SignupExtraForm(data={"display_name": name})
    assert not form.is_valid() and "display_name" in form.errors


def test_tags_made_of_invisible_characters_are_refused(member):
    with pytest.raises(ValidationError, match="letter or number"):
        services.profile_update(actor=member, user=member, skills="cooking, \u200b\u200b")
    assert not Tag.objects.exists()


def test_ordinary_names_in_any_script_are_fine(member):
    for name in ("Siobhán Ní Bhriain", "محمد", "李华", "Jo 🌈"):
        services.profile_update(actor=member, user=member, display_name=name)
        assert User.objects.get(pk=member.pk).display_name == name
