"""Evidence and judgements as JSON (coproduce.lib.quality.serialise): what the app stores and shows."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.lib.quality.spaces import consultation_space, coproduction_space

from coproduce.lib.quality import serialise
from coproduce.lib.quality.evidence import (
    PERSPECTIVES,
    STAGES,
    Measure,
    Milestone,
    PersonTally,
    Tally,
    build_evidence,
)
from coproduce.lib.quality.judge import judge
from coproduce.lib.quality.rules import RULES

spaces = st.builds(
    lambda tallies, members, joined, milestones, mix, people: build_evidence(
        tallies,
        members=members,
        first_joined=joined,
        milestones=milestones,
        target_mix=mix,
        per_person={Measure.AGENDA_ITEMS: people},
    ),
    st.lists(
        st.builds(
            Tally,
            st.sampled_from(list(Measure)),
            st.sampled_from(STAGES),
            st.sampled_from(PERSPECTIVES),
            st.integers(0, 50),
        )
    ),
    st.dictionaries(st.sampled_from(PERSPECTIVES), st.integers(0, 50)),
    st.dictionaries(st.sampled_from(PERSPECTIVES), st.dates()),
    st.dictionaries(st.sampled_from(list(Milestone)), st.dates()),
    st.dictionaries(st.sampled_from(PERSPECTIVES), st.floats(0, 1)),
    st.lists(st.builds(PersonTally, st.sampled_from(PERSPECTIVES), st.integers(0, 9)), max_size=5),
)


@settings(max_examples=100, deadline=None)
@given(spaces)
def test_evidence_survives_json(space):
    data = json.loads(json.dumps(serialise.evidence_to_dict(space)))
    back = serialise.evidence_from_dict(data)
    assert back == space
    assert judge(back) == judge(space)


def test_evidence_of_another_version_is_refused():
    data = serialise.evidence_to_dict(build_evidence())
    data["version"] = 99
    with pytest.raises(ValueError):
        serialise.evidence_from_dict(data)


@pytest.mark.parametrize(
    "space", [coproduction_space(), consultation_space()], ids=["co-production", "consultation"]
)
def test_a_judgement_as_json_has_every_rule_step_and_suggestion(space):
    judgement = judge(space)
    data = json.loads(json.dumps(serialise.judgement_to_dict(judgement)))
    assert data["level"] == judgement.level.value
    assert [r["rule"] for r in data["results"]] == [r.id for r in RULES]
    assert [s["step"] for s in data["steps"]] == [s.step.value for s in judgement.steps]
    assert [s["finding"] for s in data["suggestions"]] == [s.finding for s in judgement.suggestions]
    plans = next(r for r in data["results"] if r["rule"] == "plans_not_before")
    assert {f["unit"] for f in plans["figures"]} == {"date"}
    assert all(isinstance(f["value"], str) for f in plans["figures"])
    date.fromisoformat(plans["figures"][0]["value"])
