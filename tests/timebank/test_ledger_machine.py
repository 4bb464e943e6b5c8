"""A Hypothesis state machine: random transfers, group transfers, reversals, repeated keys and limit
changes, run against the database and against a plain model (coproduce.lib.ledger), which must agree
after every step. Invariants: cached balances equal the model and the postings; the ledger sums to zero;
a transfer is refused exactly when the model says it breaks a limit.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from tests.conftest import make_person
from tests.timebank.conftest import approved

from coproduce.lib import ledger
from coproduce.timebank import selectors, services
from coproduce.timebank.models import Account, Transfer, TransferKind

ACCOUNTS = 4
amounts = st.sampled_from([15, 30, 45, 60, 120, 300, 600])
limits = st.sampled_from([0, 60, 300, 1200, 3000])


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each run of the machine happens inside a savepoint that is rolled back at the end.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.coordinator = make_person("Machine Coordinator")
        approved(self.coordinator, is_coordinator=True)
        self.accounts = [services.account_for_user(make_person(f"Machine {i}")) for i in range(ACCOUNTS)]
        self.balances = {a.pk: 0 for a in self.accounts}
        self.limits = {a.pk: ledger.Limits(a.min_balance, a.max_balance) for a in self.accounts}
        self.transfers: list[tuple[int, dict[int, int]]] = []  # (transfer id, postings) that may be reversed
        self.keys: list[str] = []
        self.counter = 0

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _key(self) -> str:
        self.counter += 1
        return f"machine-{self.counter}"

    def _attempt(self, postings: dict[int, int], **kwargs):
        """Run the transfer through the model and the service; both must succeed or both refuse."""
        try:
            expected = ledger.apply(self.balances, postings, self.limits)
        except ledger.LedgerError:
            expected = None
        by_pk = {a.pk: a for a in self.accounts}
        try:
            transfer = services.transfer_create(
                actor=self.coordinator,
                postings=[(by_pk[k], v) for k, v in postings.items()],
                description="machine",
                **kwargs,
            )
        except ValidationError:
            assert expected is None, f"service refused {postings} that the model allows"
            return None
        assert expected is not None, f"service allowed {postings} that the model refuses"
        self.balances = expected
        return transfer

    @rule(data=st.data(), amount=amounts)
    def transfer(self, data, amount):
        a, b = data.draw(st.permutations(range(ACCOUNTS)))[:2]
        key = self._key()
        postings = {self.accounts[a].pk: -amount, self.accounts[b].pk: amount}
        transfer = self._attempt(postings, kind=TransferKind.EXCHANGE, key=key)
        if transfer is not None:
            self.transfers.append((transfer.pk, postings))
            self.keys.append(key)

    @rule(data=st.data(), amount=amounts)
    def group_transfer(self, data, amount):
        order = data.draw(st.permutations(range(ACCOUNTS)))
        payer, payees = order[0], order[1:]
        postings = {self.accounts[payer].pk: -amount * len(payees)}
        postings.update({self.accounts[i].pk: amount for i in payees})
        transfer = self._attempt(postings, kind=TransferKind.REWARD, key=self._key())
        if transfer is not None:
            self.transfers.append((transfer.pk, postings))

    @precondition(lambda self: self.keys)
    @rule(data=st.data())
    def repeat_a_key(self, data):
        """A retried request: nothing moves and the first transfer comes back."""
        key = data.draw(st.sampled_from(self.keys))
        a, b = self.accounts[0], self.accounts[1]
        before = Transfer.objects.count()
        transfer = services.transfer_create(
            actor=self.coordinator,
            postings=[(a, -15), (b, 15)],
            kind=TransferKind.EXCHANGE,
            description="retry",
            key=key,
        )
        assert transfer.key == key
        assert Transfer.objects.count() == before

    @precondition(lambda self: self.transfers)
    @rule(data=st.data())
    def reverse(self, data):
        index = data.draw(st.integers(0, len(self.transfers) - 1))
        transfer_id, postings = self.transfers.pop(index)
        mirrored = {k: -v for k, v in postings.items()}
        try:
            expected = ledger.apply(self.balances, mirrored, self.limits)
        except ledger.LedgerError:
            expected = None
        try:
            services.transfer_reverse(
                actor=self.coordinator, transfer=Transfer.objects.get(pk=transfer_id), reason="machine"
            )
        except ValidationError:
            assert expected is None
            return
        assert expected is not None
        self.balances = expected

    @rule(index=st.integers(0, ACCOUNTS - 1), low=limits, high=limits)
    def change_limits(self, index, low, high):
        account = self.accounts[index]
        services.account_limits_set(
            actor=self.coordinator, account=account, min_balance=-low, max_balance=high
        )
        self.limits[account.pk] = ledger.Limits(-low, high)

    @invariant()
    def balances_agree(self):
        stored = dict(Account.objects.filter(pk__in=self.balances).values_list("pk", "balance"))
        assert stored == self.balances
        assert sum(stored.values()) == 0

    @invariant()
    def ledger_verifies(self):
        assert selectors.verify() == []


@pytest.mark.django_db
def test_ledger_state_machine():
    LedgerMachine.TestCase.settings = settings(
        max_examples=12, stateful_step_count=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    LedgerMachine.TestCase().runTest()
