"""Ledger arithmetic on plain data (coproduce.lib.ledger): parsing hours, double entry, limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.lib import ledger
from coproduce.lib.ledger import LedgerError, Limits


@pytest.mark.parametrize(
    "text, minutes",
    [
        ("1", 60),
        ("1.5", 90),
        ("1,5", 90),
        ("0.25", 15),
        ("1:30", 90),
        (":45", 45),
        ("1h30", 90),
        ("2 hours", 120),
        ("90 min", 90),
        ("45m", 45),
        (" 3 ", 180),
        (2, 120),
        (0.75, 45),
    ],
)
def test_parse_hours(text, minutes):
    assert ledger.parse_hours(text) == minutes


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "not_hours"),
        ("abc", "not_hours"),
        ("1.1", "step"),
        ("0", "not_positive"),
        ("-1", "not_positive"),
        ("1:10", "step"),
        ("1:xx", "not_hours"),
        ("0.001", "step"),
    ],
)
def test_parse_hours_refuses(text, code):
    with pytest.raises(LedgerError) as caught:
        ledger.parse_hours(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    "minutes, text", [(0, "0 h"), (60, "1 h"), (90, "1.5 h"), (-15, "−0.25 h"), (135, "2.25 h")]
)
def test_format_minutes(minutes, text):
    assert ledger.format_minutes(minutes) == text


def test_format_signed():
    assert ledger.format_minutes(30, signed=True) == "+0.5 h"
    assert ledger.hours_text(-135) == "-2.25"
    assert ledger.hours_text(120) == "2"


@given(st.integers(min_value=1, max_value=10_000).map(lambda n: n * 15))
def test_hours_text_round_trips(minutes):
    assert ledger.parse_hours(ledger.hours_text(minutes)) == minutes


def test_merge_combines_and_drops_zero():
    assert ledger.merge([("a", -30), ("b", 15), ("b", 15), ("c", 5), ("c", -5)]) == {"a": -30, "b": 30}
    with pytest.raises(LedgerError):
        ledger.merge([("a", 1.5)])


@pytest.mark.parametrize(
    "postings, code",
    [({}, "empty"), ({"a": 0}, "empty"), ({"a": 15}, "one_account"), ({"a": 15, "b": -30}, "unbalanced")],
)
def test_check_balanced(postings, code):
    with pytest.raises(LedgerError) as caught:
        ledger.check_balanced({k: v for k, v in postings.items() if v})
    assert caught.value.code == code


def test_breaches_counts_only_the_direction_of_travel():
    limits = Limits(-60, 60)
    assert ledger.breaches(0, -60, limits) is None
    assert ledger.breaches(0, -75, limits) == "minimum"
    assert ledger.breaches(0, 75, limits) == "maximum"
    assert ledger.breaches(-120, 15, limits) is None  # already past the limit, moving back
    assert ledger.breaches(120, -15, limits) is None


transfers = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(1, 40).map(lambda n: n * 15)), max_size=40
)


@given(transfers, st.integers(0, 40).map(lambda n: n * 15))
def test_applied_transfers_always_sum_to_zero_and_respect_limits(steps, limit):
    limits = {k: Limits(-limit, limit) for k in range(4)}
    balances: dict = {}
    history = []
    for a, b, amount in steps:
        if a == b:
            continue
        # Every balance starts within its limits, so a transfer is refused exactly when it takes one past them.
        past_a_limit = balances.get(a, 0) - amount < -limit or balances.get(b, 0) + amount > limit
        try:
            balances = ledger.apply(balances, {a: -amount, b: amount}, limits)
        except LedgerError:
            assert past_a_limit
            continue
        assert not past_a_limit
        history += [(a, -amount), (b, amount)]
        assert sum(balances.values()) == 0
        assert all(-limit <= v <= limit for v in balances.values())
    assert ledger.discrepancies(balances, ledger.balances_from(history)) == []


def test_discrepancies_name_the_account():
    found = ledger.discrepancies({"a": 10, "b": -10}, {"a": 10})
    assert [(d.account, d.cached, d.from_postings) for d in found] == [("b", -10, 0)]
    assert "cached balance -10" in str(found[0])


@pytest.mark.parametrize(
    "given_, received, pattern",
    [(0, 0, "none"), (600, 0, "gives"), (600, 30, "gives"), (0, 120, "receives"), (300, 240, "both")],
)
def test_reciprocity(given_, received, pattern):
    assert ledger.reciprocity(given_, received) == pattern


@pytest.mark.parametrize("text", ["inf", "nan", "1e12", "-inf"])
def test_parse_hours_refuses_numbers_that_are_not_times(text):
    with pytest.raises(LedgerError):
        ledger.parse_hours(text)
