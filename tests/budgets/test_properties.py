"""Arithmetic that must always hold, checked with Hypothesis on unsaved budgets and projects (no database)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.budgets.choices import validate_choices
from coproduce.budgets.models import Budget, Project
from coproduce.budgets.selectors import running_total

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)


def make(kind: str, amount: Decimal, costs: list[Decimal], **fields) -> tuple[Budget, dict[int, Project]]:
    budget = Budget(title="B", amount=amount, ballot_type=kind, **fields)
    projects = {n: Project(pk=n, title=f"P{n}", cost=cost) for n, cost in enumerate(costs, start=1)}
    return budget, projects


@settings(max_examples=300, deadline=None)
@given(
    amount=money,
    costs=st.lists(money, min_size=1, max_size=12),
    share=st.integers(min_value=0, max_value=100),
    picks=st.sets(st.integers(min_value=1, max_value=12)),
)
def test_a_knapsack_ballot_is_accepted_exactly_when_it_fits(amount, costs, share, picks):
    budget, projects = make("knapsack", amount, costs, min_share_percent=share)
    chosen = [(n, 1) for n in sorted(picks) if n in projects]
    total = sum((projects[n].cost for n, _v in chosen), Decimal(0))
    try:
        validate_choices(budget, projects, chosen)
    except ValidationError:
        accepted = False
    else:
        accepted = True
    least = (amount * share / 100).quantize(Decimal("0.01"))
    fits = bool(chosen) and least <= total <= amount
    assert accepted == fits
    if accepted:
        assert total <= amount  # never a ballot over the budget
    assert running_total(budget, projects, chosen).ok == accepted


@settings(max_examples=200, deadline=None)
@given(
    minimum=st.integers(min_value=1, max_value=5),
    extra=st.one_of(st.none(), st.integers(min_value=0, max_value=5)),
    picks=st.lists(st.integers(min_value=1, max_value=10), unique=True),
)
def test_an_approval_ballot_is_accepted_exactly_between_its_limits(minimum, extra, picks):
    maximum = None if extra is None else minimum + extra
    budget, projects = make(
        "approval", Decimal(100), [Decimal(1)] * 10, min_projects=minimum, max_projects=maximum
    )
    chosen = [(n, 1) for n in picks]
    try:
        validate_choices(budget, projects, chosen)
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert accepted == (minimum <= len(picks) and (maximum is None or len(picks) <= maximum))


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=1, max_value=20),
    cap=st.one_of(st.none(), st.integers(min_value=1, max_value=10)),
    points=st.lists(st.integers(min_value=0, max_value=15), min_size=1, max_size=6),
)
def test_cumulative_ballots_never_give_more_points_than_a_voter_has(total, cap, points):
    budget, projects = make(
        "cumulative", Decimal(100), [Decimal(1)] * 6, points_total=total, max_points_per_project=cap
    )
    chosen = list(enumerate(points, start=1))
    given_points = [v for v in points if v > 0]
    allowed = bool(given_points) and sum(given_points) <= total and (cap is None or max(given_points) <= cap)
    try:
        stored = validate_choices(budget, projects, chosen)
    except ValidationError:
        assert not allowed
        return
    assert allowed
    assert sum(v for _p, v in stored) <= total
    assert cap is None or all(v <= cap for _p, v in stored)
    assert all(v > 0 for _p, v in stored)


def _as_ints(pairs) -> list[tuple[int, int]]:
    try:
        return [(int(a), int(b)) for a, b in pairs]
    except (TypeError, ValueError):
        return []


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.integers(min_value=-2, max_value=5), st.text(max_size=3), st.none()),
            st.one_of(st.integers(min_value=-2, max_value=3), st.text(max_size=3), st.none()),
        ),
        max_size=6,
    )
)
def test_the_running_total_counts_what_is_chosen_and_is_ok_exactly_when_the_ballot_is_valid(pairs):
    """Any input, even unreadable: it never raises, counts each project on the ballot once, adds up their
    cost, and says "ok" exactly when the ballot would be accepted."""
    budget, projects = make("knapsack", Decimal(100), [Decimal(10)] * 3)
    total = running_total(budget, projects, pairs)
    known = [(pid, value) for pid, value in _as_ints(pairs) if pid in projects]
    chosen = {pid for pid, _value in known}
    assert total.count == len(chosen)
    assert total.cost == Decimal(10) * len(chosen)
    assert total.share_percent == 10 * len(chosen)
    try:
        validate_choices(budget, projects, known)
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert total.ok == accepted
    assert total.ok == (bool(known) and len(chosen) == len(known))  # no project named twice
