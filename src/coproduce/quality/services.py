"""Every write of the quality check: asking for it to be worked out (in the task queue), storing the result,
stating the community mix and recording a self-assessment round."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.lib.quality import serialise
from coproduce.lib.quality.judge import judge
from coproduce.lib.quality.standards import RATING_MAX, RATING_MIN, STANDARDS
from coproduce.spaces.models import Membership, Perspective, Space

from . import access, selectors
from .models import QualityCheck, SelfAssessment, StandardRating, TargetShare


def _queue(space_id: int) -> None:
    from . import tasks

    tasks.compute_quality(space_id)


@transaction.atomic
def check_request(*, actor: Any, space: Space) -> QualityCheck:
    """Ask for the check to be worked out again; the task queue does it once this commits."""
    if actor is not None:
        access.require(access.can_manage(actor, space))
    check, _created = QualityCheck.objects.get_or_create(space=space)
    check.requested_at = timezone.now()
    check.save(update_fields=["requested_at"])
    if actor is not None:
        audit.record(
            actor=actor,
            action="quality.check_request",
            target=check,
            space=space,
            summary=f"Asked for the quality check of {space.title} to be worked out again",
        )
    transaction.on_commit(lambda: _queue(space.pk))
    return check


def check_compute(*, space: Space) -> QualityCheck:
    """Gather the evidence and judge it (the task does this: never a page). The evidence is read before the
    row is locked, so a long count holds no lock; the last to finish wins, and each is complete."""
    started = timezone.now()
    evidence = selectors.gather_evidence(space)
    judgement = judge(evidence)
    with transaction.atomic():
        check, _created = QualityCheck.objects.select_for_update().get_or_create(space=space)
        check.evidence = serialise.evidence_to_dict(evidence)
        check.judgement = serialise.judgement_to_dict(judgement)
        check.computed_at = started
        check.save(update_fields=["evidence", "judgement", "computed_at"])
    return check


@transaction.atomic
def target_mix_set(*, actor: Any, space: Space, shares: Mapping[str, int | None]) -> dict[str, int]:
    """State the community the space serves: percent by perspective (empty or 0: not stated). At most 100 in
    all. Asks for the check to be worked out again."""
    access.require(access.can_state_mix(actor, space))
    clean: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for perspective, percent in shares.items():
        if perspective not in Perspective.values:
            errors.setdefault("__all__", []).append(_("Unknown perspective: %s") % perspective)
            continue
        if percent is None or percent == 0:
            continue
        if not 0 < percent <= 100:
            errors[perspective] = [_("Give a whole number from 0 to 100.")]
            continue
        clean[perspective] = percent
    if not errors and sum(clean.values()) > 100:
        errors["__all__"] = [_("The shares add up to more than 100%.")]
    if errors:
        raise ValidationError(errors)
    before = selectors.target_mix(space)
    TargetShare.objects.filter(space=space).delete()
    for perspective, percent in clean.items():
        share = TargetShare(space=space, perspective=perspective, percent=percent)
        share.full_clean()
        share.save()
    audit.record(
        actor=actor,
        action="quality.target_mix_set",
        target=space,
        space=space,
        summary=f"Stated the community {space.title} serves",
        changes={"target_mix": [before, clean]},
    )
    check_request(actor=None, space=space)
    return clean


@transaction.atomic
def self_assessment_create(
    *,
    actor: Any,
    space: Space,
    agreed_on: date,
    participants: Iterable[Any],
    ratings: Mapping[str, int],
    notes: Mapping[str, str] | None = None,
) -> SelfAssessment:
    """Record a round of the National Standards self-assessment that members agreed together: a rating of
    1 to 6 for every standard, with notes, and the members who took part."""
    access.require(access.can_manage(actor, space))
    notes = notes or {}
    errors: dict[str, list[str]] = {}
    for standard in STANDARDS:
        rating = ratings.get(standard.id)
        if rating is None:
            errors[standard.id] = [_("Rate this standard from 1 to 6.")]
        elif (
            isinstance(rating, bool) or not isinstance(rating, int) or not RATING_MIN <= rating <= RATING_MAX
        ):
            errors[standard.id] = [_("A rating is a whole number from 1 to 6.")]
    unknown = set(ratings) - {s.id for s in STANDARDS}
    if unknown:
        errors["__all__"] = [_("Unknown standard: %s") % ", ".join(sorted(unknown))]
    people = list(participants)
    if not people:
        errors["participants"] = [_("Say who took part.")]
    member_ids = set(
        Membership.objects.filter(space=space, user__in=[p.pk for p in people]).values_list(
            "user_id", flat=True
        )
    )
    if any(p.pk not in member_ids for p in people):
        errors["participants"] = [_("Only members of the space can take part.")]
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = [_("The day you agreed it cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    assessment = SelfAssessment(space=space, agreed_on=agreed_on, recorded_by=actor)
    assessment.full_clean()
    assessment.save()
    assessment.participants.set(people)
    for standard in STANDARDS:
        row = StandardRating(
            assessment=assessment,
            standard=standard.id,
            rating=ratings[standard.id],
            notes=notes.get(standard.id, ""),
        )
        row.full_clean(exclude=["assessment"])
        row.save()
    audit.record(
        actor=actor,
        action="quality.self_assessment_create",
        target=assessment,
        space=space,
        summary=f"Recorded the National Standards self-assessment of {space.title} agreed on {agreed_on}",
        changes={"ratings": [None, dict(ratings)]},
    )
    return assessment
