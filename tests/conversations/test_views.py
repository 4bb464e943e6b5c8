"""The pages: voting one statement at a time, adding a statement, the report (bounded queries), CSVs."""

from __future__ import annotations

from django.urls import reverse
from tests.conftest import make_members

from coproduce.conversations import services
from coproduce.conversations.models import Statement, Vote

from .conftest import analysed, planted_votes


def test_voting_page_shows_one_statement_with_progress(space, conversation, member, client_for):
    client = client_for(member)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Statement 1 of 5" in page and "<legend>" in page
    first = Statement.objects.get(pk=int(page.split('name="statement" value="')[1].split('"')[0]))
    response = client.post(
        reverse("conversations:vote", args=[space.slug, conversation.pk]),
        {"statement": first.pk, "value": "-1"},
    )
    assert response.status_code == 302
    assert Vote.objects.get(statement=first).value == -1
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Statement 2 of 5" in page and f'name="statement" value="{first.pk}"' not in page


def test_adding_a_statement_with_a_mistake_keeps_the_form(space, conversation, member, client_for):
    url = reverse("conversations:statement_add", args=[space.slug, conversation.pk])
    response = client_for(member).post(url, {"text": "x" * 281})
    assert response.status_code == 400 and "error-message" in response.content.decode()
    assert client_for(member).post(url, {"text": "Make it free."}).status_code == 302
    assert Statement.objects.filter(text="Make it free.", status="pending").exists()


def test_the_report_before_any_analysis(space, conversation, client_for, member):
    page = (
        client_for(member)
        .get(reverse("conversations:report", args=[space.slug, conversation.pk]))
        .content.decode()
    )
    assert "Nobody has voted yet" in page


def test_the_report_with_groups_where_i_sit_and_bounded_queries(
    space, host, member, conversation, client_for, django_assert_max_num_queries
):
    people = make_members(space, host, 24)
    for i in range(5):
        services.seed_add(actor=host, conversation=conversation, text=f"Extra statement {i}")
    statements = list(conversation.statements.order_by("pk"))
    planted_votes(conversation, [member, *people], statements)
    analysed(conversation)
    client = client_for(member)
    url = reverse("conversations:report", args=[space.slug, conversation.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    page = response.content.decode()
    assert "Where I sit" in page and "You are in group" in page
    assert 'role="img"' in page and "<desc" in page and "Participant" in page
    assert "Participation by perspective" in page and "Worked out at" in page
    assert "Common ground" in page
    # The htmx refresh gets the report alone.
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Opinion map" in fragment
    csv = b"".join(
        client.get(
            reverse("conversations:statements_csv", args=[space.slug, conversation.pk])
        ).streaming_content
    )
    assert csv.decode().startswith("statement_id,statement,seed,agree") and "group_B_agree" in csv.decode()
    points = b"".join(
        client.get(reverse("conversations:map_csv", args=[space.slug, conversation.pk])).streaming_content
    )
    assert len(points.decode().strip().splitlines()) == 26


def test_moderation_log_lists_decisions_and_downloads(space, conversation, host, member, client_for):
    statement = services.statement_add(actor=member, conversation=conversation, text="=HYPERLINK(1)")
    services.statement_moderate(
        actor=host, statement=statement, status="rejected", reason=conversation.reasons[3]
    )
    page = (
        client_for(member)
        .get(reverse("conversations:log", args=[space.slug, conversation.pk]))
        .content.decode()
    )
    assert conversation.reasons[3] in page
    csv = b"".join(
        client_for(member)
        .get(reverse("conversations:log_csv", args=[space.slug, conversation.pk]))
        .streaming_content
    )
    assert "'=HYPERLINK(1)" in csv.decode()


def test_a_facilitator_enters_paper_votes(space, conversation, facilitator, margaret, client_for):
    statements = list(conversation.statements.all())
    url = reverse("conversations:enter_votes", args=[space.slug, conversation.pk])
    client = client_for(facilitator)
    assert "Margaret" in client.get(url).content.decode()
    response = client.post(
        url, {"person": margaret.pk, f"s{statements[0].pk}": "1", f"s{statements[1].pk}": "0"}
    )
    assert response.status_code == 302
    assert Vote.objects.filter(participant__user=margaret, entered_by=facilitator).count() == 2
    assert client.post(url, {"person": margaret.pk}).status_code == 400


def test_common_ground_can_be_carried_to_a_meeting_agenda(
    space, conversation, facilitator, member, client_for
):
    import datetime as dt

    from django.utils import timezone

    from coproduce.core import registry
    from coproduce.meetings import services as meeting_services
    from coproduce.meetings.models import AgendaItem

    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    meeting = meeting_services.meeting_create(
        actor=facilitator,
        space=space,
        title="Decide",
        format="in_person",
        place_name="Town Hall",
        address="1 High Street\nPaisley",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    statement = conversation.statements.first()
    source = registry.source("conversations.statement", member, statement.pk)
    links = dict(registry.links_for(source, member))
    url = links["Put it on a meeting's agenda"]
    assert url == reverse("meetings:from_statement", args=[space.slug, statement.pk])
    client = client_for(member)
    assert statement.text in client.get(url).content.decode()
    response = client.post(
        url, {"meeting": meeting.pk, "title": statement.text, "description": "From the conversation."}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting, title=statement.text, source_idea_id=None).exists()


def test_common_ground_can_be_made_an_idea_prefilled(space, conversation, member, client_for):
    from coproduce.core import registry
    from coproduce.ideas.models import Idea

    statement = conversation.statements.first()
    source = registry.source("conversations.statement", member, statement.pk)
    url = dict(registry.links_for(source, member))["Make it an idea"]
    assert url == reverse("ideas:create", args=[space.slug]) + f"?from=conversations.statement:{statement.pk}"
    client = client_for(member)
    page = client.get(url).content.decode()
    assert "From a conversation" in page and f'value="{statement.text}"' in page
    response = client.post(url, {"title": "From the conversation", "body": statement.text})
    assert response.status_code == 302
    assert Idea.objects.filter(space=space, body=statement.text).exists()


def test_make_it_an_idea_ignores_what_is_not_a_statement_of_this_space(
    space, conversation, member, client_for
):
    client = client_for(member)
    base = reverse("ideas:create", args=[space.slug])
    for value in ("ideas.idea:1", "conversations.statement:999999", "conversations.statement:x", "nonsense"):
        page = client.get(f"{base}?from={value}")
        assert page.status_code == 200
        assert "From a conversation" not in page.content.decode()


def test_a_statement_too_long_for_a_title_goes_whole_into_the_idea(space, conversation, member, client_for):
    from coproduce.conversations.models import Statement

    statement = conversation.statements.first()
    long_text = "We should keep the drop-in open on Saturday mornings " * 4
    Statement.objects.filter(pk=statement.pk).update(text=long_text.strip())
    url = reverse("ideas:create", args=[space.slug]) + f"?from=conversations.statement:{statement.pk}"
    page = client_for(member).get(url).content.decode()
    assert "write a short title" in page
    assert long_text.strip() in page
