"""notify(): one row per person and event, the recipient rule, email once, digests, unsubscribe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from coproduce.core.models import AuditEvent
from coproduce.notifications import access, mailing, selectors, services, tasks
from coproduce.notifications.kinds import Delivery
from coproduce.notifications.models import Notification, Preference
from coproduce.spaces import services as space_services
from coproduce.spaces.models import StageKind

# --- notify() -----------------------------------------------------------------------------------


def test_the_same_event_twice_makes_one_row_per_person(space, host, member, practitioner):
    for _ in range(2):  # a retried task, a double submit
        rows = services.notify(
            kind="stage_opened",
            recipients=[member, practitioner, member],
            params={"stage": StageKind.CO_DESIGN},
            url=space.get_absolute_url(),
            space=space,
            actor=host,
            key=f"stage_opened:{space.pk}:co_design",
        )
        assert sorted(r.recipient_id for r in rows) == sorted([member.pk, practitioner.pk])
    assert Notification.objects.count() == 2


def test_nobody_is_told_about_their_own_act_and_inactive_people_get_nothing(space, host, member, outsider):
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    rows = services.notify(
        kind="stage_closed",
        recipients=[host, member, outsider],
        params={"stage": "co_design"},
        url="/",
        space=space,
        actor=host,
        key="stage_closed:1",
    )
    assert [r.recipient for r in rows] == [member]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"kind": "no_such_kind"}, "unknown notification kind"),
        ({"params": {}}, "needs params ['title']"),
        ({"url": "https://evil.example/"}, "path on this site"),
        ({"url": "//evil.example/"}, "path on this site"),
        ({"key": ""}, "key must name the event"),
    ],
)
def test_mistakes_in_the_calling_code_are_caught_before_anything_is_written(space, member, change, message):
    call = {
        "kind": "idea_status_changed",
        "recipients": [member],
        "params": {"title": "Evening opening"},
        "url": "/",
        "space": space,
        "key": "idea_status_changed:1",
    } | change
    with pytest.raises(ValueError, match=re.escape(message)):
        services.notify(**call)
    assert not Notification.objects.exists()


def test_the_sentence_is_written_when_read_with_the_current_space_title(space, host, member, approve):
    approve(member)
    space.title = "New drop-in"
    space.save(update_fields=["title"])
    shown = selectors.present(selectors.inbox(member), member)
    assert [s.title for s in shown] == ["Your request to join New drop-in was approved"]
    assert Notification.objects.get().params == {}  # no rendered text stored
    assert selectors.language_for(member) == "en-gb"


def test_choice_params_are_translated_labels_and_dates_are_local(space, host, member):
    services.notify(
        kind="stage_opened",
        recipients=[member],
        params={"stage": StageKind.CO_DESIGN},
        url="/",
        space=space,
        key="s",
    )
    services.notify(
        kind="meeting_reminder",
        recipients=[member],
        params={
            "title": "Open meeting",
            "starts_at": dt.datetime(2026, 6, 1, 17, 0, tzinfo=dt.UTC).isoformat(),
        },
        url="/",
        space=space,
        key="m",
    )
    titles = {s.title for s in selectors.present(selectors.inbox(member), member)}
    assert "The Co-design stage of Drop-in redesign has opened" in titles
    assert "Reminder: “Open meeting” starts on 1 Jun 2026, 6 p.m." in titles  # Europe/London, summer time


# --- The recipient rule: people who take part with help -----------------------------------------


def test_people_taking_part_with_help_are_never_emailed_and_their_helpers_see_them(
    space,
    private_space,
    host,
    facilitator,
    member,
    outsider,
    margaret,
    approve,
    tasks_now,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(margaret, text="Welcome, Margaret")
    assert Notification.objects.filter(recipient=margaret).count() == 1
    assert mailoutbox == []
    assert not access.may_email(margaret) and access.needs_helper(margaret)
    for helper in (host, facilitator):
        assert [n.recipient for n in access.helped_notifications_for(helper)] == [margaret]
    for other in (member, outsider):
        assert not access.helped_notifications_for(other).exists()


def test_helpers_see_only_what_is_about_spaces_they_run(space, private_space, host, facilitator, margaret):
    # Margaret is not in the private space; the facilitator who added her is its facilitator too.
    services.notify(
        kind="stage_opened",
        recipients=[margaret],
        params={"stage": "co_design"},
        url="/",
        space=private_space,
        key="a",
    )
    services.notify(kind="credits_received", recipients=[margaret], params={"hours": "2"}, url="/", key="b")
    assert [n.key for n in access.helped_notifications_for(facilitator)] == ["b"]  # she was added by him
    assert not access.helped_notifications_for(host).exists()  # the host did not add her


def test_people_who_asked_to_be_contacted_another_way_are_not_emailed(
    space, host, member, approve, tasks_now, django_capture_on_commit_callbacks, mailoutbox
):
    member.contact_preference = "phone"
    member.save(update_fields=["contact_preference"])
    with django_capture_on_commit_callbacks(execute=True):
        approve(member)
    assert mailoutbox == []
    assert [n.recipient for n in access.helped_notifications_for(host)] == [member]


# --- Email straight away --------------------------------------------------------------------------


def test_an_immediate_email_is_sent_once_even_when_the_task_runs_twice(
    space, host, member, approve, tasks_now, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.SITE_URL = "https://coproduce.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        approve(member)
        approve(member)  # a double call queues it again
    assert len(mailoutbox) == 1
    notification = Notification.objects.get()
    assert tasks.send_notification_email.call_local(notification.pk) is False  # a retry
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [member.email]
    assert message.subject == "Your request to join Drop-in redesign was approved"
    assert f"https://coproduce.example.org/notifications/{notification.pk}/" in message.body
    assert Notification.objects.get().emailed_at is not None


def test_nothing_is_sent_before_the_transaction_commits(space, member, approve, tasks_now, mailoutbox):
    approve(member)  # the test's transaction never commits
    assert mailoutbox == []


def test_choices_are_respected(
    space, member, practitioner, approve, choose, tasks_now, django_capture_on_commit_callbacks, mailoutbox
):
    choose(member, "join_request_approved", Delivery.NEVER)
    choose(practitioner, "join_request_approved", Delivery.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        approve(member)
        approve(practitioner)
    assert mailoutbox == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2  # still in both inboxes


def test_a_failed_send_gives_the_claim_back_and_raises_for_a_retry(
    space, member, approve, monkeypatch, mailoutbox
):
    notification = approve(member)[0]

    class Down:
        def send_messages(self, messages):
            raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(mailing, "_connection", lambda: Down())
    with pytest.raises(ConnectionRefusedError):
        mailing.send_one(notification.pk)
    assert Notification.objects.get().emailed_at is None
    monkeypatch.undo()
    assert mailing.send_one(notification.pk) is True
    assert len(mailoutbox) == 1


def test_every_email_has_one_click_unsubscribe_headers(space, member, approve, mailoutbox, settings):
    settings.SITE_URL = "https://coproduce.example.org"
    mailing.send_one(approve(member)[0].pk)
    message = mailoutbox[0]
    link = re.search(
        r"<(https://coproduce\.example\.org/notifications/unsubscribe/[^/]+/)>",
        message.extra_headers["List-Unsubscribe"],
    )
    assert link and link.group(1) in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # and they survive into the message as sent
    raw = message.message()
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_title_with_line_breaks_cannot_add_headers(space, member, mailoutbox):
    row = services.notify(
        kind="idea_status_changed",
        recipients=[member],
        params={"title": "Evening\r\nBcc: everyone@example.org\nopening"},
        url="/",
        space=space,
        key="x",
    )[0]
    assert mailing.send_one(row.pk) is True
    message = mailoutbox[0]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == [] and message.message()["Bcc"] is None
    assert message.subject == "The status of the idea “Evening Bcc: everyone@example.org opening” changed"


# --- Unsubscribe --------------------------------------------------------------------------------


def _unsubscribe_path(message) -> str:
    return re.search(r"https?://[^/]+(/notifications/unsubscribe/[^/\s]+/)", message.body).group(1)


def test_the_unsubscribe_link_works_without_signing_in(space, member, approve, mailoutbox):
    mailing.send_one(approve(member)[0].pk)
    path = _unsubscribe_path(mailoutbox[0])
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(path)
    assert page.status_code == 200 and "Your request to join is approved" in page.content.decode()
    assert not Preference.objects.exists()  # a GET (a link checker, a preview) changes nothing
    done = anonymous.post(path, {"List-Unsubscribe": "One-Click"})  # RFC 8058: no cookie, no CSRF token
    assert done.status_code == 200 and "You will not get these emails any more" in done.content.decode()
    assert Preference.objects.get(user=member, kind="join_request_approved").delivery == Delivery.NEVER
    event = AuditEvent.objects.get(action="notifications.unsubscribed")
    assert event.actor == member and event.changes == {"join_request_approved": ["immediately", "never"]}


def test_a_tampered_unsubscribe_link_changes_nothing_and_says_so(
    space, member, outsider, approve, mailoutbox
):
    mailing.send_one(approve(member)[0].pk)
    path = _unsubscribe_path(mailoutbox[0])
    token = path.split("/")[-2]
    forged = mailing.unsubscribe_token(outsider, ["join_request_approved"])[:-3] + "abc"
    for bad in (
        path.replace(token, token[:-2] + ("xy" if not token.endswith("xy") else "zz")),
        f"/notifications/unsubscribe/{forged}/",
    ):
        response = Client().post(bad)
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert not Preference.objects.exists()


# --- Digests ------------------------------------------------------------------------------------

MONDAY_7AM = dt.datetime(2026, 5, 4, 7, 0, tzinfo=dt.UTC)


def test_a_daily_digest_gathers_a_day_into_one_email_grouped_by_space_and_kind(
    space, private_space, host, member, practitioner, choose, mailoutbox
):
    for kind in ("join_request_approved", "stage_opened", "credits_received"):
        choose(member, kind, Delivery.DAILY)
    choose(practitioner, "join_request_approved", Delivery.WEEKLY)
    with time_machine.travel(MONDAY_7AM - dt.timedelta(hours=20), tick=False):
        for place in (space, private_space):
            services.notify(
                kind="join_request_approved",
                recipients=[member, practitioner],
                params={},
                url="/",
                space=place,
                key=f"a{place.pk}",
            )
            services.notify(
                kind="stage_opened",
                recipients=[member],
                params={"stage": "co_design"},
                url="/",
                space=place,
                key=f"s{place.pk}",
            )
        services.notify(kind="credits_received", recipients=[member], params={"hours": "2"}, url="/", key="c")
        services.notify(  # "straight away" for this kind: not the digest's
            kind="meeting_cancelled",
            recipients=[member],
            params={"title": "M"},
            url="/",
            space=space,
            key="m",
        )
    with time_machine.travel(MONDAY_7AM - dt.timedelta(days=5), tick=False):
        services.notify(
            kind="credits_received", recipients=[member], params={"hours": "9"}, url="/", key="old"
        )

    with time_machine.travel(MONDAY_7AM, tick=False):
        assert tasks.send_daily_digests.call_local() == 1
        assert mailing.send_digests(Delivery.DAILY) == 0  # a second run finds nothing left
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [member.email]
    assert message.subject == "Your daily summary: 5 notifications"
    body = message.body
    order = [
        body.index("Drop-in redesign\n"),
        body.index("Your request to join Drop-in redesign was approved"),
        body.index("The Co-design stage of Drop-in redesign has opened"),
        body.index("Peer review\n"),
        body.index("Your request to join Peer review was approved"),
        body.index("Across the network"),
        body.index("You received 2 hours of time credits"),
    ]
    assert order == sorted(order)
    assert "9 hours" not in body and "“M”" not in body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The weekly digest is the practitioner's, with nothing of the member's.
    with time_machine.travel(MONDAY_7AM, tick=False):
        assert tasks.send_weekly_digests.call_local() == 1
    assert [m.to for m in mailoutbox[1:]] == [[practitioner.email]]
    assert mailoutbox[1].subject == "Your weekly summary: 2 notifications"


def test_a_digest_that_fails_gives_its_rows_back(space, member, choose, monkeypatch, mailoutbox):
    choose(member, "stage_opened", Delivery.DAILY)
    services.notify(
        kind="stage_opened", recipients=[member], params={"stage": "co_design"}, url="/", space=space, key="s"
    )

    class Down:
        def send_messages(self, messages):
            raise ConnectionRefusedError

    monkeypatch.setattr(mailing, "_connection", lambda: Down())
    with pytest.raises(RuntimeError):
        mailing.send_digests(Delivery.DAILY)
    assert Notification.objects.get().emailed_at is None
    monkeypatch.undo()
    assert mailing.send_digests(Delivery.DAILY) == 1


def test_the_digests_are_scheduled(tasks_now):
    def due(task, moment):
        return any(isinstance(t, task.task_class) for t in tasks_now.read_periodic(moment))

    monday, tuesday = dt.datetime(2026, 5, 4, 7, 0), dt.datetime(2026, 5, 5, 7, 0)
    assert due(tasks.send_daily_digests, monday) and due(tasks.send_daily_digests, tuesday)
    assert due(tasks.send_weekly_digests, monday) and not due(tasks.send_weekly_digests, tuesday)


# --- Never reveal what the reader may not see ----------------------------------------------------


def test_a_person_removed_from_a_private_space_sees_a_neutral_notification(
    private_space, host, member, approve, mailoutbox
):
    row = approve(member, about=private_space, text="See you on Tuesday at the Peer review")[0]
    space_services.membership_end(
        actor=host, membership=private_space.memberships.get(user=member), reason="Moved away"
    )
    member.refresh_from_db()
    shown = selectors.present(selectors.inbox(member), member)[0]
    assert (
        "Peer review" not in shown.title and shown.text == "" and shown.url == "" and shown.space_title == ""
    )
    assert mailing.send_one(row.pk) is True
    body = mailoutbox[0].body + mailoutbox[0].subject
    assert "Peer review" not in body and "Tuesday" not in body


# --- Choices ------------------------------------------------------------------------------------


def test_choices_are_saved_audited_and_checked(member, outsider):
    changes = services.preferences_set(
        actor=member, user=member, choices={"idea_commented": "weekly", "stage_opened": "daily"}
    )
    assert changes == {"idea_commented": ["daily", "weekly"]}  # stage_opened was already daily
    assert selectors.deliveries_for(member)["idea_commented"] == "weekly"
    assert AuditEvent.objects.filter(action="notifications.preferences_changed", actor=member).count() == 1
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError) as error:
        services.preferences_set(
            actor=member, user=member, choices={"idea_commented": "hourly", "nope": "daily"}
        )
    assert set(error.value.message_dict) == {"idea_commented", "nope"}
    with pytest.raises(PermissionDenied):
        services.preferences_set(actor=outsider, user=member, choices={"idea_commented": "never"})
    assert Preference.objects.filter(user=member).count() == 1


def test_marking_read(space, member, approve):
    first, second = approve(member, 1)[0], approve(member, 2)[0]
    services.notification_mark_read(actor=member, notification=first)
    read_at = Notification.objects.get(pk=first.pk).read_at
    assert read_at is not None
    services.notification_mark_read(actor=member, notification=Notification.objects.get(pk=first.pk))
    assert Notification.objects.get(pk=first.pk).read_at == read_at  # keeps the first time
    assert services.notifications_mark_all_read(actor=member) == 1
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert timezone.now() >= Notification.objects.get(pk=second.pk).read_at
