"""What surveys tell the quality check: the people who answered a survey (`Measure.SURVEY_RESPONDENTS`).

Surveys keep no stage, so an answer belongs to the stage of the space whose dates hold the day it was sent
(any of the four), and to co-assessment, where surveys' evidence belongs, when none does. The perspective is
the one kept on the response when it was sent.

Who answered an anonymous survey is kept apart from what they answered (`Participation`), and the response
keeps no person: its lines carry no person (`n` is the number of answers), and its records name the survey
and how many answered, never anyone. A named survey's lines are one per person (`n` 1), its records one per
answer with the person's name, which the quality app hides where the space hides names. Answers sent with a
one-time link, or by someone who is not a member, have no perspective and are left out.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core.registry import EvidenceRecord, EvidenceReport
from coproduce.lib.quality.evidence import Measure
from coproduce.spaces.evidence import ALL_STAGES, in_figure, stage_of, tally

from .models import Response, Survey

DEFAULT = "co_assessment"
# A named survey's answer whose person is still known: counted per person.
NAMED = Q(survey__anonymous=False, respondent__isnull=False)


def _answers(space):
    return Response.objects.filter(survey__space=space, submitted_at__isnull=False).annotate(
        q_stage=stage_of(space, "submitted_at", among=ALL_STAGES, default=DEFAULT),
        q_perspective=F("perspective"),
        q_person=F("respondent_id"),
    )


def evidence(space) -> EvidenceReport:
    """Two GROUP BY queries (and one for the space's stage dates each)."""
    return EvidenceReport(
        counts=(
            *tally(_answers(space).filter(NAMED), Measure.SURVEY_RESPONDENTS, people=True),
            *tally(_answers(space).exclude(NAMED), Measure.SURVEY_RESPONDENTS),
        )
    )


def evidence_records(space, measure, stages, perspectives, *, limit: int) -> list[EvidenceRecord]:
    if measure != Measure.SURVEY_RESPONDENTS:
        return []
    answers = in_figure(_answers(space), stages, perspectives)
    records: list[EvidenceRecord] = []
    # Anonymous answers: how many answered each survey, by stage and perspective, never who.
    groups = (
        answers.exclude(NAMED)
        .values("survey_id", "q_stage", "q_perspective")
        .annotate(n=Count("pk"))
        .order_by("survey_id", "q_stage", "q_perspective")[:limit]
    )
    rows = list(groups)
    surveys = Survey.objects.select_related("space").in_bulk({row["survey_id"] for row in rows})
    for row in rows:
        survey = surveys[row["survey_id"]]
        records.append(
            EvidenceRecord(
                title=ngettext(
                    "“%(title)s”: %(n)s answer (anonymous)",
                    "“%(title)s”: %(n)s answers (anonymous)",
                    row["n"],
                )
                % {"title": survey.title, "n": row["n"]},
                url=survey.get_absolute_url(),
                stage=row["q_stage"],
                perspective=row["q_perspective"],
            )
        )
    named = (
        answers.filter(NAMED)
        .select_related("survey__space", "respondent")
        .order_by("submitted_at", "id")[: max(0, limit - len(records))]
    )
    for response in named:
        records.append(
            EvidenceRecord(
                title=_("Answered “%(title)s”") % {"title": response.survey.title},
                url=response.survey.get_absolute_url(),
                stage=response.q_stage,
                perspective=response.q_perspective,
                person=response.respondent.display_name,
                when=response.submitted_at.date(),
            )
        )
    return records
