"""Queries with their SQL built once (core/prepared.py), and the session engines that read with them
(core/sessions): the rows are the ones the ORM gives, with the same types, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends import cached_db as django_cached_db
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.db.models import Count, Q
from django.utils import timezone

from coproduce.core.prepared import Prepared, Together
from coproduce.core.sessions import cached_db, db
from coproduce.notifications.models import Notification
from coproduce.people import sessions as people_sessions
from coproduce.people.backends import PERSON
from coproduce.people.models import User
from coproduce.spaces.models import Membership, Space

pytestmark = pytest.mark.django_db


def fields(instance, *extra: str) -> dict:
    """Every column of the row and the annotations named, as Python values."""
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    return values | {name: getattr(instance, name) for name in extra}


def test_the_person_with_their_unread_count_is_the_one_the_orm_reads(member, host):
    for n, read in ((3, False), (2, True)):
        for i in range(n):
            Notification.objects.create(
                recipient=member,
                kind="idea.commented",
                key=f"{read}-{i}",
                read_at=timezone.now() if read else None,
            )
    annotated = User.objects.annotate(
        unread_notifications=Count("notifications", filter=Q(notifications__read_at__isnull=True))
    )
    for person in (member, host):
        expected = annotated.get(pk=person.pk)
        found = PERSON.first(person.pk)
        assert fields(found, "unread_notifications") == fields(expected, "unread_notifications")
        assert type(found.date_joined) is type(expected.date_joined) and found.date_joined.tzinfo is not None
    assert PERSON.first(member.pk).unread_notifications == 3
    assert PERSON.first(host.pk).unread_notifications == 0
    assert PERSON.first(-5) is None


def test_several_values_order_and_every_row(space, member, host):
    memberships = Prepared(
        lambda space_id, role: Membership.objects.filter(space_id=space_id, role=role),
        values=(int, str),
    )
    for role in ("member", "host", "nobody"):
        expected = list(Membership.objects.filter(space=space, role=role))
        assert [fields(m) for m in memberships.all(space.pk, role)] == [fields(m) for m in expected]
    assert memberships.first(space.pk, "host").user_id == host.pk


def test_only_some_columns_the_rest_deferred_as_the_orm_defers_them(space, member):
    only_role = Prepared(
        lambda space_id, user_id: Membership.objects.filter(space_id=space_id, user_id=user_id).only("role"),
        values=(int, int),
    )
    expected = Membership.objects.filter(space=space, user=member).only("role").get()
    found = only_role.first(space.pk, member.pk)
    assert found is not None and found.pk == expected.pk and found.role == expected.role
    assert (
        found.get_deferred_fields() == expected.get_deferred_fields()
        and "joined_at" in found.get_deferred_fields()
    )
    assert found.joined_at == expected.joined_at, "a deferred column is read when asked for, as the ORM does"
    assert found._state.db == "default" and not found._state.adding


def test_what_cannot_be_prepared_is_refused_at_once(space):
    twice = Prepared(lambda slug: Space.objects.filter(Q(slug=slug) | Q(title=slug)), values=(str,))
    with pytest.raises(ValueError, match="2 times"):
        twice.first("a")
    absent = Prepared(lambda slug: Space.objects.filter(slug="fixed"), values=(str,))
    with pytest.raises(ValueError, match="0 times"):
        absent.first("a")
    related = Prepared(lambda pk: Membership.objects.select_related("user").filter(pk=pk), values=(int,))
    with pytest.raises(ValueError, match="select_related"):
        related.first(1)
    with pytest.raises(TypeError):
        Prepared(lambda slug: Space.objects.filter(slug=slug), values=(str,)).first("a", "b")
    with pytest.raises(TypeError, match="int or str"):
        Prepared(lambda when: Space.objects.filter(created_at=when), values=(float,))


def test_queries_asked_together_each_find_what_they_find_alone(
    space, member, outsider, django_assert_num_queries
):
    by_slug = Prepared(lambda slug: Space.objects.filter(slug=slug), values=(str,))
    membership = Prepared(
        lambda slug, user_id: Membership.objects.filter(space__slug=slug, user_id=user_id), values=(str, int)
    )
    together = Together(by_slug, PERSON, membership)
    for slug, person in ((space.slug, member), (space.slug, outsider), ("nowhere", member)):
        with django_assert_num_queries(1):
            found = together.first((slug,), (person.pk,), (slug, person.pk))
        alone = (by_slug.first(slug), PERSON.first(person.pk), membership.first(slug, person.pk))
        assert len(found) == 3
        for mine, theirs in zip(found, alone, strict=True):
            assert (mine is None) == (theirs is None)
            if mine is not None:
                assert fields(mine) == fields(theirs) and type(mine) is type(theirs)
        assert found[1].unread_notifications == 0, "annotations come through"
    assert together.first((space.slug,), (-5,), (space.slug, -5))[1:] == (None, None)


def test_many_rows_asked_together_come_as_a_list_beside_the_others(space, member, outsider):
    by_slug = Prepared(lambda slug: Space.objects.filter(slug=slug), values=(str,))
    memberships = Prepared(lambda slug: Membership.objects.filter(space__slug=slug), values=(str,))
    together = Together(by_slug, PERSON, many=memberships)
    found_space, person, rows = together.first((space.slug,), (member.pk,), (space.slug,))
    assert fields(found_space) == fields(Space.objects.get(pk=space.pk)) and person.pk == member.pk
    expected = Membership.objects.filter(space=space)
    assert len(rows) == expected.count() > 1
    assert sorted((fields(m) for m in rows), key=lambda f: f["id"]) == [
        fields(m) for m in expected.order_by("id")
    ]
    assert together.first(("nowhere",), (outsider.pk,), ("nowhere",)) == (None, PERSON.first(outsider.pk), [])
    assert together.first((space.slug,), (-5,), ("nowhere",))[1:] == (None, [])


def test_a_query_asked_together_must_find_one_row_at_most(space):
    every = Prepared(lambda slug: Membership.objects.filter(space__slug=slug), values=(str,))
    PERSON_ROWS = Prepared(lambda slug: User.objects.filter(memberships__space__slug=slug), values=(str,))  # noqa: N806
    with pytest.raises(ValueError, match="rows more than one"):
        Together(every, PERSON).first((space.slug,), (1,))
    with pytest.raises(TypeError):
        Together(every, PERSON).first((space.slug,))
    with pytest.raises(ValueError, match="two"):
        Together(every)
    with pytest.raises(ValueError, match="more than one row"):  # beside many rows too
        Together(every, many=PERSON_ROWS).first((space.slug,), (space.slug,))


@pytest.mark.parametrize(
    ("ours", "djangos"),
    [
        (db.SessionStore, django_db.SessionStore),
        (cached_db.SessionStore, django_cached_db.SessionStore),
        (people_sessions.SessionStore, django_db.SessionStore),
    ],
)
def test_sessions_read_alike_and_none_is_lost_in_changing_engines(ours, djangos, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    theirs = djangos()
    theirs["person"] = 17
    theirs.save()
    assert ours(theirs.session_key).load() == {"person": 17}  # signed with the same key: nobody signed out
    mine = ours()
    mine["person"] = 18
    mine.save()
    assert djangos(mine.session_key).load() == {"person": 18}  # and back, if the engine were changed back


def test_an_expired_or_unknown_session_is_empty_and_forgotten():
    store = db.SessionStore()
    store["person"] = 17
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = db.SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    unknown = db.SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_a_session_s_signature_is_checked_once_and_its_contents_read_afresh(monkeypatch):
    store = db.SessionStore()
    store["methods"] = [{"method": "password"}]
    store.save()
    data = Session.objects.get(session_key=store.session_key).session_data
    first = db.SessionStore().decode(data)
    first["methods"].append({"method": "changed in place"})  # what one request does to its own session
    checks = []
    monkeypatch.setattr(django_db.SessionStore, "decode", lambda self, text: checks.append(text) or {})
    assert db.SessionStore().decode(data) == {"methods": [{"method": "password"}]}, "read afresh"
    assert checks == [], "the signature of the same text was checked once"
    forged = data[:-2] + ("A" if data[-2] != "A" else "B") + data[-1]
    assert db.SessionStore().decode(forged) == {} and checks == [forged], "another text is checked"


def test_a_space_with_the_persons_membership_as_the_orm_reads_them(space, member, outsider):
    from coproduce.spaces import access

    found = access.get_space_for(member, space.slug)
    assert fields(found) == fields(Space.objects.get(pk=space.pk))
    assert fields(access.membership_of(member, found)) == fields(
        Membership.objects.get(space=space, user=member)
    )
    assert access.membership_of(outsider, access.get_space_for(outsider, space.slug)) is None
