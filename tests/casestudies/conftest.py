"""A space filled with real records (ideas, a meeting's decision, actions, a funded project) and its quality
check worked out, as the quality tests build it: the records a case study is drafted from."""

from __future__ import annotations

import pytest
from tests.quality.conftest import computed, tasks_now  # noqa: F401  (huey immediate, in memory)
from tests.quality.test_impact import build_trail


@pytest.fixture
def filled(space, host, facilitator, member, practitioner, tasks_now):  # noqa: F811
    records = build_trail(space, host, facilitator, member, practitioner)
    computed(space)
    return records
