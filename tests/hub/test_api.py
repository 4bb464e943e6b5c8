from coproduce.hub.models import Comment, Post, PostStatus


def test_anyone_lists_public_posts(api_for, post, newcomer, general):
    from coproduce.hub import services

    services.post_create(actor=newcomer, category=general, kind="news", title="Held", body="b")
    response = api_for(None).get("/posts?category=general-chat")
    assert response.status_code == 200
    titles = [p["title"] for p in response.json()]
    assert post.title in titles and "Held" not in titles
    assert api_for(None).get(f"/posts/{post.pk}").json()["title"] == post.title
    assert len(api_for(None).get("/posts/categories").json()) == 6


def test_create_comment_react_and_report(api_for, writer, reader, post):
    anonymous = api_for(None).post(
        "/posts", {"category": "housing", "kind": "news", "title": "T", "body": "b"}
    )
    assert anonymous.status_code == 401
    created = api_for(writer).post(
        "/posts", {"category": "housing", "kind": "news", "title": "Via API", "body": "b"}
    )
    assert created.status_code == 201 and created.json()["status"] == "published"
    long = api_for(writer).post(
        "/posts", {"category": "housing", "kind": "news", "title": "L", "body": "z" * 10_001}
    )
    assert long.status_code == 422 or long.status_code == 400
    assert "the limit is 10,000" in long.content.decode()
    client = api_for(reader)
    comment = client.post(f"/posts/{post.pk}/comments", {"body": "Yes"})
    assert comment.status_code == 201
    reply = client.post(f"/posts/{post.pk}/comments", {"body": "And", "parent": comment.json()["id"]})
    deeper = client.post(f"/posts/{post.pk}/comments", {"body": "No", "parent": reply.json()["id"]})
    assert deeper.status_code in (400, 422)
    assert client.post(f"/posts/{post.pk}/helped").json() == {"helped": True, "helped_count": 1}
    assert client.post(f"/posts/{post.pk}/helped").json() == {"helped": False, "helped_count": 0}
    assert client.post(f"/posts/{post.pk}/report", {"reason": "Spam"}).status_code == 201
    assert len(api_for(reader).get(f"/posts/{post.pk}").json()["comments"]) == 2


def test_moderation_is_for_admins(api_for, reader, admin_user, post):
    api_for(reader).post(f"/posts/{post.pk}/report", {"reason": "Spam"})
    assert api_for(reader).get("/posts/moderation").status_code == 404
    assert api_for(reader).post(f"/posts/{post.pk}/hide", {"reason": "x"}).status_code == 404
    admin = api_for(admin_user)
    assert len(admin.get("/posts/moderation").json()["reports"]) == 1
    hidden = admin.post(f"/posts/{post.pk}/hide", {"reason": "Spam"})
    assert hidden.status_code == 200 and hidden.json()["body"] is None
    assert api_for(None).get(f"/posts/{post.pk}").status_code == 404
    assert admin.post(f"/posts/{post.pk}/restore").json()["status"] == "published"


def test_admin_publishes_a_held_post(api_for, newcomer, admin_user):
    held = api_for(newcomer).post(
        "/posts", {"category": "community", "kind": "news", "title": "Hi", "body": "b"}
    )
    assert held.json()["status"] == "held"
    assert api_for(None).get(f"/posts/{held.json()['id']}").status_code == 404
    assert api_for(admin_user).post(f"/posts/{held.json()['id']}/publish").json()["status"] == "published"
    assert Post.objects.get(pk=held.json()["id"]).status == PostStatus.PUBLISHED


def test_admin_hides_a_comment(api_for, reader, admin_user, post):
    comment = api_for(reader).post(f"/posts/{post.pk}/comments", {"body": "Rude"}).json()
    out = api_for(admin_user).post(f"/posts/{post.pk}/comments/{comment['id']}/hide", {"reason": "Be kind"})
    assert out.status_code == 200 and out.json()["body"] is None
    assert Comment.objects.get(pk=comment["id"]).is_hidden
