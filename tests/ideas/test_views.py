"""Idea pages: they work without JavaScript (POST, redirect), htmx swaps fragments, bad input keeps the
form and saves nothing, and lists cost a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from tests.conftest import make_members

from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.core.registry import Link, ModuleManifest
from coproduce.ideas import services
from coproduce.ideas.models import Comment, Idea, IdeaStatus, Support

from .helpers import html, text


def test_posting_an_idea_redirects_to_it(client_for, space, member):
    response = client_for(member).post(
        reverse("ideas:create", args=[space.slug]),
        {"title": "Peer support", "body": "Run by people who have been there."},
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    page = text(client_for(member).get(response["Location"]))
    assert "Peer support" in page and "Under discussion" in page


def test_bad_input_keeps_the_form_explains_and_saves_nothing(client_for, space, member):
    response = client_for(member).post(
        reverse("ideas:create", args=[space.slug]), {"title": "", "body": "Kept"}
    )
    assert response.status_code == 400  # the form page again, not a redirect
    page = html(response)
    assert "There is a problem" in page and 'aria-invalid="true"' in page and "Kept</textarea>" in page
    assert 'aria-describedby="id_title_error' in page or "id_title_error" in page
    assert not Idea.objects.exists() and not AuditEvent.objects.filter(action="idea.created").exists()


def test_support_works_with_a_plain_post_and_with_htmx(client_for, space, idea, practitioner):
    client = client_for(practitioner)
    url = reverse("ideas:support", args=[space.slug, idea.pk])
    response = client.post(url)
    assert response.status_code == 302 and Support.objects.filter(user=practitioner).exists()
    fragment = client.post(url, {"withdraw": "1"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = html(fragment)
    assert body.startswith('<div id="support-') and "<html" not in body and "Support this idea" in body
    assert not Support.objects.exists()
    again = client.post(url, {"withdraw": "1"}, headers={"HX-Request": "true"})
    assert again.status_code == 400 and "do not support" in html(again)


def test_comments_and_replies(client_for, space, idea, member, practitioner):
    url = reverse("ideas:comment", args=[space.slug, idea.pk])
    assert client_for(practitioner).post(url, {"body": "Who would staff it?"}).status_code == 302
    first = Comment.objects.get()
    assert client_for(member).post(url, {"body": "Volunteers.", "parent": first.pk}).status_code == 302
    reply = Comment.objects.get(parent=first)
    response = client_for(practitioner).post(url, {"body": "Nested", "parent": reply.pk})
    assert response.status_code == 400 and "Replies cannot be replied to" in html(response)
    empty = client_for(practitioner).post(url, {"body": "  "})
    assert empty.status_code == 400 and "There is a problem" in html(empty)
    assert client_for(practitioner).post(url, {"body": "x", "parent": "abc"}).status_code == 404
    page = text(client_for(member).get(idea.get_absolute_url()))
    assert page.index("Who would staff it?") < page.index("Volunteers.")


def test_a_comment_can_be_changed_only_within_the_window(client_for, space, idea, practitioner):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = services.comment_create(actor=practitioner, idea=idea, body="Typo hre")
    url = reverse("ideas:comment_edit", args=[space.slug, comment.pk])
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        assert "Change" in text(client_for(practitioner).get(idea.get_absolute_url()))
        assert client_for(practitioner).post(url, {"body": "Typo here"}).status_code == 302
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        page = client_for(practitioner).get(url)
        assert "can no longer be changed" in text(page)
        late = client_for(practitioner).post(url, {"body": "Late"})
        assert late.status_code == 400
    assert Comment.objects.get().body == "Typo here"


def test_a_hidden_comment_shows_the_facilitators_reason(
    client_for, space, idea, practitioner, member, facilitator
):
    comment = services.comment_create(actor=practitioner, idea=idea, body="Unkind words")
    client_for(member).post(
        reverse("ideas:comment_report", args=[space.slug, comment.pk]), {"reason": "Unkind"}
    )
    queue = text(client_for(facilitator).get(reverse("ideas:moderation", args=[space.slug])))
    assert "Unkind words" in queue and "Unkind" in queue
    missing = client_for(facilitator).post(
        reverse("ideas:comment_hide", args=[space.slug, comment.pk]), {"reason": ""}
    )
    assert missing.status_code == 400 and not Comment.objects.get().is_hidden
    client_for(facilitator).post(
        reverse("ideas:comment_hide", args=[space.slug, comment.pk]),
        {"reason": "It was unkind to someone who was not there."},
    )
    page = text(client_for(None).get(idea.get_absolute_url()))
    assert "Unkind words" not in page and "Their reason: It was unkind to someone who was not there." in page
    assert "No comments are waiting" in text(
        client_for(facilitator).get(reverse("ideas:moderation", args=[space.slug]))
    )


def test_network_staff_answer_reports_in_any_space_from_their_admin_screen(
    client_for, space, idea, practitioner, member, admin_user
):
    """The network admin screen lists every space's reported comments and links to the space's list of them:
    staff who do not run the space may open it, hide the comment or dismiss the reports; a member may not."""
    comment = services.comment_create(actor=practitioner, idea=idea, body="Unkind words")
    services.comment_report(actor=member, comment=comment, reason="Unkind")
    queue = reverse("ideas:moderation", args=[space.slug])
    assert client_for(member).get(queue).status_code == 403
    assert "Unkind words" in text(client_for(admin_user).get(queue))
    dismiss = reverse("ideas:comment_dismiss", args=[space.slug, comment.pk])
    assert client_for(member).post(dismiss).status_code == 403
    assert client_for(admin_user).post(dismiss).status_code == 302
    assert "No comments are waiting" in text(client_for(admin_user).get(queue))


def test_status_form_needs_a_reason_and_merging_takes_an_idea_number(
    client_for, space, idea, member, facilitator
):
    url = reverse("ideas:status", args=[space.slug, idea.pk])
    client = client_for(facilitator)
    response = client.post(url, {"status": IdeaStatus.ADOPTED, "reason": ""})
    assert response.status_code == 400 and "Say why" in html(response)
    other = services.idea_create(actor=member, space=space, title="Other", body="Other")
    response = client.post(url, {"status": IdeaStatus.MERGED, "reason": "Same", "merged_into": 99999})
    assert response.status_code == 400 and "no idea with that number" in html(response)
    assert (
        client.post(url, {"status": IdeaStatus.MERGED, "reason": "Same", "merged_into": other.pk}).status_code
        == 302
    )
    page = text(client_for(None).get(idea.get_absolute_url()))
    assert "Merged into another idea" in page and "Why: Same" in page and "Other" in page


@pytest.fixture
def widgets():
    """A downstream module for the test: from an adopted idea, facilitators can make a widget."""
    from coproduce.spaces import access as space_access
    from coproduce.spaces.models import Space

    def make_url(source, user):
        space = Space.objects.get(pk=source.space_id)
        if source.ready and space_access.has_role(user, space, space_access.FACILITATOR):
            return f"/widgets/from-idea/{source.pk}/"
        return None

    registry.register(
        ModuleManifest(
            name="test_widgets",
            label="Widgets",
            description="",
            stages=(),
            links=(Link("ideas.idea", "Make it a widget", make_url),),
        )
    )
    yield
    registry.unregister("test_widgets")


def test_an_adopted_idea_shows_what_other_modules_offer_to_make_of_it(
    widgets, client_for, space, idea, facilitator, member
):
    link = f'<a href="/widgets/from-idea/{idea.pk}/">Make it a widget</a>'
    assert link not in html(client_for(facilitator).get(idea.get_absolute_url()))  # not adopted yet
    services.idea_set_status(actor=facilitator, idea=idea, status=IdeaStatus.ADOPTED, reason="Agreed")
    assert link in html(client_for(facilitator).get(idea.get_absolute_url()))
    assert link not in html(client_for(member).get(idea.get_absolute_url()))  # the module's own rule


def test_co_authors_are_added_from_the_idea_page(client_for, space, idea, member, practitioner, outsider):
    url = reverse("ideas:co_author_add", args=[space.slug, idea.pk])
    assert client_for(member).post(url, {"user": practitioner.pk}).status_code == 302
    bad = client_for(member).post(url, {"user": outsider.pk})
    assert bad.status_code == 400 and "There is a problem" in html(bad)
    assert "Pat Practitioner (practitioner)" in text(client_for(member).get(idea.get_absolute_url()))


def test_the_idea_list_filters_and_paginates(client_for, space, member, facilitator):
    for i in range(25):
        services.idea_create(actor=member, space=space, title=f"Idea number {i}", body="x")
    adopted = Idea.objects.get(title="Idea number 3")
    services.idea_set_status(actor=facilitator, idea=adopted, status=IdeaStatus.ADOPTED, reason="Yes")
    client = client_for(None)
    url = reverse("ideas:list", args=[space.slug])
    page = client.get(url)
    assert len(page.context["page"].object_list) == 20 and "Page 1 of 2" in text(page)
    filtered = client.get(url, {"status": IdeaStatus.ADOPTED})
    assert [i.title for i in filtered.context["page"].object_list] == ["Idea number 3"]
    fragment = client.get(url, {"q": "number 2"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in html(fragment) and "Idea number 24" in html(fragment)


def test_the_idea_list_costs_a_bounded_number_of_queries(
    client_for, space, host, member, practitioner, django_assert_max_num_queries
):
    people = [member, practitioner]
    for i, author in enumerate(make_members(space, host, 40)):  # one author each, so one query per row shows
        idea = services.idea_create(actor=author, space=space, title=f"Idea {i}", body="x")
        for person in people[: i % 3]:
            services.idea_support(actor=person, idea=idea)
        services.comment_create(actor=practitioner, idea=idea, body="Yes")
    for viewer in (None, member):
        client = client_for(viewer)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("ideas:list", args=[space.slug]), {"sort": "supported"})
        rows = response.context["page"].object_list
        assert len(rows) == 20 and rows[0].support_count == 2 and rows[0].comment_count == 1


def test_the_idea_page_costs_a_bounded_number_of_queries(
    client_for, space, idea, member, host, django_assert_max_num_queries
):
    for i, person in enumerate(make_members(space, host, 20)):
        comment = services.comment_create(actor=person, idea=idea, body=f"Comment {i}")
        services.comment_create(actor=member, idea=idea, body=f"Reply {i}", parent=comment)
        services.idea_support(actor=person, idea=idea)
    client = client_for(member)
    # 17: meetings' "Put it on a meeting's agenda" asks once whether a meeting takes proposals.
    with django_assert_max_num_queries(17):
        response = client.get(idea.get_absolute_url())
    assert "Reply 19" in html(response)


def test_the_space_page_lists_the_ideas_module_on_its_stages(client_for, space, idea):
    page = html(client_for(None).get(space.get_absolute_url()))
    assert reverse("ideas:list", args=[space.slug]) in page and "1 idea" in page
