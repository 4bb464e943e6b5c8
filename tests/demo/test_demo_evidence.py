"""The demo's space at co-assessment (the review of the peer support service) has personal outcomes for
eight consenting people over three conversations, and a social value analysis."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from coproduce.outcomes import selectors as outcome_selectors
from coproduce.outcomes.models import Consent, Conversation, Plan
from coproduce.spaces.models import Role, Space
from coproduce.sroi import selectors as sroi_selectors
from coproduce.sroi.models import Analysis


def test_the_review_space_has_outcomes_and_social_value(demo):
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


def test_the_review_space_has_a_closed_survey_and_a_place_standard_round(demo):
    from coproduce.core.models import AuditEvent
    from coproduce.surveys import selectors as survey_selectors
    from coproduce.surveys.models import Participation, Survey

    review = Space.objects.get(title="Review of the peer support service")
    survey = Survey.objects.get(space=review, template="")
    assert survey.status == "closed" and survey.anonymous and survey.results_to == "members"
    sent = survey.responses.filter(submitted_at__isnull=False)
    assert sent.count() >= 30
    assert sent.filter(respondent__isnull=False).count() == 0  # anonymous: who said what is not kept
    paper = Participation.objects.filter(survey=survey, entered_by__isnull=False)
    assert paper.count() >= 3 and sent.filter(entered_by__isnull=False).count() == paper.count()
    assert AuditEvent.objects.filter(action="survey.answered_on_paper").count() == paper.count()
    assert all(p.user.memberships.filter(space=review).exists() for p in paper)
    kinds = set(survey.questions.values_list("kind", flat=True))
    assert {"single", "multiple", "scale5", "scale7", "text"} <= kinds
    found = survey_selectors.results(survey)
    assert found["respondents"] == sent.count() and found["groups"]  # a breakdown by perspective shows
    helped = next(r for r in found["questions"] if r.question.text.startswith("How much has"))
    assert helped.average and 1 < helped.average < 5 and len({b.count for b in helped.bars}) > 1  # varied

    place = Survey.objects.get(space=review, template="place_standard")
    assert place.responses.filter(submitted_at__isnull=False).count() >= 10
    assert all(value is not None for _c, _l, value in survey_selectors.place_scores(place))
    assert len(survey_selectors.place_by_area(place)) == 3

    member = review.memberships.filter(role=Role.MEMBER).first().user
    client = Client()
    client.force_login(member)
    for shown in (survey, place):
        page = client.get(reverse("surveys:results", args=[review.slug, shown.pk]))
        assert page.status_code == 200
    assert "By area" in page.content.decode()


def test_the_review_spaces_impact_report_has_its_surveys_outcomes_and_social_value(demo):
    """The impact report gathers what the co-assessment modules found, through their manifests' `impact`:
    survey answers and the Place Standard's best and worst themes, outcomes (members only: never for
    fewer than five people) and the SROI ratio. The public report leaves out the outcomes summary."""
    review = Space.objects.get(title="Review of the peer support service")
    member = review.memberships.filter(role=Role.MEMBER).first().user
    client = Client()
    client.force_login(member)
    api = client.get(f"/api/v1/impact/spaces/{review.slug}/report")
    assert api.status_code == 200
    for key in ('"surveys"', '"outcomes"', '"sroi"'):
        assert key in api.content.decode(), key
    page = client.get(reverse("impact:report", args=[review.slug])).content.decode()
    for title in ("Surveys and the Place Standard", "Personal outcomes", "Social value (SROI)"):
        assert title in page, title
    assert "rated" in page and "of 7" in page  # the Place Standard's themes
    assert "For every £1 put in" in page
    assert "got better" in page
    public = Client().get(reverse("impact:report", args=[review.slug]))
    if public.status_code == 200:  # the review space is public in the demo
        assert "Personal outcomes" not in public.content.decode()
