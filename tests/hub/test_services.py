import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.core.models import AuditEvent
from coproduce.hub import access, services
from coproduce.hub.models import Comment, Helped, Post, PostStatus, Report
from coproduce.notifications.models import Notification


def test_a_trusted_member_posts_at_once_and_it_is_audited(writer, general):
    post = services.post_create(
        actor=writer, category=general, kind="news", title="New toolkit", body="Out now"
    )
    assert post.status == PostStatus.PUBLISHED and post.published_at is not None
    assert AuditEvent.objects.filter(action="hub.post_created", target_id=post.pk).exists()


def test_a_long_post_is_refused_with_its_length_and_the_limit(writer, general):
    with pytest.raises(ValidationError) as error:
        services.post_create(actor=writer, category=general, kind="news", title="Long", body="x" * 12_400)
    assert error.value.message_dict["body"] == [
        "Your post is 12,400 characters; the limit is 10,000. Shorten it and try again."
    ]
    assert not Post.objects.filter(title="Long").exists()


def test_a_long_title_and_comment_are_refused(writer, general, post):
    with pytest.raises(ValidationError) as error:
        services.post_create(actor=writer, category=general, kind="news", title="t" * 201, body="b")
    assert "the limit is 200" in error.value.message_dict["title"][0]
    with pytest.raises(ValidationError) as error:
        services.comment_create(actor=writer, post=post, body="c" * 3001)
    assert "Your comment is 3,001 characters; the limit is 3,000." in error.value.message_dict["body"][0]


def test_a_new_members_first_posts_are_held(newcomer, general, admin_user):
    post = services.post_create(
        actor=newcomer, category=general, kind="question", title="Hello", body="Hi all"
    )
    assert post.status == PostStatus.HELD and post.published_at is None
    assert access.can_see_post(newcomer, post) and access.can_see_post(admin_user, post)
    from django.contrib.auth.models import AnonymousUser

    assert not access.can_see_post(AnonymousUser(), post)
    services.post_publish(actor=admin_user, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert Notification.objects.filter(recipient=newcomer, kind="hub_post_published").exists()
    with pytest.raises(ValidationError):
        services.post_publish(actor=admin_user, post=post)  # twice: told it is done


def test_an_old_account_with_two_published_posts_is_not_new(writer, newcomer):
    assert not access.is_new_member(writer)
    assert access.is_new_member(newcomer)
    newcomer.date_joined = timezone.now() - dt.timedelta(days=60)
    newcomer.save()
    assert access.is_new_member(newcomer)  # an old account, but no post let through yet


def test_links_are_limited_for_new_members(newcomer, writer, general):
    body = "See https://one.example.org and https://two.example.org"
    with pytest.raises(ValidationError) as error:
        services.post_create(actor=newcomer, category=general, kind="news", title="Links", body=body)
    assert "New members can put 1 link" in error.value.message_dict["body"][0]
    services.post_create(
        actor=newcomer, category=general, kind="news", title="One", body="https://one.example.org"
    )
    services.post_create(actor=writer, category=general, kind="news", title="Links", body=body)


def test_posting_is_limited_per_hour(writer, general):
    cache.clear()
    for i in range(access.POSTS_PER_HOUR):
        services.post_create(actor=writer, category=general, kind="news", title=f"Post {i}", body="b")
    with pytest.raises(ValidationError) as error:
        services.post_create(actor=writer, category=general, kind="news", title="One more", body="b")
    assert error.value.messages == [
        "You have posted 5 times in the last hour. Please wait before posting again."
    ]
    assert not Post.objects.filter(title="One more").exists()


def test_commenting_is_limited_per_hour(writer, reader, post):
    cache.clear()
    for _ in range(access.COMMENTS_PER_HOUR):
        services.comment_create(actor=reader, post=post, body="yes")
    with pytest.raises(ValidationError, match="commented 20 times in the last hour"):
        services.comment_create(actor=reader, post=post, body="again")


def test_replies_go_one_level_only(reader, writer, post):
    comment = services.comment_create(actor=reader, post=post, body="Good question")
    reply = services.comment_create(actor=writer, post=post, body="Thanks", parent=comment)
    with pytest.raises(ValidationError, match="Replies cannot be replied to"):
        services.comment_create(actor=reader, post=post, body="Deeper", parent=reply)
    post.refresh_from_db()
    assert post.comment_count == 2


def test_this_helped_is_once_per_person_and_toggles(reader, post):
    assert services.helped_toggle(actor=reader, post=post) is True
    post.refresh_from_db()
    assert post.helped_count == 1
    assert services.helped_toggle(actor=reader, post=post) is False
    post.refresh_from_db()
    assert post.helped_count == 0 and not Helped.objects.exists()


def test_the_database_holds_one_helped_per_person(reader, post):
    Helped.objects.create(user=reader, post=post)
    with pytest.raises(IntegrityError), transaction.atomic():
        Helped.objects.create(user=reader, post=post)


def test_report_hide_and_restore(reader, writer, admin_user, post):
    services.report_create(actor=reader, post=post, reason="It is an advert")
    with pytest.raises(ValidationError, match="already reported"):
        services.report_create(actor=reader, post=post, reason="Again")
    with pytest.raises(PermissionDenied):
        services.post_hide(actor=reader, post=post, reason="no")
    with pytest.raises(ValidationError):
        services.post_hide(actor=admin_user, post=post, reason=" ")
    services.post_hide(actor=admin_user, post=post, reason="Advertising")
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN and post.hidden_reason == "Advertising"
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    told = Notification.objects.get(recipient=writer, kind="hub_post_hidden")
    assert told.text == "Advertising"
    services.post_restore(actor=admin_user, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.hidden_reason == ""
    actions = set(AuditEvent.objects.filter(target_id=post.pk).values_list("action", flat=True))
    assert {"hub.reported", "hub.post_hidden", "hub.post_restored"} <= actions


def test_hiding_a_comment_tells_its_author_and_keeps_the_count(reader, admin_user, post):
    comment = services.comment_create(actor=reader, post=post, body="Rude words")
    services.report_create(actor=admin_user, comment=comment, reason="Rude")
    services.comment_hide(actor=admin_user, comment=comment, reason="Be kind")
    post.refresh_from_db()
    assert post.comment_count == 0
    assert Notification.objects.filter(recipient=reader, kind="hub_comment_hidden").exists()
    services.comment_restore(actor=admin_user, comment=comment)
    post.refresh_from_db()
    assert post.comment_count == 1 and not Comment.objects.get(pk=comment.pk).is_hidden


def test_only_admins_set_categories(writer, admin_user):
    with pytest.raises(PermissionDenied):
        services.category_create(actor=writer, name="Transport")
    category = services.category_create(actor=admin_user, name="Transport")
    assert category.slug == "transport"
    with pytest.raises(ValidationError):
        services.category_create(actor=admin_user, name="transport")


def test_the_seeded_categories(db):
    from coproduce.hub.models import Category

    assert list(Category.objects.values_list("name", flat=True)) == [
        "General Chat",
        "Tools & Methods",
        "Evaluation & Measuring Impact",
        "Health & Social Care",
        "Housing",
        "Community",
    ]


def test_search_gets_only_visible_posts(writer, newcomer, admin_user, general, post):
    from coproduce.hub import selectors

    held = services.post_create(actor=newcomer, category=general, kind="news", title="Held", body="b")
    hidden = services.post_create(actor=writer, category=general, kind="news", title="Hidden", body="b")
    services.post_hide(actor=admin_user, post=hidden, reason="Spam")
    pks = {d.pk for d in selectors.search_documents("hub.post", None)}
    assert post.pk in pks and held.pk not in pks and hidden.pk not in pks
    assert list(selectors.search_documents("ideas.idea", None)) == []
    assert [d.pk for d in selectors.search_documents("hub.post", [post.pk, hidden.pk])] == [post.pk]


def test_the_search_is_told_of_changes(writer, admin_user, general, django_capture_on_commit_callbacks):
    from coproduce.core import registry
    from coproduce.core.registry import ModuleManifest

    told = []
    registry.register(
        ModuleManifest(
            name="search-stub",
            label="s",
            description="s",
            stages=(),
            hooks={"search_reindex": lambda kind, pks: told.append((kind, pks))},
        )
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post = services.post_create(actor=writer, category=general, kind="news", title="T", body="b")
        with django_capture_on_commit_callbacks(execute=True):
            services.post_hide(actor=admin_user, post=post, reason="Spam")
        with django_capture_on_commit_callbacks(execute=True):
            services.post_restore(actor=admin_user, post=post)
    finally:
        registry.unregister("search-stub")
    assert told == [("hub.post", [post.pk])] * 3
