"""Every change to case studies: validated, atomic, audited, and told to the network search. A host drafts
one from a space's records (`drafting.py`); a reader writes to the author through the notifications hook."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.people.models import Organisation, User
from coproduce.spaces.models import STAGE_ORDER, Perspective, Space

from . import access
from .drafting import draft_from_space
from .models import CaseStudy, CaseStudyStatus

KIND = "casestudies.casestudy"
TEXT_FIELDS = [
    "title",
    "place",
    "organisations_text",
    "topics",
    "what_happened",
    "what_changed",
    "evidence",
    "what_was_hard",
    "what_it_cost",
    "licence",
]
EDIT_FIELDS = [*TEXT_FIELDS, "stages", "perspectives"]
MESSAGE_MAX = 2000


def _codes(values: Iterable[str] | str | None, allowed: list[str], field: str) -> str:
    if isinstance(values, str):
        values = [v for v in values.split(",") if v]
    chosen = set(values or [])
    unknown = chosen - set(allowed)
    if unknown:
        raise ValidationError(
            {field: _("Not one of the choices: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}}
        )
    ordered = [code for code in allowed if code in chosen]
    return f",{','.join(ordered)}," if ordered else ""


def _topics(value: str) -> str:
    seen: dict[str, str] = {}
    for part in (value or "").split(","):
        word = " ".join(part.split())
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return ", ".join(seen.values())


def _prepare(fields: dict[str, Any]) -> dict[str, Any]:
    ready = {}
    for name, value in fields.items():
        if name == "stages":
            value = _codes(value, STAGE_ORDER, "stages")
        elif name == "perspectives":
            value = _codes(value, list(Perspective.values), "perspectives")
        elif name == "topics":
            value = _topics(value)
        elif isinstance(value, str):
            value = value.strip()
        ready[name] = value
    return ready


def _changed(case_study: CaseStudy) -> None:
    registry.search_changed(KIND, [case_study.pk])


@transaction.atomic
def case_study_create(
    *,
    actor: User,
    title: str,
    organisations: Iterable[Organisation] = (),
    space: Space | None = None,
    generated: bool = False,
    **fields: Any,
) -> CaseStudy:
    """A draft case study; its author changes and publishes it."""
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise ValueError(f"not a case study field: {', '.join(sorted(unknown))}")
    access.require(access.can_write(actor))
    case_study = CaseStudy(
        title=(title or "").strip(), author=actor, space=space, generated=generated, **_prepare(fields)
    )
    case_study.full_clean()
    case_study.save()
    case_study.organisations.set(list(organisations))
    audit.record(
        actor=actor,
        action="casestudy.created",
        target=case_study,
        space=space,
        summary=(
            _("Case study “%(title)s” drafted from the space's records")
            if generated
            else _("Case study “%(title)s” written")
        )
        % {"title": case_study.title},
        changes={"title": [None, case_study.title], "status": [None, case_study.status]},
    )
    _changed(case_study)
    return case_study


def case_study_generate(*, actor: User, space: Space) -> CaseStudy:
    """A host drafts a case study from the space's own records (see drafting.py), to edit and publish."""
    access.require(access.can_generate(actor, space))
    draft = draft_from_space(space, actor)
    return case_study_create(
        actor=actor,
        title=draft.title[:160],
        place=draft.place,
        stages=draft.stages,
        perspectives=draft.perspectives,
        what_happened=draft.what_happened[:8000],
        what_changed=draft.what_changed[:6000],
        evidence=draft.evidence[:4000],
        organisations=Organisation.objects.filter(pk__in=draft.organisation_ids),
        space=space,
        generated=True,
    )


@transaction.atomic
def case_study_edit(
    *, actor: User, case_study: CaseStudy, organisations: Iterable[Organisation] | None = None, **fields: Any
) -> CaseStudy:
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise ValueError(f"not an editable case study field: {', '.join(sorted(unknown))}")
    access.require(access.can_edit(actor, case_study))
    # Lock: two people saving at once each see the other's change in the audit trail.
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    before = audit.snapshot(case_study, EDIT_FIELDS)
    for name, value in _prepare(fields).items():
        setattr(case_study, name, value)
    case_study.full_clean()
    changes = audit.diff(case_study, before, EDIT_FIELDS)
    if organisations is not None:
        old = set(case_study.organisations.values_list("id", flat=True))
        new = {o.pk for o in organisations}
        if old != new:
            case_study.organisations.set(list(organisations))
            changes["organisations"] = [sorted(old), sorted(new)]
    if not changes:
        return case_study
    case_study.save(update_fields=[*(c for c in changes if c != "organisations"), "updated_at"])
    audit.record(
        actor=actor,
        action="casestudy.edited",
        target=case_study,
        space=case_study.space,
        summary=_("Case study “%(title)s” changed: %(fields)s")
        % {"title": case_study.title, "fields": audit.field_names(case_study, changes)},
        changes=changes,
    )
    _changed(case_study)
    return case_study


@transaction.atomic
def case_study_publish(*, actor: User, case_study: CaseStudy) -> CaseStudy:
    access.require(access.can_edit(actor, case_study))
    if not (case_study.what_happened.strip() and case_study.what_changed.strip()):
        raise ValidationError(_("Say what happened and what changed before you publish it."))
    now = timezone.now()
    # A conditional UPDATE: two clicks at once publish it once, with one audit record.
    done = CaseStudy.objects.filter(pk=case_study.pk, status=CaseStudyStatus.DRAFT).update(
        status=CaseStudyStatus.PUBLISHED, published_at=now, updated_at=now
    )
    case_study.refresh_from_db()
    if not done:
        return case_study
    audit.record(
        actor=actor,
        action="casestudy.published",
        target=case_study,
        space=case_study.space,
        summary=_("Case study “%(title)s” published") % {"title": case_study.title},
        changes={"status": [CaseStudyStatus.DRAFT, CaseStudyStatus.PUBLISHED]},
        public=True,
    )
    _changed(case_study)
    return case_study


@transaction.atomic
def case_study_delete(*, actor: User, case_study: CaseStudy) -> None:
    access.require(access.can_edit(actor, case_study))
    pk, title = case_study.pk, case_study.title
    audit.record(
        actor=actor,
        action="casestudy.deleted",
        target=case_study,
        space=case_study.space,
        summary=_("Case study “%(title)s” deleted") % {"title": title},
        changes={"title": [title, None]},
    )
    case_study.delete()
    registry.search_changed(KIND, [pk])


@transaction.atomic
def case_study_contact(*, actor: User, case_study: CaseStudy, message: str) -> None:
    """A reader writes to the author through the platform (the notifications hook): the author sees the
    message and the sender's name, and no one sees anyone's email."""
    access.require(access.can_contact(actor, case_study))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write your message.")})
    if len(message) > MESSAGE_MAX:
        raise ValidationError(
            {
                "message": _("Keep it under %(n)s characters: this one has %(m)s.")
                % {"n": MESSAGE_MAX, "m": len(message)}
            }
        )
    notify = registry.hook("notify")
    if notify is None:
        raise ValidationError(_("Messages cannot be sent on this site."))
    event = audit.record(
        actor=actor,
        action="casestudy.contacted",
        target=case_study,
        summary=_("Someone wrote to the author of “%(title)s”") % {"title": case_study.title},
    )
    notify(
        kind="casestudy_contact",
        recipients=[case_study.author],
        params={"person": actor.display_name, "title": case_study.title},
        url=case_study.get_absolute_url(),
        key=f"casestudy_contact:{event.pk}",
        actor=actor,
        text=message,
    )
