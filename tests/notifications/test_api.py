"""/api/v1/notifications: paged list, mark read, read all, preferences with clear errors."""

from __future__ import annotations

from tests.api_client import Api

from coproduce.notifications.models import Notification, Preference


def test_the_list_is_paged_newest_first(space, member, approve):
    for n in range(5):
        approve(member, n)
    api = Api(member)
    first = api.get("/notifications?limit=2").json()
    assert first["count"] == 5 and first["unread"] == 5 and len(first["items"]) == 2
    assert first["items"][0]["title"] == "Your request to join Drop-in redesign was approved"
    assert first["items"][0]["url"] == space.get_absolute_url() and first["items"][0]["unread"] is True
    last = api.get("/notifications?limit=2&offset=4").json()
    assert len(last["items"]) == 1
    ids = [i["id"] for i in first["items"]]
    assert ids == sorted(ids, reverse=True)


def test_marking_read_one_and_all(space, member, approve):
    first, _second, _third = (approve(member, n)[0] for n in range(3))
    api = Api(member)
    one = api.post(f"/notifications/{first.pk}/read")
    assert one.status_code == 200 and one.json()["unread"] is False
    assert api.get("/notifications?unread=true").json()["count"] == 2
    assert api.post("/notifications/read-all").json() == {"marked": 2}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_preferences_read_and_change_with_clear_errors(member):
    api = Api(member)
    current = {p["kind"]: p for p in api.get("/notifications/preferences").json()}
    assert current["idea_commented"]["delivery"] == "daily" and current["idea_commented"]["group"] == "Ideas"
    bad = api.put(
        "/notifications/preferences", {"choices": {"idea_commented": "hourly", "stage_opened": "never"}}
    )
    assert bad.status_code == 422 and "idea_commented" in bad.json()["detail"]
    assert not Preference.objects.exists()  # nothing half-written
    ok = api.put("/notifications/preferences", {"choices": {"idea_commented": "weekly"}})
    assert ok.status_code == 200
    assert {p["kind"]: p["delivery"] for p in ok.json()}["idea_commented"] == "weekly"
