"""What the timebank offers other modules through its manifest (it is on no stage of a space)."""

from __future__ import annotations

from django.urls import reverse
from tests.timebank.conftest import approved

from coproduce.core import registry
from coproduce.timebank import services


def test_the_timebank_is_on_no_stage_and_offers_its_hooks():
    (manifest,) = [m for m in registry.manifests() if m.name == "timebank"]
    assert manifest.stages == ()
    assert registry.hook("reward_participation") is services.participation_reward


def test_a_person_sees_their_own_place_in_the_timebank(giver, newcomer, outsider):
    shown = registry.hook("profile_timebank")
    assert shown(giver, giver) == {"key": "timebank", "name": "The timebank", "url": reverse("timebank:home")}
    assert shown(newcomer, newcomer) is None  # asked to join, not approved yet
    assert shown(outsider, outsider) is None


def test_only_the_person_and_coordinators_see_it(giver, receiver, coordinator, admin_user):
    shown = registry.hook("profile_timebank")
    assert shown(receiver, giver) is None
    assert shown(coordinator, giver) is not None
    assert shown(admin_user, admin_user) is not None  # network staff take part as coordinators


def test_someone_who_takes_part_with_help_is_shown_nothing(margaret, coordinator):
    approved(margaret)
    assert registry.hook("profile_timebank")(coordinator, margaret) is None
