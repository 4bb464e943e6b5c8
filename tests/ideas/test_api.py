"""The ideas API: the same services and rules as the pages, clear errors for bad input, bounded queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import make_members

from coproduce.ideas import selectors, services
from coproduce.ideas.models import Comment, Idea, IdeaStatus


def test_post_list_and_read_an_idea(space, member, practitioner):
    api = Api(member)
    created = api.post(
        f"/spaces/{space.slug}/ideas", {"title": "Peer support", "body": "By people who know."}
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["author"] == "Lena Lived" and data["author_perspective"] == "lived_experience"
    assert Api(practitioner).post(f"/ideas/{data['id']}/support").status_code == 201
    listed = Api(practitioner).get(f"/spaces/{space.slug}/ideas").json()
    assert [(i["title"], i["support_count"], i["supported_by_me"]) for i in listed] == [
        ("Peer support", 1, True)
    ]
    assert Api(practitioner).delete(f"/ideas/{data['id']}/support").status_code == 204
    assert Api(practitioner).delete(f"/ideas/{data['id']}/support").status_code == 422


def test_bad_input_is_explained_and_nothing_is_saved(space, member):
    api = Api(member)
    missing = api.post(f"/spaces/{space.slug}/ideas", {"title": "", "body": "x"})
    assert missing.status_code == 422
    too_long = api.post(f"/spaces/{space.slug}/ideas", {"title": "x" * 141, "body": "x"})
    assert too_long.status_code == 422
    blank = api.post(f"/spaces/{space.slug}/ideas", {"title": "   ", "body": "x"})
    assert blank.status_code == 422 and "title" in blank.json()["detail"]
    assert not Idea.objects.exists()


def test_status_changes_through_the_api_need_a_reason(space, idea, facilitator, member):
    api = Api(facilitator)
    response = api.post(f"/ideas/{idea.pk}/status", {"status": "adopted"})
    assert response.status_code == 422 and "reason" in response.json()["detail"]
    other = services.idea_create(actor=member, space=space, title="Other", body="x")
    merged = api.post(
        f"/ideas/{other.pk}/status", {"status": "merged", "reason": "Same", "merged_into": idea.pk}
    )
    assert merged.status_code == 200 and merged.json()["merged_into"] == idea.pk
    unknown = api.post(f"/ideas/{idea.pk}/status", {"status": "merged", "reason": "x", "merged_into": 999999})
    assert unknown.status_code == 422
    assert api.post(f"/ideas/{idea.pk}/status", {"status": "nonsense", "reason": "x"}).status_code == 422
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.UNDER_DISCUSSION


def test_comments_replies_edits_reports_and_hiding(space, idea, member, practitioner, facilitator):
    first = Api(practitioner).post(f"/ideas/{idea.pk}/comments", {"body": "Who staffs it?"}).json()
    reply = Api(member).post(f"/ideas/{idea.pk}/comments", {"body": "Volunteers", "parent": first["id"]})
    assert reply.status_code == 201
    nested = Api(practitioner).post(f"/ideas/{idea.pk}/comments", {"body": "x", "parent": reply.json()["id"]})
    assert nested.status_code == 422 and "parent" in nested.json()["detail"]
    edited = Api(practitioner).patch(
        f"/ideas/{idea.pk}/comments/{first['id']}", {"body": "Who would staff it?"}
    )
    assert edited.status_code == 200 and edited.json()["edited_at"]
    assert Api(member).patch(f"/ideas/{idea.pk}/comments/{first['id']}", {"body": "Mine"}).status_code == 403
    assert (
        Api(member).post(f"/ideas/{idea.pk}/comments/{first['id']}/report", {"reason": "Rude"}).status_code
        == 201
    )
    assert (
        Api(member).post(f"/ideas/{idea.pk}/comments/{first['id']}/report", {"reason": "Rude"}).status_code
        == 422
    )
    hidden = Api(facilitator).post(f"/ideas/{idea.pk}/comments/{first['id']}/hide", {"reason": "Off topic"})
    assert hidden.status_code == 200 and hidden.json()["body"] is None
    public = Api().get(f"/ideas/{idea.pk}/comments").json()
    assert [(c["body"], c["hidden_reason"], c["author"]) for c in public] == [
        (None, "Off topic", None),
        ("Volunteers", None, None),
    ]
    assert Comment.objects.get(pk=first["id"]).body == "Who would staff it?"  # hidden, never deleted


def test_co_authors_through_the_api(idea, member, practitioner, outsider):
    assert Api(member).post(f"/ideas/{idea.pk}/co-authors", {"person_id": practitioner.pk}).status_code == 201
    assert Api(member).post(f"/ideas/{idea.pk}/co-authors", {"person_id": outsider.pk}).status_code == 422
    assert Api(member).post(f"/ideas/{idea.pk}/co-authors", {"person_id": 999999}).status_code == 422
    assert Api().get(f"/ideas/{idea.pk}").json()["co_author_perspectives"] == ["practitioner"]


def test_the_list_costs_a_bounded_number_of_queries(
    space, host, member, practitioner, django_assert_max_num_queries
):
    for i, author in enumerate(make_members(space, host, 30)):  # one author each, so one query per row shows
        idea = services.idea_create(actor=author, space=space, title=f"Idea {i}", body="x")
        services.idea_co_author_add(actor=author, idea=idea, user=practitioner)
        services.comment_create(actor=practitioner, idea=idea, body="Yes")
    api = Api(practitioner)
    with django_assert_max_num_queries(8):
        response = api.get(f"/spaces/{space.slug}/ideas?limit=30")
    assert len(response.json()) == 30 and all(i["comment_count"] == 1 for i in response.json())


def test_the_kept_list_tells_each_person_which_ideas_they_support(
    space, member, practitioner, facilitator, settings
):
    """The list is written once per audience, each row both ways (shared.kept_json's `own`): each person is
    answered their own `supported_by_me`, and the answer is the one built afresh, row for row."""
    from coproduce.core import shared

    api = Api(member)
    ids = [
        api.post(f"/spaces/{space.slug}/ideas", {"title": f"Idea {n}", "body": "."}).json()["id"]
        for n in range(3)
    ]
    assert Api(practitioner).post(f"/ideas/{ids[0]}/support").status_code == 201
    assert Api(facilitator).post(f"/ideas/{ids[2]}/support").status_code == 201
    path = f"/spaces/{space.slug}/ideas"
    fresh = {who.pk: Api(who).get(path) for who in (practitioner, facilitator)}
    settings.SHARED_SECONDS = 5
    shared.forget_all()
    for _ in range(2):  # the second from what was kept
        for who, supported in ((practitioner, {ids[0]}), (facilitator, {ids[2]})):
            kept = Api(who).get(path)
            assert {row["id"] for row in kept.json() if row["supported_by_me"]} == supported
            assert (
                kept.json() == fresh[who.pk].json() and kept["Content-Type"] == fresh[who.pk]["Content-Type"]
            )
    shared.forget_all()


def test_which_ideas_a_person_supports_is_read_alike_for_every_length_of_list(space, member, practitioner):
    """`selectors.supported_ids` reads with SQL built once for lists of up to 20, 50 and 100 ideas (padded) and
    with the ORM past that: the same answer as the ORM's for each."""
    from coproduce.ideas import selectors
    from coproduce.ideas.models import Support

    ideas = Idea.objects.bulk_create(
        Idea(space=space, author=member, author_perspective="lived_experience", title=f"Idea {n}", body=".")
        for n in range(130)
    )
    Support.objects.bulk_create(
        Support(idea=idea, user=practitioner, perspective="practitioner") for idea in ideas[::3]
    )
    Support.objects.bulk_create(
        Support(idea=idea, user=member, perspective="lived_experience") for idea in ideas[1::3]
    )
    ids = [idea.pk for idea in ideas]
    for length in (1, 19, 20, 21, 50, 99, 100, 101, 130):
        wanted = ids[-length:]
        for person in (practitioner, member):
            orm = set(
                Support.objects.filter(user=person, idea_id__in=wanted).values_list("idea_id", flat=True)
            )
            assert selectors.supported_ids(person, wanted) == orm, (length, person)
            assert orm or length == 1


def test_the_kept_lists_read_the_persons_support_with_the_space(
    space, member, practitioner, client_for, keeping
):
    """The list page and the API's list ask the database once each: the session (or token) with the person,
    the space, the membership and which of its ideas the person supports (read ahead: core/ahead.py)."""
    ids = [services.idea_create(actor=member, space=space, title=f"Idea {n}", body=".").pk for n in range(3)]
    services.idea_support(actor=practitioner, idea=Idea.objects.get(pk=ids[1]))
    client, api = client_for(practitioner), Api(practitioner)
    page_url, api_path = reverse("ideas:list", args=[space.slug]), f"/spaces/{space.slug}/ideas"
    for ask in (lambda: client.get(page_url), lambda: api.get(api_path)):
        ask()  # kept from here on
        with CaptureQueriesContext(connection) as queries:
            assert ask().status_code == 200
        assert len(queries.captured_queries) == 1, [q["sql"][:120] for q in queries.captured_queries]
    assert {row["id"] for row in api.get(api_path).json() if row["supported_by_me"]} == {ids[1]}
    assert client.get(page_url).content.decode().count("You support this") == 1


def test_a_list_read_ahead_for_someone_else_marks_the_callers_own_support(space, member, practitioner):
    """The process guesses wrongly whose token this is (core/ahead.py): which ideas the other person supports,
    read ahead, is not used; the list marks the caller's own."""
    from coproduce.people.models import hash_token
    from coproduce.people.services import accounts

    ids = [services.idea_create(actor=member, space=space, title=f"Idea {n}", body=".").pk for n in range(2)]
    services.idea_support(actor=practitioner, idea=Idea.objects.get(pk=ids[1]))
    api, path = Api(member), f"/spaces/{space.slug}/ideas"
    api.get(path)
    accounts._token_named.put(hash_token(api.raw), practitioner.pk)
    assert not [row for row in api.get(path).json() if row["supported_by_me"]]
    assert [row["id"] for row in Api(practitioner).get(path).json() if row["supported_by_me"]] == [ids[1]]


def test_past_the_supports_read_with_the_space_the_list_asks_for_its_own(
    space, member, practitioner, monkeypatch
):
    ids = [services.idea_create(actor=member, space=space, title=f"Idea {n}", body=".").pk for n in range(4)]
    for pk in ids[:3]:
        services.idea_support(actor=practitioner, idea=Idea.objects.get(pk=pk))
    monkeypatch.setattr(selectors, "SUPPORTS_READ_WITH_SPACE", 2)  # three read: more than all of them
    asked = []
    real = selectors.supported_ids
    monkeypatch.setattr(
        selectors, "supported_ids", lambda user, listed: asked.append(listed) or real(user, listed)
    )
    body = Api(practitioner).get(f"/spaces/{space.slug}/ideas").json()
    assert {row["id"] for row in body if row["supported_by_me"]} == set(ids[:3])
    assert len(asked) == 1 and set(asked[0]) == set(ids)
