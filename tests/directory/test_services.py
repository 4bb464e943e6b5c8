"""Listing and leaving, requests for help, messages, blocks, reports and the rate limit; every change is
audited without the words people wrote."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from coproduce.core.models import AuditEvent
from coproduce.directory import selectors, services
from coproduce.directory.models import Block, HelpRequest, Listing, Message, Report, Thread
from coproduce.notifications.models import Notification


def actions_of(user) -> list[str]:
    return list(AuditEvent.objects.filter(actor=user).order_by("pk").values_list("action", flat=True))


def test_listing_then_changing_then_leaving(dee):
    listing = services.listing_save(actor=dee, intro="New to co-production.", stages=["co_design"], offers=[])
    assert listing.stage_list == ["co_design"] and listing.stages == " co_design "
    services.listing_save(actor=dee, intro="New to co-production.", skills="listening", stages=["co_design"])
    # Nothing changed: no new audit record.
    services.listing_save(actor=dee, intro="New to co-production.", skills="listening", stages=["co_design"])
    assert services.listing_leave(actor=dee) is True
    assert not Listing.objects.filter(person=dee).exists()
    assert services.listing_leave(actor=dee) is False
    assert actions_of(dee) == ["directory.listed", "directory.listing_changed", "directory.left"]
    # The audit keeps which fields changed, never the words of a listing that is gone.
    texts = " ".join(str(e.changes) + e.summary for e in AuditEvent.objects.filter(actor=dee))
    assert "listening" not in texts and "co-production" not in texts


def test_bad_listing_input_is_refused_and_nothing_saved(dee):
    with pytest.raises(ValidationError) as error:
        services.listing_save(actor=dee, intro="  ", stages=["not_a_stage"])
    assert {"intro", "stages"} <= set(error.value.message_dict)
    assert not Listing.objects.exists() and not AuditEvent.objects.filter(actor=dee).exists()


def test_the_database_refuses_an_empty_intro_and_a_second_block(dee, eve):
    with pytest.raises(IntegrityError), transaction.atomic():
        Listing.objects.create(person=dee, intro="")
    Block.objects.create(blocker=dee, blocked=eve)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=dee, blocked=eve)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=dee, blocked=dee)


def test_suggestions_say_why_and_leave_out_blocks_and_the_asker(ann, ben, cat, dee):
    request = services.help_request_create(
        actor=dee,
        kind="mentoring",
        description="Planning our first session",
        stage="co_design",
        place="Renfrewshire",
    )
    found = selectors.suggestions(request)
    assert [s.listing.person for s in found] == [ann, cat]
    assert found[0].reasons == "Knows co-design; offers mentoring; also in Renfrewshire"
    assert found[1].reasons == "Knows co-design"
    services.block_add(actor=cat, person=dee)  # Cat blocked the asker
    assert [s.listing.person for s in selectors.suggestions(request)] == [ann]
    services.block_add(actor=dee, person=ann)  # the asker blocked Ann
    assert selectors.suggestions(request) == []
    own = services.help_request_create(actor=ann, kind="mentoring", description="x", stage="co_design")
    assert ann not in [s.listing.person for s in selectors.suggestions(own)]
    assert "directory.help_requested" in actions_of(dee)


def test_a_message_starts_a_thread_tells_the_recipient_and_is_audited_without_its_text(ann, dee):
    message = services.message_send(actor=dee, recipient=ann, body="Could you mentor me on co-design?")
    thread = message.thread
    assert {thread.first, thread.second} == {ann, dee} and message.recipient == ann
    reply = services.message_send(actor=ann, thread=thread, body="Happy to help.")
    assert reply.thread == thread and Thread.objects.count() == 1
    [told] = Notification.objects.filter(recipient=ann)
    assert told.kind == "directory_message" and told.url == thread.get_absolute_url() and told.actor == dee
    event = AuditEvent.objects.get(action="directory.message_sent", actor=dee)
    assert "mentor" not in event.summary + str(event.changes)
    assert selectors.unread_count(ann) == 1 and selectors.unread_count(dee) == 1
    assert services.thread_mark_read(actor=dee, thread=thread) == 1 and selectors.unread_count(dee) == 0


def test_nobody_starts_a_conversation_with_someone_unlisted_or_blocked(ann, dee, eve):
    with pytest.raises(ValidationError):
        services.message_send(actor=ann, recipient=eve, body="Hello")
    services.block_add(actor=ann, person=dee)
    with pytest.raises(PermissionDenied):
        services.message_send(actor=dee, recipient=ann, body="Hello")
    with pytest.raises(PermissionDenied):
        services.message_send(actor=ann, recipient=dee, body="Hello")
    assert not Message.objects.exists()


def test_blocking_stops_replies_in_an_existing_thread(ann, dee):
    thread = services.message_send(actor=dee, recipient=ann, body="Hello").thread
    services.block_add(actor=ann, person=dee)
    with pytest.raises(PermissionDenied):
        services.message_send(actor=dee, thread=thread, body="Are you there?")
    assert services.block_remove(actor=ann, person=dee)
    services.message_send(actor=dee, thread=thread, body="Are you there?")
    assert actions_of(ann) == ["directory.listed", "directory.blocked", "directory.unblocked"]


def test_a_third_person_cannot_write_in_a_thread(ann, dee, eve):
    thread = services.message_send(actor=dee, recipient=ann, body="Hello").thread
    with pytest.raises(PermissionDenied):
        services.message_send(actor=eve, thread=thread, body="Me too")


def test_messages_are_rate_limited_per_person_per_hour(ann, ben, dee, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    for i in range(services.MESSAGES_PER_HOUR):
        services.message_send(actor=dee, recipient=ann if i % 2 else ben, body=f"Message {i}")
    with pytest.raises(ValidationError) as error:
        services.message_send(actor=dee, recipient=ann, body="One more")
    assert "Please wait a while" in str(error.value)
    assert Message.objects.filter(sender=dee).count() == services.MESSAGES_PER_HOUR
    services.message_send(actor=ann, recipient=dee, body="Others are not limited by Dee's count")
    cache.clear()


def test_reports_go_to_network_admins_who_remove_or_keep(ann, dee, admin_user):
    message = services.message_send(actor=dee, recipient=ann, body="Something unkind")
    with pytest.raises(ValidationError):
        services.report_create(actor=dee, reason="mine", message=message)  # only what you received
    report = services.report_create(actor=ann, reason="Unkind", message=message)
    on_listing = services.report_create(actor=dee, reason="Selling things", listed_person=ann)
    with pytest.raises(ValidationError):
        services.report_create(actor=dee, reason="  ", listed_person=ann)
    assert selectors.network_section(admin_user).needs_attention == 2
    assert selectors.network_section(dee) is None
    with pytest.raises(PermissionDenied):
        services.report_resolve(actor=dee, report=report, remove=True)
    services.report_resolve(actor=admin_user, report=report, remove=True)
    message.refresh_from_db()
    assert message.body == "" and message.removed_at is not None
    services.report_resolve(actor=admin_user, report=on_listing, remove=False, note="Looks fine")
    assert Listing.objects.filter(person=ann).exists()
    assert Report.objects.filter(resolved_at__isnull=True).count() == 0
    assert "directory.reported" in actions_of(dee) and "directory.reported" in actions_of(ann)
    assert actions_of(admin_user) == ["directory.report_resolved", "directory.report_resolved"]


def test_taking_a_reported_listing_down_deletes_it(ann, dee, admin_user):
    report = services.report_create(actor=dee, reason="Not real", listed_person=ann)
    services.report_resolve(actor=admin_user, report=report, remove=True)
    assert not Listing.objects.filter(person=ann).exists()


def test_closing_a_request_is_for_the_asker(dee, eve):
    request = services.help_request_create(actor=dee, kind="peer_support", description="Someone to talk to")
    with pytest.raises(PermissionDenied):
        services.help_request_close(actor=eve, help_request=request)
    services.help_request_close(actor=dee, help_request=request)
    assert HelpRequest.objects.get().is_open is False


def test_waiting_for_says_who_wrote_in_one_query(ann, dee, eve, django_assert_num_queries):
    services.message_send(actor=dee, recipient=ann, body="One")
    services.message_send(actor=dee, recipient=ann, body="Two")
    services.message_send(actor=eve, recipient=ann, body="Three")
    with django_assert_num_queries(1):
        items = selectors.waiting_items(ann)
    assert sorted(i.title for i in items) == ["Dee Asker sent you 2 messages", "Eve Third sent you a message"]
    assert all(i.urgency == 0 for i in items)


def test_hub_section_and_search_documents(ann, ben, dee):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.hub_section(AnonymousUser()) is None
    section = selectors.hub_section(dee)
    assert section.title == "People to learn from" and section.order == 40
    assert section.rows[0].title == "2 people are listed"
    docs = selectors.search_documents("directory.person", [ann.pk, dee.pk])
    assert [(d.pk, d.public, d.place) for d in docs] == [(ann.pk, False, "Renfrewshire")]
    services.listing_leave(actor=ann)
    assert selectors.search_documents("directory.person", [ann.pk]) == []
    assert selectors.search_documents("hub.post", None) == []
