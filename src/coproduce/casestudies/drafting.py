"""A draft case study from a space's own records, through the module registry only: the space's stages
and members (spaces, the layer below), what people said (`registry.contributions`), what became of it
(`registry.trail_steps`: agenda items, decisions, projects, actions), every module's impact section
(`registry.impact_sections`: surveys, personal outcomes, social value) and the quality check's level (the
"quality_level" hook). No capability is imported, and a site without one of them drafts without it.

The draft names no one: it says how many people took part by perspective, never who."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from coproduce.core import registry
from coproduce.spaces.models import STAGE_ORDER, Perspective, Space, StageKind, StageStatus

MAX_LISTED = 6  # decisions and actions named in the draft; the rest are counted


@dataclass
class Draft:
    title: str
    place: str
    stages: list[str]
    perspectives: list[str]
    organisation_ids: list[int]
    what_happened: str
    what_changed: str
    evidence: str
    facts: dict[str, Any] = field(default_factory=dict)  # the numbers behind the words, for tests and the API


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _plural(n: int, message: Any) -> str:
    """A message marked with ngettext_lazy(one, many, "n"), in the plural form the reader's language needs for
    `n` (Welsh has six)."""
    return str(message % {"n": n})


def _follow(viewer: Any, contributions: list[registry.Contribution]) -> list[registry.TrailStep]:
    """Every step two levels down from what people said: the agenda item and decision on an idea, then the
    actions made from that decision (a few queries per module per level)."""
    by_kind: dict[str, list[int]] = {}
    for c in contributions:
        by_kind.setdefault(c.source.kind, []).append(c.source.pk)
    steps: list[registry.TrailStep] = []
    seen: set[tuple[str, int]] = set()
    for _level in range(3):
        found: dict[str, list[int]] = {}
        for kind, pks in by_kind.items():
            for level_steps in registry.trail_steps(kind, pks, viewer).values():
                for step in level_steps:
                    if (step.kind, step.pk) in seen:
                        continue
                    seen.add((step.kind, step.pk))
                    steps.append(step)
                    found.setdefault(step.kind, []).append(step.pk)
        by_kind = found
        if not by_kind:
            break
    return steps


def draft_from_space(space: Space, viewer: Any) -> Draft:
    stages = [
        s
        for s in sorted(space.stages.all(), key=lambda s: STAGE_ORDER.index(s.kind))
        if s.status != StageStatus.NOT_STARTED
    ]
    stage_names = dict(StageKind.choices)
    perspective_names = dict(Perspective.choices)
    mix = dict(
        space.memberships.values_list("perspective").annotate(n=Count("id")).values_list("perspective", "n")
    )
    members = sum(mix.values())
    said = registry.contributions(viewer, space=space)
    said_kinds = Counter(c.source.kind for c in said)
    said_by = Counter(c.perspective for c in said if c.perspective)
    steps = _follow(viewer, said)
    decisions = [s for s in steps if s.kind == "meetings.decision"]
    actions = [s for s in steps if s.kind == "actions.action"]
    projects = [s for s in steps if s.kind == "budgets.project"]
    done = [s for s in actions if s.reached]
    sections = registry.impact_sections(space, viewer)
    quality_hook = registry.hook("quality_level")
    quality = quality_hook(space) if quality_hook is not None else None

    happened = [f"{space.purpose}".strip()]
    if stages:
        happened.append(
            _("Stages of the Co-production Star: %(stages)s.")
            % {
                "stages": ", ".join(
                    f"{stage_names[s.kind]} ({s.get_status_display().lower()})" for s in stages
                )
            }
        )
    if members:
        parts = [f"{mix[p]} {str(perspective_names[p]).lower()}" for p in Perspective.values if mix.get(p)]
        happened.append(
            _plural(members, ngettext_lazy("%(n)s person took part", "%(n)s people took part", "n"))
            + ": "
            + ", ".join(parts)
            + "."
        )
    said_lines = []
    for kind, label in (
        ("ideas.idea", ngettext_lazy("%(n)s idea", "%(n)s ideas", "n")),
        ("meetings.agenda_item", ngettext_lazy("%(n)s agenda item", "%(n)s agenda items", "n")),
        (
            "budgets.project",
            ngettext_lazy("%(n)s budget project proposed", "%(n)s budget projects proposed", "n"),
        ),
    ):
        if said_kinds.get(kind):
            said_lines.append(_plural(said_kinds[kind], label))
    if said_lines:
        line = _("What people said: %(what)s.") % {"what": ", ".join(said_lines)}
        if said_by:
            line += " " + _("By perspective: %(mix)s.") % {
                "mix": ", ".join(
                    f"{str(perspective_names.get(p, p)).lower()} {n}" for p, n in said_by.most_common()
                )
            }
        happened.append(line)
    if decisions:
        happened.append(
            _("Decisions taken together:") + "\n" + _bullets([d.title for d in decisions[:MAX_LISTED]])
        )
        if len(decisions) > MAX_LISTED:
            happened.append(_("and %(n)s more decisions.") % {"n": len(decisions) - MAX_LISTED})
    if actions:
        happened.append(
            _("Actions agreed:")
            + "\n"
            + _bullets([f"{a.title} ({a.status})" if a.status else a.title for a in actions[:MAX_LISTED]])
        )

    changed = []
    if actions:
        changed.append(
            ngettext_lazy(
                "%(done)s of %(n)s action agreed was done.",
                "%(done)s of %(n)s actions agreed were done.",
                "n",
            )
            % {"done": len(done), "n": len(actions)}
        )
    funded = [p for p in projects if p.reached]
    if funded:
        changed.append(
            _plural(
                len(funded), ngettext_lazy("%(n)s project was funded.", "%(n)s projects were funded.", "n")
            )
        )
    for section in sections:
        line = f"{section.title}: {section.summary}".strip()
        figures = "; ".join(
            f"{f.label} {f.value}{(' ' + f.unit) if f.unit else ''}" for f in section.figures[:3]
        )
        changed.append(f"{line} ({figures})" if figures else line)
    if quality:
        changed.append(
            _("The co-production quality check places the space at “%(level)s” (%(band)s).")
            % {"level": quality["level"], "band": quality["band"]}
        )

    # Whole addresses: the case study is read away from the space (printed, reused under its licence).
    site = settings.SITE_URL
    evidence = [f"{section.title}: {site}{section.url}" for section in sections if section.url]
    if quality:
        evidence.append(_("Co-production quality check: %(url)s") % {"url": f"{site}{quality['url']}"})

    return Draft(
        title=_("Case study: %(space)s") % {"space": space.title},
        place=space.place,
        stages=[s.kind for s in stages],
        perspectives=[p for p in Perspective.values if mix.get(p)],
        organisation_ids=list(space.organisations.values_list("id", flat=True)),
        what_happened="\n\n".join(happened),
        what_changed=_bullets(changed) if changed else "",
        evidence=_bullets(evidence) if evidence else "",
        facts={
            "members": members,
            "by_perspective": mix,
            "said": dict(said_kinds),
            "decisions": len(decisions),
            "actions": len(actions),
            "actions_done": len(done),
            "sections": [s.key for s in sections],
            "quality_level": quality["level"] if quality else None,
        },
    )
