"""SROI arithmetic on plain data (coproduce.lib.sroi): hand-worked examples, validation, sensitivity and
properties that must always hold."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.lib import sroi
from coproduce.lib.sroi import Analysis, Outcome, SroiError


def test_one_outcome_over_three_years_worked_by_hand():
    """10 people × £100 = £1,000 a year gross.
    Less 20 % deadweight: £800. No displacement. Less 25 % attribution: £600 in year 1.
    Drop-off 10 % a year after the first: year 2 £540, year 3 £486.
    Discounted at 3.5 %: 600 / 1.035 = 579.71; 540 / 1.035² = 540 / 1.071225 = 504.10;
    486 / 1.035³ = 486 / 1.108717875 = 438.34. Present value 1,522.15.
    Inputs £500: NPV 1,522.15 − 500 = 1,022.15; ratio 1,522.15 / 500 = 3.04."""
    outcome = Outcome(
        "Fewer crises",
        quantity=10,
        proxy_value=100,
        deadweight=0.2,
        attribution=0.25,
        drop_off=0.1,
        duration_years=3,
    )
    result = sroi.calculate(Analysis((outcome,), inputs_total=500))
    value = result.outcomes[0]
    assert value.gross_per_year == 1000
    assert value.impact_per_year == pytest.approx(600)
    assert value.yearly == pytest.approx((600, 540, 486))
    assert value.present_value == pytest.approx(1522.15, abs=0.01)
    assert result.net_present_value == pytest.approx(1022.15, abs=0.01)
    assert result.ratio == pytest.approx(3.044, abs=0.001)


def test_two_outcomes_add_up_worked_by_hand():
    """A: 12 A&E attendances × £109 = £1,308; less 10 % deadweight = £1,177.20; less 50 % attribution
    = £588.60; one year, discounted: 588.60 / 1.035 = 568.70.
    B: 4 bed days × £429 = £1,716; no adjustments; one year at a 0 % rate would be £1,716, but the rate
    is 3.5 %: 1,716 / 1.035 = 1,657.97.
    Present value 568.70 + 1,657.97 = 2,226.67; inputs £1,000: ratio 2.23, NPV 1,226.67."""
    a = Outcome("A&E", quantity=12, proxy_value=109, deadweight=0.1, attribution=0.5)
    b = Outcome("Bed days", quantity=4, proxy_value=429)
    result = sroi.calculate(Analysis((a, b), inputs_total=1000))
    assert result.outcomes[0].present_value == pytest.approx(568.70, abs=0.01)
    assert result.outcomes[1].present_value == pytest.approx(1657.97, abs=0.01)
    assert result.present_value == pytest.approx(2226.67, abs=0.01)
    assert result.ratio == pytest.approx(2.2267, abs=0.0001)


def test_displacement_and_zero_rate_worked_by_hand():
    """5 × £200 = £1,000; less 40 % displacement = £600; 2 years, 50 % drop-off: 600 then 300;
    at a 0 % discount rate nothing is discounted: 900. Inputs £300: ratio 3.0, NPV 600."""
    outcome = Outcome("Housing kept", 5, 200, displacement=0.4, drop_off=0.5, duration_years=2)
    result = sroi.calculate(Analysis((outcome,), inputs_total=300, discount_rate=0))
    assert result.present_value == pytest.approx(900)
    assert result.ratio == pytest.approx(3.0)
    assert result.net_present_value == pytest.approx(600)


def test_the_default_discount_rate_is_the_green_book_rate():
    assert Analysis((), inputs_total=1).discount_rate == 0.035


def test_steps_say_the_calculation_in_plain_words():
    outcome = Outcome(
        "Fewer crises", 10, 100, deadweight=0.2, attribution=0.25, drop_off=0.1, duration_years=3
    )
    steps = sroi.calculate(Analysis((outcome,), inputs_total=500)).steps
    texts = [s.text for s in steps]
    assert texts[0] == "“Fewer crises”: 10 × £100.00 = £1,000.00 a year before anything is taken away."
    assert "Take away 20 % deadweight (what would have happened anyway): £800.00." in texts
    assert "Take away 25 % attribution (the part others made happen): £600.00." in texts
    assert any("year 1 £600.00, year 2 £540.00, year 3 £486.00" in t for t in texts)
    assert texts[-1].startswith("SROI ratio: £1,522.15 ÷ £500.00 = 3.04.")
    assert steps[-1].amount == pytest.approx(3.044, abs=0.001)


def test_no_inputs_gives_no_ratio_and_says_why():
    result = sroi.calculate(Analysis((Outcome("x", 1, 10),), inputs_total=0))
    assert result.ratio is None
    assert result.net_present_value == pytest.approx(10 / 1.035)
    assert "cannot be worked out" in result.steps[-1].text


def test_no_outcomes_is_worth_nothing():
    result = sroi.calculate(Analysis((), inputs_total=100))
    assert result.present_value == 0
    assert result.ratio == 0
    assert result.net_present_value == -100
    assert "No outcomes" in result.steps[0].text


@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"attribution": 1.01}, "attribution", "over_100"),
        ({"deadweight": 1.5}, "deadweight", "over_100"),
        ({"displacement": -0.1}, "displacement", "negative"),
        ({"drop_off": 2}, "drop_off", "over_100"),
        ({"quantity": -1}, "quantity", "negative"),
        ({"proxy_value": -5}, "proxy_value", "negative"),
        ({"quantity": math.nan}, "quantity", "not_number"),
        ({"proxy_value": math.inf}, "proxy_value", "not_number"),
        ({"duration_years": 0}, "duration_years", "duration_range"),
        ({"duration_years": 51}, "duration_years", "duration_range"),
        ({"duration_years": 1.5}, "duration_years", "not_whole"),
    ],
)
def test_bad_outcomes_are_refused_naming_the_field(change, field, code):
    outcome = replace(Outcome("x", 1, 10), **change)
    with pytest.raises(SroiError) as caught:
        sroi.calculate(Analysis((outcome,), inputs_total=10))
    assert (caught.value.field, caught.value.code) == (field, code)
    assert str(caught.value)


def test_over_100_percent_attribution_message():
    with pytest.raises(SroiError, match="Attribution cannot be more than 100 %"):
        sroi.validate_outcome(Outcome("x", 1, 1, attribution=1.2))


@pytest.mark.parametrize(
    "analysis, field",
    [
        (Analysis((), inputs_total=-1), "inputs_total"),
        (Analysis((), inputs_total=1, discount_rate=-0.01), "discount_rate"),
        (Analysis((), inputs_total=1, discount_rate=1.5), "discount_rate"),
    ],
)
def test_bad_analysis_is_refused_naming_the_field(analysis, field):
    with pytest.raises(SroiError) as caught:
        sroi.calculate(analysis)
    assert caught.value.field == field


def test_total_of_inputs():
    assert sroi.total([100.0, 25.5, 0]) == 125.5
    with pytest.raises(SroiError):
        sroi.total([10, -1])


def test_sensitivity_varies_each_assumption():
    outcome = Outcome("x", 10, 100, deadweight=0.2, attribution=0.25, drop_off=0.1, duration_years=3)
    analysis = Analysis((outcome,), inputs_total=500)
    rows = sroi.sensitivity(analysis)
    assert rows[0].assumption == "As entered"
    assert rows[0].ratio == pytest.approx(sroi.calculate(analysis).ratio)
    by = {(r.assumption, r.change): r.ratio for r in rows}
    # Attribution 25 % + 10 points = 35 %: year 1 = 1,000 × 0.8 × 0.65 = 520, i.e. 520/600 of the base.
    assert by[("Attribution", "+10 points")] == pytest.approx(rows[0].ratio * 520 / 600)
    # Deadweight − 25 points is held at 0 %: 1,000 × 1 × 0.75 = 750.
    assert by[("Deadweight", "−25 points")] == pytest.approx(rows[0].ratio * 750 / 600)
    assert by[("Inputs", "× 0.5")] == pytest.approx(rows[0].ratio * 2)
    assert by[("Quantity", "× 1.5")] == pytest.approx(rows[0].ratio * 1.5)
    assert by[("Discount rate", "0 % instead")] == pytest.approx((600 + 540 + 486) / 500)
    assert by[("Duration", "-1 year")] == pytest.approx((600 / 1.035 + 540 / 1.035**2) / 500)
    assert {r.assumption for r in rows} >= {
        "Deadweight",
        "Displacement",
        "Attribution",
        "Drop-off",
        "Duration",
    }


def test_money_and_percent():
    assert sroi.money(1234.5) == "£1,234.50"
    assert sroi.money(-12) == "−£12.00"
    assert sroi.money(-0.001) == "£0.00"
    assert sroi.percent(0.035) == "3.5 %"
    assert sroi.percent(0.2) == "20 %"


# --- Properties -------------------------------------------------------------------------------------

shares = st.floats(min_value=0, max_value=1, allow_nan=False)
outcomes = st.builds(
    Outcome,
    name=st.just("o"),
    quantity=st.floats(min_value=0, max_value=1e6, allow_nan=False),
    proxy_value=st.floats(min_value=0, max_value=1e5, allow_nan=False),
    deadweight=shares,
    displacement=shares,
    attribution=shares,
    drop_off=shares,
    duration_years=st.integers(min_value=1, max_value=10),
)
analyses = st.builds(
    Analysis,
    outcomes=st.lists(outcomes, max_size=4).map(tuple),
    inputs_total=st.floats(min_value=0.01, max_value=1e7, allow_nan=False),
    discount_rate=st.floats(min_value=0, max_value=0.2, allow_nan=False),
)


@given(analysis=analyses, which=st.sampled_from(sroi.SHARES), more=shares, index=st.integers(0, 3))
def test_the_ratio_never_grows_when_a_share_grows(analysis, which, more, index):
    if not analysis.outcomes:
        return
    i = index % len(analysis.outcomes)
    before = analysis.outcomes[i]
    grown = replace(before, **{which: max(getattr(before, which), more)})
    after = replace(analysis, outcomes=(*analysis.outcomes[:i], grown, *analysis.outcomes[i + 1 :]))
    old, new = sroi.calculate(analysis).ratio, sroi.calculate(after).ratio
    assert new <= old * (1 + 1e-9) + 1e-12


@given(analysis=analyses)
def test_present_value_is_never_negative_nor_more_than_gross(analysis):
    result = sroi.calculate(analysis)
    assert result.present_value >= 0
    gross = sum(o.quantity * o.proxy_value * o.duration_years for o in analysis.outcomes)
    assert result.present_value <= gross * (1 + 1e-9) + 1e-9
    assert result.net_present_value == pytest.approx(result.present_value - analysis.inputs_total)


@given(analysis=analyses)
def test_zero_inputs_never_divides(analysis):
    result = sroi.calculate(replace(analysis, inputs_total=0))
    assert result.ratio is None
    assert all(row.ratio is None for row in sroi.sensitivity(replace(analysis, inputs_total=0)))


@given(analysis=analyses)
def test_sensitivity_of_attribution_and_deadweight_never_raises_the_ratio_when_they_grow(analysis):
    rows = {(r.assumption, r.change): r.ratio for r in sroi.sensitivity(analysis)}
    base = rows[("As entered", "")]
    for name in ("Deadweight", "Displacement", "Attribution", "Drop-off"):
        assert rows[(name, "+10 points")] <= base * (1 + 1e-9) + 1e-12
        assert rows[(name, "+25 points")] <= rows[(name, "+10 points")] * (1 + 1e-9) + 1e-12
