"""Checks on real Pabulib files, run only where ../shared/data/pabulib exists (a developer's work tree).

A user's clone has no such folder and skips these; ``bench/pb_verify.py`` checks every file in full.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coproduce.lib.pb import Phase, equal_shares, greedy, parse, parse_file, phragmen, write

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "pabulib"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared/data/pabulib here")

SMALL_APPROVAL_FILES = [
    "Netherlands_Assen_2024.pb",
    "Worldwide_Mechanical_Turk_Knapsack_7.pb",
    "US_Stanford_Dataset_2022_Central_Falls_High_School_Participatory_Budgeting_Vote_vote_approvals.pb",
    "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb",
    "Poland_Zabrze_2021_Rokitnica.pb",
    "Switzerland_Zurich_SN.pb",
]


@pytest.mark.parametrize("name", ["Poland_Swiecie_2023.pb", "Netherlands_Assen_2024.pb"])
def test_equal_shares_reproduces_what_the_city_funded(name):
    election = parse_file(SHARED / name)
    funded_by_city = sorted(p.project_id for p in election.projects if p.fields.get("selected") == "1")
    assert sorted(equal_shares(election).selected_in(Phase.EQUAL_SHARES)) == funded_by_city


@pytest.mark.parametrize("name", SMALL_APPROVAL_FILES)
def test_greedy_and_phragmen_agree_with_pabutools(name):
    pytest.importorskip("pabutools")
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, sequential_phragmen

    instance, profile = parse_pabulib(str(SHARED / name))
    election = parse_file(SHARED / name)
    theirs = sorted(p.name for p in greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat))
    assert sorted(greedy(election).selected) == theirs
    assert sorted(phragmen(election).selected) == sorted(
        p.name for p in sequential_phragmen(instance, profile)
    )


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in SHARED.glob("*.pb") if p.stat().st_size < 400_000) if SHARED.is_dir() else [],
)
def test_small_and_medium_files_round_trip(name):
    text = (SHARED / name).read_text(encoding="utf-8-sig")
    if name == "Worldwide_Mechanical_Turk_Utilities_7.pb":
        pytest.skip("a ballot in this file breaks its own min_sum_points; the strict reader refuses it")
    election = parse(text)
    assert parse(write(election)) == election
