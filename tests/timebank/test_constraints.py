"""Invariants held by the database itself: bypassing the services gives IntegrityError (or TypeError for
the immutable postings), and `coproduce timebank verify` finds any balance that drifted."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from coproduce.timebank import services
from coproduce.timebank.models import (
    Account,
    AccountKind,
    Exchange,
    Posting,
    Transfer,
    TransferKind,
)


@pytest.fixture
def transfer(giver, accounts):
    a, b = accounts
    return services.transfer_create(
        actor=giver, postings=[(a, -30), (b, 30)], kind=TransferKind.EXCHANGE, description="Weeding"
    )


def test_a_zero_posting_is_refused(transfer, accounts):
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(transfer=transfer, account=services.community_pot(), amount=0)


def test_one_posting_per_account_per_transfer(transfer, accounts):
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(transfer=transfer, account=accounts[0], amount=15)


def test_postings_are_never_changed_or_deleted(transfer):
    posting = transfer.postings.first()
    posting.amount = 999
    with pytest.raises(TypeError):
        posting.save()
    with pytest.raises(TypeError):
        posting.delete()
    with pytest.raises(TypeError):
        Posting.objects.filter(pk=posting.pk).update(amount=1)
    with pytest.raises(TypeError):
        Posting.objects.all().delete()


def test_transfers_with_postings_cannot_be_deleted(transfer):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        transfer.delete()


def test_keys_are_unique(transfer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(key=transfer.key, kind=TransferKind.EXCHANGE, description="again")


def test_a_reversal_must_name_what_it_reverses(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(kind=TransferKind.REVERSAL, description="what?")


def test_only_reversals_name_a_transfer(transfer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(kind=TransferKind.EXCHANGE, description="x", reverses=transfer)


def test_an_account_has_exactly_one_kind_of_owner(giver, organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(kind=AccountKind.PERSON)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(kind=AccountKind.ORGANISATION, organisation=organisation, user=giver)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(kind=AccountKind.POT, user=giver)


def test_there_is_one_community_pot(db):
    services.community_pot()
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(kind=AccountKind.POT)


def test_limits_must_be_in_order(giver):
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(kind=AccountKind.PERSON, user=giver, min_balance=100, max_balance=0)


def test_an_exchange_is_confirmed_exactly_when_it_has_a_transfer(giver, transfer):
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        Exchange.objects.create(what="x", minutes=15, happened_on=timezone.localdate(), status="confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Exchange.objects.create(what="x", minutes=15, happened_on=timezone.localdate(), transfer=transfer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Exchange.objects.create(what="x", minutes=0, happened_on=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        Exchange.objects.create(what="x", minutes=15, happened_on=timezone.localdate(), status="disputed")


# --- coproduce timebank verify ----------------------------------------------------------------------------


def test_verify_passes_on_a_sound_ledger(transfer):
    out = io.StringIO()
    call_command("timebank", "verify", stdout=out)
    assert "ledger OK" in out.getvalue()


def test_verify_fails_when_a_cached_balance_drifts(transfer, accounts):
    Account.objects.filter(pk=accounts[0].pk).update(balance=0)  # a bug or a hand edit
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("timebank", "verify", stderr=err)
    assert caught.value.returncode == 1
    assert f"account {accounts[0].pk}" in err.getvalue()


def test_verify_fails_when_a_transfer_does_not_sum_to_zero(transfer, accounts):
    # Written with bulk_create, which skips the model's checks, as a buggy import might.
    Posting.objects.bulk_create([Posting(transfer=transfer, account=services.community_pot(), amount=15)])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("timebank", "verify", stderr=err)
    assert f"transfer {transfer.pk}" in err.getvalue()
    assert "whole ledger sums to 15" in err.getvalue()


def test_the_database_refuses_to_change_a_posting_even_in_raw_sql(transfer):
    from django.db import connection

    posting = transfer.postings.first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE timebank_posting SET amount = 1 WHERE id = %s", [posting.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM timebank_posting WHERE id = %s", [posting.pk])
    assert transfer.postings.get(pk=posting.pk).amount == posting.amount
