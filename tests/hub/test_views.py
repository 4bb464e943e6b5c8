import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.hub import selectors, services
from coproduce.hub.models import Category, Comment, Post, PostStatus


def test_anyone_reads_the_public_hub_and_writing_needs_signing_in(client_for, post):
    anonymous = client_for(None)
    page = anonymous.get("/hub/")
    assert page.status_code == 200 and post.title in page.content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in page.content.decode()
    assert anonymous.get(post.get_absolute_url()).status_code == 200
    assert anonymous.get("/hub/c/general-chat/").status_code == 200
    assert anonymous.get("/hub/write/").status_code == 302
    assert anonymous.post(f"/hub/posts/{post.pk}/comments/", {"body": "hi"}).status_code == 302
    assert not Comment.objects.exists()


def test_a_private_hub_is_for_people_signed_in(client_for, post, reader, settings):
    settings.HUB_PUBLIC = False
    assert client_for(None).get("/hub/").status_code == 302
    assert client_for(None).get(post.get_absolute_url()).status_code == 302
    assert client_for(None).get("/hub/feed/").status_code == 404
    assert client_for(reader).get(post.get_absolute_url()).status_code == 200


def test_the_main_navigation_has_one_hub_link(client_for, reader):
    page = client_for(reader).get("/").content.decode()
    assert page.count('href="/hub/"') == 1


def test_write_a_post_in_a_category(client_for, writer, housing):
    response = client_for(writer).post(
        "/hub/write/",
        {
            "category": housing.pk,
            "kind": "question",
            "title": "Tenant panels",
            "body": "Para one\n\nSee https://example.org",
        },
    )
    post = Post.objects.get(title="Tenant panels")
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    page = client_for(None).get(post.get_absolute_url()).content.decode()
    assert "<p>Para one</p>" in page
    assert 'href="https://example.org"' in page
    assert "Question added by Wanda Writer under Housing" in page


def test_html_from_members_is_shown_as_text(client_for, writer, general):
    post = services.post_create(
        actor=writer, category=general, kind="news", title="<b>Bold</b>", body="<script>alert(1)</script>"
    )
    page = client_for(None).get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>Bold</b>" not in page


def test_an_over_long_post_keeps_the_form_with_a_plain_error(client_for, writer, general):
    response = client_for(writer).post(
        "/hub/write/", {"category": general.pk, "kind": "news", "title": "Long one", "body": "y" * 12_400}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your post is 12,400 characters; the limit is 10,000. Shorten it and try again." in page
    assert 'value="Long one"' in page and "y" * 100 in page
    assert not Post.objects.filter(title="Long one").exists()


def test_the_rate_limit_message_on_the_page(client_for, writer, general):
    cache.clear()
    client = client_for(writer)
    for i in range(5):
        client.post("/hub/write/", {"category": general.pk, "kind": "news", "title": f"P{i}", "body": "b"})
    response = client.post(
        "/hub/write/", {"category": general.pk, "kind": "news", "title": "P6", "body": "b"}
    )
    assert response.status_code == 400
    assert (
        "You have posted 5 times in the last hour. Please wait before posting again."
        in response.content.decode()
    )


def test_a_new_members_post_is_held_and_only_they_see_it(client_for, newcomer, general, reader):
    client_for(newcomer).post(
        "/hub/write/", {"category": general.pk, "kind": "news", "title": "First", "body": "b"}
    )
    post = Post.objects.get(title="First")
    assert post.status == PostStatus.HELD
    assert "Waiting for a moderator" in client_for(newcomer).get(post.get_absolute_url()).content.decode()
    assert client_for(reader).get(post.get_absolute_url()).status_code == 404
    assert "First" not in client_for(None).get("/hub/").content.decode()


def test_comment_and_reply_on_the_page(client_for, reader, writer, post):
    client_for(reader).post(f"/hub/posts/{post.pk}/comments/", {"body": "We pay vouchers"})
    comment = Comment.objects.get()
    client_for(writer).post(f"/hub/posts/{post.pk}/comments/", {"body": "Thanks", "parent": comment.pk})
    reply = Comment.objects.get(parent=comment)
    response = client_for(reader).post(
        f"/hub/posts/{post.pk}/comments/", {"body": "Deeper", "parent": reply.pk}
    )
    assert response.status_code == 400
    assert "Replies cannot be replied to" in response.content.decode()
    page = client_for(None).get(post.get_absolute_url()).content.decode()
    assert "We pay vouchers" in page and "Thanks" in page


def test_this_helped_toggles(client_for, reader, post):
    client = client_for(reader)
    client.post(f"/hub/posts/{post.pk}/helped/")
    post.refresh_from_db()
    assert post.helped_count == 1
    client.post(f"/hub/posts/{post.pk}/helped/")
    post.refresh_from_db()
    assert post.helped_count == 0


def test_report_then_admin_hides_then_restores(client_for, reader, admin_user, post):
    assert client_for(reader).post(f"/hub/posts/{post.pk}/report/", {"reason": ""}).status_code == 400
    client_for(reader).post(f"/hub/posts/{post.pk}/report/", {"reason": "Advert"})
    admin = client_for(admin_user)
    assert "Advert" in admin.get("/hub/moderation/").content.decode()
    admin.post(f"/hub/posts/{post.pk}/hide/", {"reason": "Advertising is not allowed"})
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN
    assert client_for(reader).get(post.get_absolute_url()).status_code == 404
    admin.post(f"/hub/posts/{post.pk}/restore/")
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


@pytest.mark.parametrize("path", ["/hub/moderation/", "/hub/categories/"])
def test_moderation_pages_are_404_for_members(client_for, reader, path):
    assert client_for(reader).get(path).status_code == 404
    assert client_for(None).get(path).status_code == 302


def test_admin_adds_a_category(client_for, admin_user):
    client_for(admin_user).post("/hub/categories/", {"name": "Transport", "description": "", "position": 5})
    assert Category.objects.filter(slug="transport").exists()


def test_the_home_page_queries_do_not_grow_with_posts(client_for, reader, general, housing):
    from django.utils import timezone

    from coproduce.hub.models import Post as P

    def count():
        client = client_for(reader)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/hub/").status_code == 200
        return len(queries)

    def add(n):
        now = timezone.now()
        P.objects.bulk_create(
            P(
                category=general if i % 2 else housing,
                author=reader,
                kind="news",
                title=f"T{i}",
                body="b",
                status=PostStatus.PUBLISHED,
                published_at=now,
            )
            for i in range(n)
        )
        selectors.recount()

    add(5)
    few = count()
    add(60)
    assert count() == few
    assert "T59" in client_for(reader).get("/hub/").content.decode()
    assert Category.objects.get(pk=housing.pk).post_count == 33
