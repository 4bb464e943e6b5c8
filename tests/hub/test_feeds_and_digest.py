import datetime as dt
from xml.etree import ElementTree

from django.core import mail
from django.utils import timezone

from coproduce.hub import digest, services
from coproduce.hub.models import DigestChoice

ATOM = "{http://www.w3.org/2005/Atom}"


def _titles(response) -> list[str]:
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    return [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]


def test_the_feeds_carry_public_posts_only(client_for, writer, newcomer, admin_user, general, housing, post):
    held = services.post_create(actor=newcomer, category=general, kind="news", title="Held one", body="b")
    hidden = services.post_create(actor=writer, category=general, kind="news", title="Hidden one", body="b")
    services.post_hide(actor=admin_user, post=hidden, reason="Spam")
    in_housing = services.post_create(
        actor=writer, category=housing, kind="job", title="Housing officer", body="<b>x</b>"
    )
    response = client_for(None).get("/hub/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    titles = _titles(response)
    assert post.title in titles and in_housing.title in titles
    assert held.title not in titles and hidden.title not in titles
    assert _titles(client_for(None).get("/hub/c/housing/feed/")) == ["Housing officer"]
    assert client_for(None).get("/hub/c/nope/feed/").status_code == 404
    assert b"<b>x</b>" not in response.content


def _choose(person):
    services.digest_choose(actor=person, user=person, weekly=True)


def test_the_digest_is_sent_once_a_week(tasks_now, reader, post, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _choose(reader)
    assert digest.send_weekly() == 1
    assert digest.send_weekly() == 0  # the same week: never twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert post.title in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    next_week = timezone.now() + dt.timedelta(days=7)
    services.post_create(actor=reader, category=post.category, kind="news", title="Later", body="b")
    from coproduce.hub.models import Post

    Post.objects.filter(title="Later").update(published_at=next_week - dt.timedelta(days=1))
    assert digest.send_weekly(now=next_week) == 1


def test_the_weekly_task_runs_through_the_queue(tasks_now, reader, post, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from coproduce.hub.tasks import send_hub_digests

    _choose(reader)
    send_hub_digests()
    assert len(mail.outbox) == 1


def test_nobody_who_did_not_choose_it_gets_the_digest(reader, writer, post, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest.send_weekly() == 0 and mail.outbox == []


def test_unsubscribe_works_without_signing_in(client_for, reader):
    _choose(reader)
    token = digest.unsubscribe_token(reader)
    anonymous = client_for(None)
    assert anonymous.get(f"/hub/digest/unsubscribe/{token}/").status_code == 200
    assert DigestChoice.objects.get(user=reader).weekly  # a GET (a link scanner) changes nothing
    assert anonymous.post(f"/hub/digest/unsubscribe/{token}/").status_code == 200
    assert not DigestChoice.objects.get(user=reader).weekly
    assert anonymous.post(f"/hub/digest/unsubscribe/{token}x/").status_code == 400


def test_the_choice_on_the_persons_hub_page(client_for, reader):
    client = client_for(reader)
    assert "Send me a weekly digest" in client.get("/hub/me/").content.decode()
    client.post("/hub/me/", {"weekly": "on"})
    assert DigestChoice.objects.get(user=reader).weekly
    client.post("/hub/me/", {})
    assert not DigestChoice.objects.get(user=reader).weekly
