"""The rules of the quality check as data (coproduce.lib.quality.rules): every rule has its source, threshold and
words, the module's table documents every one, and every result names the records behind its figures."""

from __future__ import annotations

import re
from datetime import date

import pytest

from coproduce.lib.quality import rules
from coproduce.lib.quality.evidence import (
    CO_DESIGN,
    LIVED_EXPERIENCE,
    PERSPECTIVES,
    PRACTITIONER,
    STAGES,
    Measure,
    Milestone,
    PersonTally,
    Tally,
    build_evidence,
)
from coproduce.lib.quality.rules import RULES, Outcome, Step
from coproduce.lib.quality.standards import STANDARDS_BY_ID

KNOWN_SOURCES = {rules.TLAP, rules.ARNSTEIN, rules.BOVAIRD, rules.NSCE, rules.SCIE, rules.NESTA}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_a_source_a_threshold_and_plain_words(rule):
    assert rule.sources and set(rule.sources) <= KNOWN_SOURCES
    assert re.search(r"\d|\bno\b", rule.threshold), "a threshold says its number"
    assert rule.statement.endswith(".") and rule.advice.endswith(".")
    assert rule.step is not Step.COERCION
    assert rule.standards and set(rule.standards) <= set(STANDARDS_BY_ID)
    assert re.fullmatch(r"[a-z_]+", rule.id)


def test_rule_ids_are_unique_and_every_step_above_coercion_has_a_required_rule():
    assert len({r.id for r in RULES}) == len(RULES)
    for step in list(Step)[1:]:
        assert any(r.required and r.step is step for r in RULES), step


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_the_module_docstring_table_documents_every_rule(rule):
    row = next(line for line in (rules.__doc__ or "").splitlines() if line.startswith(f"| {rule.id} |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == rule.step.label.lower()
    assert cells[2] == ("yes" if rule.required else "no")


def test_the_sources_are_the_works_the_issue_names():
    assert "2015" in rules.TLAP and "Ladder of co-production" in rules.TLAP
    assert "1969" in rules.ARNSTEIN and "A ladder of citizen participation" in rules.ARNSTEIN
    assert "2007" in rules.BOVAIRD and "67(5)" in rules.BOVAIRD
    assert "2016" in rules.NSCE


def _busy():
    tallies = [Tally(m, s, p, 2) for m in Measure for s in STAGES for p in PERSPECTIVES]
    return build_evidence(
        tallies,
        target_mix={LIVED_EXPERIENCE: 0.5},
        first_joined={p: date(2025, 1, 1) for p in PERSPECTIVES},
        milestones={m: date(2025, 2, 1) for m in Milestone},
        per_person={m: (PersonTally(PRACTITIONER, 3), PersonTally(LIVED_EXPERIENCE, 2)) * 4 for m in Measure},
    )


@pytest.mark.parametrize("evidence", [build_evidence(), _busy()], ids=["empty", "busy"])
def test_every_result_has_a_finding_and_figures_that_name_their_records(evidence):
    results = rules.evaluate(evidence)
    assert list(results) == [r.id for r in RULES]
    for result in results.values():
        assert result.finding[:1].isupper() or result.finding[:1].isdigit()
        assert result.finding.endswith("."), result
        assert result.figures, result.rule_id
        for figure in result.figures:
            assert set(figure.stages) <= set(STAGES) and set(figure.perspectives) <= set(PERSPECTIVES)
            if figure.unit == "date":
                assert figure.milestone is not None or figure.measure is Measure.MEMBERS
            elif figure.unit not in {"percent", "ways"}:
                assert figure.measure is not None, (result.rule_id, figure.label)
        assert set(result.records) <= set(Measure)


def test_a_share_exactly_at_the_threshold_is_met_and_one_below_is_not():
    def actions(lived, others):
        return build_evidence(
            [
                Tally(Measure.ACTIONS_OWNED, "co_delivery", LIVED_EXPERIENCE, lived),
                Tally(Measure.ACTIONS_OWNED, "co_delivery", PRACTITIONER, others),
            ]
        )

    assert rules.lived_own_actions(actions(1, 4)).outcome is Outcome.MET  # 20 %
    assert rules.lived_own_actions(actions(1, 5)).outcome is Outcome.NOT_MET  # 16 %
    assert rules.lived_own_actions(actions(1, 5)).finding == (
        "People with lived experience or carers own 1 of 6 actions (16 %)."
    )
    assert rules.lived_own_actions(actions(0, 0)).outcome is Outcome.NOT_ENOUGH_EVIDENCE


def test_concentration_needs_enough_items_and_members_and_counts_per_person():
    def space(tallies, members=20):
        return build_evidence(
            [Tally(Measure.IDEAS_WRITTEN, CO_DESIGN, t.perspective, t.count) for t in tallies],
            members={LIVED_EXPERIENCE: members},
            per_person={Measure.IDEAS_WRITTEN: tallies},
        )

    one = (PersonTally(PRACTITIONER, 9), PersonTally(LIVED_EXPERIENCE, 1))
    check = RULES[[r.id for r in RULES].index("ideas_concentration")].evaluate
    assert check(space(one)).finding == "One practitioner wrote 90 % of ideas."
    mixed = (PersonTally(PRACTITIONER, 4), PersonTally("commissioner", 3), PersonTally(PRACTITIONER, 1))
    mixed += (PersonTally(LIVED_EXPERIENCE, 1), PersonTally(LIVED_EXPERIENCE, 1))
    assert check(space(mixed)).finding == (
        "Three people (two practitioners and one commissioner) wrote 80 % of ideas."
    )
    assert check(space(one, members=9)).outcome is Outcome.NOT_ENOUGH_EVIDENCE
    spread = tuple(PersonTally(LIVED_EXPERIENCE, 1) for _ in range(10))
    assert check(space(spread)).outcome is Outcome.MET


def test_access_needs_with_none_recorded_as_met_are_not_called_unmet():
    """Meetings do not record yet whether a need was met: six needs stated and none recorded as met is "not
    enough evidence", never "0 % were met"; one recorded as met makes it a real share."""
    from coproduce.lib.quality.evidence import Measure, Tally, build_evidence
    from coproduce.lib.quality.rules import RULES_BY_ID, Outcome

    rule = RULES_BY_ID["access_needs_met"]
    stated = Tally(Measure.ACCESS_NEEDS_STATED, "co_design", "lived_experience", 6)
    found = rule.evaluate(build_evidence([stated]))
    assert found.outcome == Outcome.NOT_ENOUGH_EVIDENCE
    assert "none is recorded as met" in found.finding and "0 %" not in found.finding
    one = rule.evaluate(
        build_evidence([stated, Tally(Measure.ACCESS_NEEDS_MET, "co_design", "lived_experience", 1)])
    )
    assert one.outcome == Outcome.NOT_MET and "1 of 6" in one.finding
