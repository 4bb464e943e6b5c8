"""The demo's drop-in redesign has a conversation, "What should replace the drop-in?", with about forty
statements, votes in planted opinion groups, paper votes entered for the assisted member, and its analysis."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from coproduce.conversations.models import AnalysisResult, Conversation, Vote


def test_the_drop_in_conversation_is_analysed(demo):
    conversation = Conversation.objects.get(space=demo, question="What should replace the drop-in?")
    assert 38 <= conversation.statements.filter(status="accepted").count() <= 45
    assert conversation.statements.filter(status="rejected").count() == 1
    assert Vote.objects.filter(conversation=conversation, entered_by__isnull=False).exists()
    result = AnalysisResult.objects.get(conversation=conversation)
    assert result.data["k"] >= 2 and result.participants >= 8
    member = demo.memberships.filter(role="member", user__email__isnull=False).first().user
    client = Client()
    client.force_login(member)
    page = client.get(reverse("conversations:report", args=[demo.slug, conversation.pk])).content.decode()
    assert "Where I sit" in page and "Common ground" in page
