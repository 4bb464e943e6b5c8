"""Evidence and judgements as JSON-ready dicts, so the app can store the last check and show it without
recomputing (a big space's check runs in the task queue; the page reads what was stored).

`evidence_from_dict(evidence_to_dict(e)) == e`. Counts are written as lists of [stage, perspective, n] rows,
dates as ISO strings. A judgement is written for reading only (pages, the API, CSV/JSON exports): rule results
with their figures, the steps, the bands and the suggestions, all by id, so a page can look up the rule's words
in `rules.RULES_BY_ID`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from coproduce.lib.quality.evidence import Evidence, Measure, Milestone, PersonTally
from coproduce.lib.quality.judge import Judgement, Phase
from coproduce.lib.quality.rules import Figure, RuleResult

VERSION = 1


def evidence_to_dict(e: Evidence) -> dict[str, Any]:
    return {
        "version": VERSION,
        "counts": {
            str(m): sorted([stage, p, n] for (stage, p), n in counts.items())
            for m, counts in e.counts.items()
        },
        "members": dict(e.members),
        "target_mix": dict(e.target_mix),
        "first_joined": {p: d.isoformat() for p, d in e.first_joined.items()},
        "milestones": {str(m): d.isoformat() for m, d in e.milestones.items()},
        "per_person": {str(m): [[t.perspective, t.count] for t in ts] for m, ts in e.per_person.items()},
    }


def evidence_from_dict(data: Mapping[str, Any]) -> Evidence:
    if data.get("version") != VERSION:
        raise ValueError(f"evidence written in version {data.get('version')!r}, not {VERSION}")
    return Evidence(
        counts={
            Measure(m): {(str(stage), str(p)): int(n) for stage, p, n in rows}
            for m, rows in data["counts"].items()
        },
        members={str(p): int(n) for p, n in data["members"].items()},
        target_mix={str(p): float(s) for p, s in data["target_mix"].items()},
        first_joined={str(p): date.fromisoformat(d) for p, d in data["first_joined"].items()},
        milestones={Milestone(m): date.fromisoformat(d) for m, d in data["milestones"].items()},
        per_person={
            Measure(m): tuple(PersonTally(str(p), int(n)) for p, n in rows)
            for m, rows in data["per_person"].items()
        },
    )


def _figure(f: Figure) -> dict[str, Any]:
    return {
        "label": f.label,
        "value": f.value.isoformat() if isinstance(f.value, date) else f.value,
        "unit": f.unit,
        "measure": None if f.measure is None else str(f.measure),
        "milestone": None if f.milestone is None else str(f.milestone),
        "stages": list(f.stages),
        "perspectives": list(f.perspectives),
    }


def _result(r: RuleResult) -> dict[str, Any]:
    return {
        "rule": r.rule_id,
        "outcome": str(r.outcome),
        "finding": r.finding,
        "figures": [_figure(f) for f in r.figures],
    }


def _phase(p: Phase) -> dict[str, Any]:
    return {
        "role": str(p.role),
        "professional_high": p.professional_high,
        "community_high": p.community_high,
        "professional": p.professional.rule_id,
        "community": p.community.rule_id,
    }


def judgement_to_dict(j: Judgement) -> dict[str, Any]:
    return {
        "version": VERSION,
        "level": str(j.level),
        "arnstein": str(j.arnstein),
        "bovaird": {
            "cell": j.bovaird.cell,
            "label": j.bovaird.label,
            "planning": _phase(j.bovaird.planning),
            "delivery": _phase(j.bovaird.delivery),
        },
        "self_help": j.self_help,
        "steps": [
            {
                "step": str(s.step),
                "reached": s.reached,
                "for": [r.rule_id for r in s.supporting],
                "against": [r.rule_id for r in s.against],
                "unknown": [r.rule_id for r in s.unknown],
            }
            for s in j.steps
        ],
        "results": [_result(r) for r in j.results.values()],
        "suggestions": [
            {
                "rule": s.rule_id,
                "step": str(s.step),
                "required": s.required,
                "finding": s.finding,
                "advice": s.advice,
            }
            for s in j.suggestions
        ],
    }
