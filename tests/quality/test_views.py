"""The quality pages: the check with its evidence and charts, the records, the forms with their errors."""

from __future__ import annotations

import datetime as dt

import pytest

from coproduce.lib.quality.standards import STANDARDS
from coproduce.quality.models import SelfAssessment, TargetShare

from .conftest import build_consultation, build_coproduction, computed

pytestmark = pytest.mark.django_db


def test_check_page_before_and_after(space, client_for, host, facilitator, member, practitioner):
    page = client_for(None).get(f"/spaces/{space.slug}/quality/").content.decode()
    assert "has not been worked out yet" in page
    before = client_for(host).get(f"/spaces/{space.slug}/quality/").content.decode()
    assert ">Work out the check<" in before and "check again" not in before  # nothing to do again yet
    build_coproduction(space, host, facilitator, member, practitioner)
    computed(space)
    page = client_for(None).get(f"/spaces/{space.slug}/quality/").content.decode()
    assert "Level: Co-production" in page and "Citizen power" in page
    assert 'role="img"' in page and '<title id="bovaird-title">' in page and "<table>" in page
    assert "(; )" not in page  # a share names no stages or perspectives of its own
    assert f"/spaces/{space.slug}/quality/records/?measure=" in page
    assert "Work out the check again" not in page  # not for the public
    assert (
        "Work out the check again" in client_for(host).get(f"/spaces/{space.slug}/quality/").content.decode()
    )


def test_consultation_page_says_what_would_help(space, client_for, host, facilitator, member, practitioner):
    build_consultation(space, host, facilitator, member, practitioner)
    computed(space)
    page = client_for(member).get(f"/spaces/{space.slug}/quality/").content.decode()
    assert "What would help" in page and "Evidence against" in page


def test_records_page_hides_names_from_the_public(space, client_for, host, facilitator, member, practitioner):
    build_coproduction(space, host, facilitator, member, practitioner)
    url = f"/spaces/{space.slug}/quality/records/?measure=actions_owned&stages=co_delivery&perspectives=lived_experience"
    public = client_for(None).get(url).content.decode()
    assert "Find volunteers" in public and "Lena Lived" not in public
    assert "Lena Lived" in client_for(practitioner).get(url).content.decode()
    assert client_for(None).get(f"/spaces/{space.slug}/quality/records/?measure=nonsense").status_code == 404
    assert client_for(None).get(url.replace("co_delivery", "co_nothing")).status_code == 404


def test_mix_form_keeps_what_was_typed_on_error(space, client_for, host):
    client = client_for(host)
    response = client.post(
        f"/spaces/{space.slug}/quality/community/", {"lived_experience": "80", "carer": "40"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "more than 100%" in page and 'value="80"' in page
    assert not TargetShare.objects.exists()
    response = client.post(f"/spaces/{space.slug}/quality/community/", {"lived_experience": "60"})
    assert response.status_code == 302
    assert TargetShare.objects.get().percent == 60


def test_self_assessment_round_radar_and_disagreement(
    space, client_for, host, facilitator, member, practitioner
):
    build_consultation(space, host, facilitator, member, practitioner)
    computed(space)
    client = client_for(facilitator)
    data = {"agreed_on": dt.date.today().isoformat(), "participants": [member.pk, facilitator.pk]}
    for s in STANDARDS:
        data[f"rating_{s.id}"] = "6"
        data[f"notes_{s.id}"] = f"Notes on {s.name}"
    missing = dict(data)
    del missing["rating_inclusion"]
    response = client.post(f"/spaces/{space.slug}/quality/standards/new/", missing)
    assert response.status_code == 200 and not SelfAssessment.objects.exists()
    assert "Notes on Support" in response.content.decode()
    response = client.post(f"/spaces/{space.slug}/quality/standards/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client_for(None).get(f"/spaces/{space.slug}/quality/standards/").content.decode()
    assert 'role="img"' in page and "Ratings by round" in page
    assert "Members rate working together 6 but" in page
    assert "Lena Lived" not in page  # who took part is named to members only
    assert "Lena Lived" in client_for(member).get(f"/spaces/{space.slug}/quality/standards/").content.decode()
