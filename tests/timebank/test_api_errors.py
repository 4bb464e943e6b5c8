"""Timebank API input beyond what the database holds is refused with the field as sent (issue 10, points 4
and 18)."""

from __future__ import annotations

import pytest
from tests.api_client import Api

from coproduce.timebank import services
from coproduce.timebank.models import Account


@pytest.fixture(autouse=True)
def _static_files_not_scanned(settings):
    settings.WHITENOISE_USE_FINDERS = False


def put(user, path, body):
    return Api(user, prefix="/api/v1/timebank").put(path, body)


@pytest.mark.parametrize(
    "body",
    [{"min_balance_minutes": -(2**63) - 1}, {"max_balance_minutes": 2**63}, {"min_balance_minutes": 2**64}],
)
def test_account_limits_beyond_64_bits_are_refused(coordinator, giver, body):
    account = services.account_for_user(giver)
    before = (account.min_balance, account.max_balance)
    response = put(coordinator, f"/accounts/{account.pk}/limits", body)
    assert response.status_code == 422 and set(response.json()["detail"]) == set(body), response.content
    account = Account.objects.get(pk=account.pk)
    assert (account.min_balance, account.max_balance) == before
