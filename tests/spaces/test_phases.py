"""Closing a stage leaves a space between stages: the host is warned, and lists show it as such."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.spaces import services
from coproduce.spaces.models import SpacePhase, StageStatus


@pytest.fixture(autouse=True)
def _static_files_not_scanned(settings):
    settings.WHITENOISE_USE_FINDERS = False


def _set(space, host, **statuses):
    for kind, status in statuses.items():
        services.stage_update(actor=host, stage=space.stages.get(kind=kind), status=status)


def html(response) -> str:
    return response.content.decode()


def test_the_phase_of_a_space(space, host):
    assert space.phase.kind == SpacePhase.NOT_STARTED
    _set(space, host, co_commissioning=StageStatus.OPEN)
    assert (space.phase.kind, space.phase.current.kind) == ("open", "co_commissioning")
    _set(space, host, co_commissioning=StageStatus.CLOSED)
    phase = space.phase
    assert (phase.kind, phase.previous.kind, phase.next.kind) == ("between", "co_commissioning", "co_design")
    _set(space, host, co_design="closed", co_delivery="closed", co_assessment="closed")
    assert space.phase.kind == "finished"


def test_the_host_is_warned_before_closing_the_only_open_stage(client_for, space, host):
    _set(space, host, co_commissioning=StageStatus.OPEN)
    page = html(client_for(host).get(reverse("spaces:stage_edit", args=[space.slug, "co_commissioning"])))
    assert "If you close this stage" in page and "between stages" in page
    # Another stage's form, or a second open stage, needs no warning.
    page = html(client_for(host).get(reverse("spaces:stage_edit", args=[space.slug, "co_design"])))
    assert "If you close this stage" not in page
    _set(space, host, co_design=StageStatus.OPEN)
    page = html(client_for(host).get(reverse("spaces:stage_edit", args=[space.slug, "co_commissioning"])))
    assert "If you close this stage" not in page


def test_closing_the_only_open_stage_says_what_happened(client_for, space, host):
    _set(space, host, co_commissioning=StageStatus.OPEN)
    response = client_for(host).post(
        reverse("spaces:stage_edit", args=[space.slug, "co_commissioning"]), {"status": "closed"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "No stage is open now. The space shows as between stages until you open Co-design." in messages


def test_a_space_between_stages_stays_on_the_home_page_marked_as_such(client_for, space, host):
    other = services.space_create(actor=host, title="Open one", purpose="Open.")
    _set(other, host, co_design=StageStatus.OPEN)
    _set(space, host, co_commissioning=StageStatus.OPEN)
    _set(space, host, co_commissioning=StageStatus.CLOSED)
    for path in (reverse("home"), reverse("spaces:directory")):
        page = html(client_for(None).get(path))
        assert space.title in page
        assert "Between stages</strong>: Co-commissioning has closed; Co-design has not started yet." in page
    assert "Open now: Co-design" in html(client_for(None).get(reverse("home")))
