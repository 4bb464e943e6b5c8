"""The Method of Equal Shares with cost satisfaction, the Add1 budget increase and greedy completion.

This is the variant cities use (equalshares.net): every voter gets an equal share of the budget; a project is
bought by its supporters, each paying the same amount (or everything they have left, if less); each round buys
the project whose supporters pay the least per unit of cost ("rho"). Because that usually leaves money
unspent, the run is repeated with each voter's share raised by 1 (currency unit), and the last outcome that still
fits the real budget is kept ("Add1"). What is still left is then filled greedily by votes ("completion").

The steps replicate pabutools 1.2.3 exactly (``method_of_equal_shares(..., Cost_Sat, voter_budget_increment=1)``
then ``greedy_utilitarian_welfare``): run k uses a voter budget of budget/voters + k; stop at the first run
whose outcome costs more than the budget (keep run k-1, or nothing) or that is exhaustive among the projects
Equal Shares can consider (keep run k). Ties go to the project id that sorts first.

Speed and exactness: each run works on NumPy float arrays (voters' money, supporters per project) and keeps a
certified bound on its rounding error. A decision whose margin is within that bound (a near tie between two
projects, or supporters who can only just afford a project) is settled with exact fractions: a voter's exact
money is ``max(0, voter budget - shares of the funded projects they voted for)``, so it can be rebuilt from the
ballots and the exact share of each earlier purchase, grouping voters by which funded projects they supported.
A float near-tie therefore never changes a winner.

Add1 can need tens of thousands of runs (a budget in forints, 1 forint at a time) whose outcomes rarely change,
so a run can also certify that its decisions hold for higher voter budgets and let Add1 skip those runs; see
:class:`_Shadow`.
"""

from coproduce.lib.pb.rules.mes.add1 import EqualSharesRun, add1
from coproduce.lib.pb.rules.mes.rule import equal_shares

__all__ = ["EqualSharesRun", "add1", "equal_shares"]
