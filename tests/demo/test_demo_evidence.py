"""The demo's space at co-assessment (the review of the peer support service) has personal outcomes for
eight consenting people over three conversations, and a social value analysis."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from tests.demo.test_demo import demo, fast_passwords  # noqa: F401  (the loaded demo, as test_demo uses it)

from coproduce.outcomes import selectors as outcome_selectors
from coproduce.outcomes.models import Consent, Conversation, Plan
from coproduce.spaces.models import Role, Space
from coproduce.sroi import selectors as sroi_selectors
from coproduce.sroi.models import Analysis


def test_the_review_space_has_outcomes_and_social_value(demo):  # noqa: F811
    review = Space.objects.get(title="Review of the peer support service")
    consents = Consent.objects.filter(space=review, withdrawn_at__isnull=True)
    assert consents.count() == 8
    for consent in consents:
        assert Conversation.objects.filter(space=review, person=consent.person).count() == 3
    assert Plan.objects.filter(space=review).count() == 2
    summary = outcome_selectors.summary(review)
    assert summary.shown and summary.people == 8 and summary.rows

    report = sroi_selectors.report(Analysis.objects.get(space=review))
    assert len(report.outcomes) == 4 and report.result.ratio and report.result.ratio > 0

    member = review.memberships.filter(role=Role.MEMBER).first().user
    client = Client()
    client.force_login(member)
    for url in (
        reverse("outcomes:summary", args=[review.slug]),
        reverse("outcomes:person", args=[review.slug, member.pk]),
        reverse("sroi:analysis", args=[review.slug]),
    ):
        assert client.get(url).status_code == 200, url
    assert Client().get(reverse("sroi:analysis", args=[review.slug])).status_code == 200
    # Both modules are on the co-assessment stage of the space page.
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Social value (SROI)" in page and "Your personal outcomes" in page
    assert "Your personal outcomes" not in Client().get(review.get_absolute_url()).content.decode()
