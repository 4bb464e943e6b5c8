"""The share each supporter pays for a project: exactly (Fractions), or in floats with a rounding bound."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

EPS = float(np.finfo(np.float64).eps)


SMALL = 4096  # below this length np.dot is fastest (BLAS stays single-threaded)

# The ufuncs themselves: ndarray.any/.sum/.min go through Python wrappers that cost more than the work on the
# few hundred supporters a project usually has, and these run a few times per project per round.
any_ = np.logical_or.reduce
add = np.add.reduce
minimum = np.minimum.reduce


def weighted_sum(values: np.ndarray, weights: np.ndarray) -> float:
    if len(values) < SMALL:
        return float(np.dot(values, weights))
    # Not np.dot for long vectors: multi-threaded BLAS makes it 50x slower on a busy machine.
    return float(np.einsum("i,i->", values, weights))


def exact_share_of_integers(
    money: np.ndarray, weights: np.ndarray, cost: int, denominator: int
) -> Fraction | None:
    """Smallest share q with sum(min(money, q)) == cost exactly, or None when all the money is not enough.

    Walk the supporters from the poorest: those who cannot pay the equal share pay all they have. Every
    amount is a whole number of 1 / ``denominator``: ``money`` (Python integers in an object array) and
    ``weights`` per group of voters, and the cost, so NumPy runs the walk in integer arithmetic; only the
    answer is made a Fraction.
    """
    order = np.argsort(money, kind="stable")
    amounts = money[order]
    counts = weights[order].astype(object)
    paid_before = np.concatenate(([0], np.cumsum(amounts * counts)[:-1]))
    remaining = int(weights.sum()) - np.concatenate(([0], np.cumsum(counts)[:-1]))
    # the share if the voters before i pay all they have and the rest share the remainder: is it <= amounts[i]?
    pays = ((cost - paid_before) <= amounts * remaining).astype(bool)
    if not pays.any():
        return None
    first = int(np.argmax(pays))
    return Fraction(int(cost - paid_before[first]), int(remaining[first]) * denominator)


def float_share(
    money: np.ndarray, weights: np.ndarray, voters: int, cost: float, error: float
) -> tuple[float, int, int]:
    """Float version of :func:`exact_share_of_integers` for affordable projects: (share, poor voters, near voters).

    ``money`` and ``weights`` are per group of identical voters. "Poor" voters pay all they have; ``near``
    counts voters within ``error`` of the share, whose side the float arithmetic may have got wrong (the share
    moves continuously with their money, so the error bound of :meth:`Engine.quote` covers them).
    """
    share = cost / voters
    rich_money, rich_weights = money, weights
    paid, poor = 0.0, 0.0
    for _ in range(16):
        poor_now = rich_money < share
        poor_weights = rich_weights[poor_now]
        if not len(poor_weights):
            # nobody is poor: if everyone is clearly above the share (the margin covers rounding in
            # cost / voters), nobody is near it either
            if not poor and minimum(money) >= share * (1 + 4 * EPS) + error:
                return share, 0, 0
            break
        paid += weighted_sum(rich_money[poor_now], poor_weights)
        poor += float(add(poor_weights))
        rich_now = ~poor_now
        rich_money, rich_weights = rich_money[rich_now], rich_weights[rich_now]
        share = (cost - paid) / (voters - poor)
    else:  # many small steps: sort what is left instead
        return _sorted_share(money, weights, voters, cost, error)
    near_now = np.abs(money - share) <= error
    near = float(add(weights[near_now])) if any_(near_now) else 0.0
    return share, int(poor), int(near)


def _sorted_share(
    money: np.ndarray, weights: np.ndarray, voters: int, cost: float, error: float
) -> tuple[float, int, int]:
    """:func:`float_share` in one pass over the supporters sorted by money, poorest first."""
    order = np.argsort(money)
    ordered, ordered_weights = money[order], weights[order]
    paid_before = np.cumsum(ordered * ordered_weights)
    paid_before = np.concatenate(([0.0], paid_before[:-1]))
    voters_before = np.concatenate(([0.0], np.cumsum(ordered_weights)))
    shares = (cost - paid_before) / (voters - voters_before[:-1])
    first_rich = int(np.argmax(shares <= ordered))
    share = float(shares[first_rich])
    low, high = np.searchsorted(ordered, [share - error, share + error], side="left")
    high = int(np.searchsorted(ordered, share + error, side="right"))
    near = voters_before[high] - voters_before[int(low)]
    return share, int(voters_before[first_rich]), int(near)
