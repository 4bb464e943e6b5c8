"""Reading and writing Pabulib files: every vote type, bad files, round trips."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.lib.pb import (
    Election,
    PabulibError,
    make_election,
    parse,
    parse_file,
    support_of,
    write,
    write_file,
)

FIXTURES = Path(__file__).parent / "fixtures"


def test_approval_file_with_quoted_fields_and_voter_fields():
    election = parse_file(FIXTURES / "approval.pb")
    assert election.budget == 100000
    assert election.vote_type == "approval"
    assert [p.project_id for p in election.projects] == ["a1", "a2", "a3", "b1", "b2", "c1"]
    assert election.projects[0].name == "Community garden; phase 1"
    assert election.projects[2].name == 'The "big" clean-up'
    assert election.projects[5].cost == Fraction("5000.50")
    assert election.projects[0].fields["category"] == "environment"
    assert election.num_voters == 12
    first = election.ballot(0)
    assert first.voter_id == "v01"
    assert first.projects == ("a1", "a2", "a3")
    assert first.fields == {"age": "34", "sex": "F", "voting_method": "internet"}
    assert election.ballot(10).projects == ()  # an empty ballot is kept: it still counts as a voter
    assert election.ballot(2).fields["age"] == ""


def test_choose_one_is_read_as_single_approvals():
    election = parse_file(FIXTURES / "choose1.pb")
    assert election.vote_type == "choose-1"
    assert list(election.ballots.lengths) == [1] * 7
    assert election.ballot(3).projects == ("p2",)
    assert election.ballot(3).fields == {"district": "South"}


def test_ordinal_ballots_keep_the_ranking_order():
    election = parse_file(FIXTURES / "ordinal.pb")
    assert election.ballot(1).projects == ("y", "z", "x")
    assert election.ballot(2).projects == ("z", "x")


def test_cumulative_ballots_keep_points():
    election = parse_file(FIXTURES / "cumulative.pb")
    assert election.ballot(2).projects == ("k", "l", "m")
    assert election.ballot(2).points == (2, 2, 1)
    assert election.ballots.points is not None and election.ballots.points.dtype == np.int64


def test_scoring_ballots_may_have_decimal_points():
    election = parse_file(FIXTURES / "scoring.pb")
    assert election.ballot(2).points == (Fraction(5, 2), 9)


def test_crlf_line_ends_and_a_quoted_field_over_two_lines():
    election = parse_file(FIXTURES / "crlf_multiline.pb")
    assert election.projects[0].name == "Line one\nline two"
    assert election.ballot(1).projects == ("r",)


def test_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.pb"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "choose1.pb").read_bytes())
    assert parse_file(path) == parse_file(FIXTURES / "choose1.pb")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.pb")))
def test_round_trip_of_every_fixture(name, tmp_path):
    election = parse_file(FIXTURES / name)
    assert parse(write(election)) == election
    write_file(election, tmp_path / name)
    assert parse_file(tmp_path / name) == election


GOOD = """META
key;value
budget;100
vote_type;approval
max_length;2
max_sum_cost;90
PROJECTS
project_id;cost;name
1;50;One
2;40;Two
3;30;Three
VOTES
voter_id;vote
a;1,2
b;3
"""


def _broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace("VOTES\nvoter_id;vote\na;1,2\nb;3\n", ""), 12, "no VOTES section"),
        (GOOD.replace("META\nkey;value\n", ""), 1, "data before the first"),
        (_broken("2;40;Two", "2;forty;Two"), 10, "'forty', is not a number"),
        (_broken("2;40;Two", "2;-40;Two"), 10, "negative cost"),
        (_broken("3;30;Three", "2;30;Three"), 11, "listed twice"),
        (_broken("b;3\n", "b;3,7\n"), 15, "project '7', which is not in PROJECTS"),
        (_broken("b;3\n", "b;3,3\n"), 15, "names project '3' twice"),
        (_broken("b;3\n", "b;1,2,3\n"), 15, "3 projects, more than max_length 2"),
        (
            _broken("b;3\n", "d;\nc;1,2,3\n").replace("max_length;2", "max_length;3"),
            16,
            "costs 120, more than max_sum_cost 90",
        ),
        (_broken("budget;100", "budget;lots"), 3, "budget 'lots' is not a number"),
        (_broken("vote_type;approval", "vote_type;lottery"), 4, "vote_type 'lottery'"),
        (_broken("b;3\n", "a;3\n"), 15, "voter 'a' has a second ballot"),
        (_broken("1;50;One", '1;50;"One'), 9, "never closed"),
        (_broken("b;3\n", "b;3;extra\n"), 15, "3 fields but the header has 2"),
        (_broken("project_id;cost;name", "project_id;price;name"), 8, "no cost column"),
        (_broken("2;40;Two", "2;40;T\x00wo"), 10, "NUL character"),
        (_broken("2;40;Two", '2;40;"T\x00wo"'), 10, "NUL character"),
        (_broken("b;3\n", "b;3\x00\n"), 15, "NUL character"),
        (_broken("2;40;Two", f"2;{2**64};Two"), 10, "the cost of project '2' is too large"),
        (_broken("2;40;Two", f"2;{2**63};Two"), 10, "the cost of project '2' is too large"),
        (_broken("budget;100", f"budget;{2**64}"), 3, "is too large"),
    ],
)
def test_bad_files_name_the_line_and_the_problem(text, line, words):
    with pytest.raises(PabulibError) as caught:
        parse(text)
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"line {line}: ")


def test_good_text_parses():
    assert parse(GOOD).num_voters == 2


@pytest.mark.parametrize(
    ("meta", "vote", "words"),
    [
        ("max_sum_points;5", "k;4,2", "6 points, more than max_sum_points 5"),
        ("min_sum_points;5", "k;1,2", "3 points, fewer than min_sum_points 5"),
        ("max_points;3", "k;4,1", "more points to one project than max_points 3"),
        ("", "k;1", "names 2 projects but gives 1 points"),
        ("", "k;1,-1", "negative points"),
    ],
)
def test_cumulative_limits(meta, vote, words):
    text = (
        f"META\nkey;value\nbudget;10\nvote_type;cumulative\n{meta}\n"
        "PROJECTS\nproject_id;cost\nk;5\nl;5\nVOTES\nvoter_id;vote;points\n1;k,l;3,2\n2;k,l;"
        f"{vote.split(';')[1]}\n"
    )
    with pytest.raises(PabulibError, match=words) as caught:
        parse(text)
    assert caught.value.line == 13


@pytest.mark.parametrize("points", [2**64, 2**63, 2**62, 10**9 + 1, -(2**64), "1e30", "10000000000.5"])
def test_points_beyond_what_64_bit_sums_hold_are_refused_with_the_line(points):
    text = (
        "META\nkey;value\nbudget;10\nvote_type;scoring\n"
        "PROJECTS\nproject_id;cost\nk;5\nl;5\nVOTES\nvoter_id;vote;points\n1;k,l;3,2\n"
        f"2;k,l;1,{points}\n"
    )
    with pytest.raises(PabulibError, match="is too large") as caught:
        parse(text)
    assert caught.value.line == 12


def test_the_largest_points_still_count_exactly():
    text = (
        "META\nkey;value\nbudget;10\nvote_type;scoring\n"
        "PROJECTS\nproject_id;cost\nk;5\nl;5\nVOTES\nvoter_id;vote;points\n"
        + "".join(f"{v};k,l;{10**9},1\n" for v in range(20))
    )
    election = parse(text)
    assert support_of(election).scores == [20 * 10**9, 20]


def test_choose_one_ballot_with_two_projects_is_refused():
    text = "META\nkey;value\nbudget;10\nvote_type;choose-1\nPROJECTS\nproject_id;cost\n1;5\n2;5\nVOTES\nvoter_id;vote\n1;1,2\n"
    with pytest.raises(PabulibError, match="line 11: a choose-1 ballot names 2 projects"):
        parse(text)


def test_the_first_ballot_over_its_limits_in_file_order_is_reported():
    votes = "".join(f"{i};1\n" for i in range(1, 1000)) + "1000;1,2,3\n1001;3,2,1\n"
    text = GOOD.split("VOTES")[0] + "VOTES\nvoter_id;vote\n" + votes
    with pytest.raises(PabulibError) as caught:
        parse(text)
    assert caught.value.line == 13 + 1000  # voter 1000; voter 1001 breaks the same limit a line later


def test_a_decimal_comma_cost_is_read_as_pabutools_does():
    election = parse(_broken("2;40;Two", '2;"30,5";Two'))
    assert election.projects[1].cost == Fraction("30.5")


def test_make_election_builds_the_same_thing_as_a_file():
    built = make_election(
        50, {"p1": 30, "p2": 25, "p3": 20}, [["p1"], ["p1"], ["p1"], ["p2"], ["p2"], ["p3"], ["p3"]]
    )
    assert parse(write(built)) == built
    assert [b.projects for b in map(built.ballot, range(7))] == [
        parse_file(FIXTURES / "choose1.pb").ballot(i).projects for i in range(7)
    ]


# -- round trips of generated elections ------------------------------------------------------------------------

text_field = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(str.strip)
money = st.integers(0, 10**11).map(lambda cents: Fraction(cents, 100))


@st.composite
def elections(draw) -> Election:
    vote_type = draw(st.sampled_from(["approval", "ordinal", "cumulative", "scoring", "choose-1"]))
    num_projects = draw(st.integers(1, 6))
    ids = draw(
        st.lists(
            st.text("abcxyz0123456789_-./", min_size=1, max_size=6),
            min_size=num_projects,
            max_size=num_projects,
            unique=True,
        )
    )
    costs = {project_id: draw(money) for project_id in ids}
    ballots = []
    for _ in range(draw(st.integers(0, 8))):
        chosen = draw(
            st.lists(st.sampled_from(ids), unique=True, max_size=1 if vote_type == "choose-1" else 6)
        )
        if vote_type in ("cumulative", "scoring"):
            ballots.append({pid: draw(st.integers(0, 9)) for pid in chosen})
        else:
            ballots.append(chosen)
    election = make_election(
        draw(money), costs, ballots, vote_type=vote_type, meta={"description": draw(text_field)}
    )
    for project in election.projects:
        project.fields["name"] = draw(text_field)
    election.ballots.voter_fields["age"] = [draw(st.sampled_from(["", "18", "40"])) for _ in ballots]
    return election


@settings(max_examples=60, deadline=None)
@given(elections())
def test_write_then_parse_gives_back_the_same_election(election):
    assert parse(write(election)) == election


def test_sections_in_another_order_and_blank_lines_between_ballots():
    text = (
        "VOTES\nvoter_id;vote\n1;x\n\n2;x,y\n   \n"
        "PROJECTS\nproject_id;cost\nx;1\ny;2\n"
        "META\nkey;value\nbudget;3\nvote_type;approval\n"
    )
    election = parse(text)
    assert [election.ballot(v).projects for v in range(2)] == [("x",), ("x", "y")]
    with pytest.raises(PabulibError, match="line 5: the vote names project 'z'"):
        parse(text.replace("2;x,y", "2;x,z"))


def test_quoted_fields_in_the_votes_section():
    text = GOOD.replace("a;1,2\n", 'a;"1,2"\n').replace("voter_id;vote\n", "voter_id;vote;note\n")
    text = text.replace("b;3\n", 'b;3;"said ""hi""; twice"\n')
    election = parse(text)
    assert election.ballot(0).projects == ("1", "2")
    assert election.ballot(1).fields == {"note": 'said "hi"; twice'}
    assert parse(write(election)) == election
