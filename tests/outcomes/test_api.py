"""The personal outcomes API: consent and withdrawal, conversations with bad input refused by field, the
plan, the summary's small-group suppression, and erasure."""

from __future__ import annotations

from tests.api_client import Api

from coproduce.outcomes.models import Consent, Conversation, Plan


def test_the_framework_lists_the_talking_points_outcomes(db):
    body = Api().get("/outcomes/framework").json()
    codes = {row["code"] for row in body}
    assert {"feeling_safe", "listened_to", "confidence", "carer_health"} <= codes
    assert len(body) == 22


def test_consent_conversations_and_withdrawal(space, member):
    api = Api(member)
    base = f"/spaces/{space.slug}/outcomes/people/{member.pk}"
    refused = api.post(
        f"{base}/conversations", {"held_on": "2026-01-01", "ratings": [{"outcome": "skills", "score": 3}]}
    )
    assert refused.status_code == 422 and not Conversation.objects.exists()
    assert api.post(f"{base}/consent").status_code == 201
    made = api.post(
        f"{base}/conversations",
        {"held_on": "2026-01-01", "ratings": [{"outcome": "skills", "score": 3, "own_words": "Cooking"}]},
    )
    assert made.status_code == 201 and made.json()["ratings"][0]["label"] == "Skills"
    detail = api.get(base).json()
    assert detail["consent"]["live"] and detail["conversations"][0]["ratings"][0]["own_words"] == "Cooking"
    assert api.put(f"{base}/plan", {"my_part": "Cook once a week"}).json()["history"][0]["by"] == "Lena Lived"
    assert api.delete(f"{base}/consent").status_code == 204
    assert not Conversation.objects.exists() and not Plan.objects.exists()
    assert api.get(base).json()["consent"]["live"] is False


def test_bad_ratings_are_refused_by_field(space, member, consent):
    api = Api(member)
    url = f"/spaces/{space.slug}/outcomes/people/{member.pk}/conversations"
    high = api.post(url, {"held_on": "2026-01-01", "ratings": [{"outcome": "skills", "score": 6}]})
    assert high.status_code == 422 and "score_skills" in high.json()["detail"]
    unknown = api.post(url, {"held_on": "2026-01-01", "ratings": [{"outcome": "flying", "score": 3}]})
    assert unknown.status_code == 422 and "ratings" in unknown.json()["detail"]
    future = api.post(url, {"held_on": "2099-01-01", "ratings": [{"outcome": "skills", "score": 3}]})
    assert future.status_code == 422 and "held_on" in future.json()["detail"]
    assert not Conversation.objects.exists()


def test_helpers_through_the_api(space, member, consent, facilitator, outsider):
    api = Api(member)
    url = f"/spaces/{space.slug}/outcomes/people/{member.pk}/helpers"
    assert api.put(url, {"helper_ids": [facilitator.pk]}).json()["helpers"][0]["id"] == facilitator.pk
    not_in_space = api.put(url, {"helper_ids": [outsider.pk]})
    assert not_in_space.status_code == 422
    missing = api.put(url, {"helper_ids": [999999]})
    assert missing.status_code == 422 and "helper_ids" in missing.json()["detail"]


def test_the_summary_is_suppressed_for_small_groups(space, member, conversation):
    body = Api(member).get(f"/spaces/{space.slug}/outcomes/summary").json()
    assert body == {"shown": False, "people": None, "rows": [], "hidden_outcomes": 0}


def test_erase_me(member, conversation):
    erased = Api(member).delete("/outcomes/me")
    assert erased.status_code == 200 and erased.json()["conversations"] == 1
    assert not Consent.objects.exists()
