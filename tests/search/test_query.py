"""Finding things: stemming, ranking, highlighting that cannot inject HTML, words that are never syntax,
filters, counts per kind and pages."""

from __future__ import annotations

import datetime as dt

import pytest

from coproduce.search.query import PAGE_SIZE, Filters, search, terms_of

from .conftest import KIND, OTHER, day


def titles(results) -> list[str]:
    return [str(hit.title).replace("<mark>", "").replace("</mark>", "") for hit in results.hits]


def test_a_word_finds_its_other_forms(notes, outsider):
    notes.add(1, "Volunteer drivers", "People who drive others to appointments.")
    notes.add(2, "Garden club", "We grow vegetables.")
    assert titles(search(outsider, "volunteering")) == ["Volunteer drivers"]
    assert titles(search(outsider, "volunteers")) == ["Volunteer drivers"]
    assert titles(search(outsider, "appointment")) == ["Volunteer drivers"]


def test_a_match_in_the_title_ranks_above_one_in_the_body(notes, outsider):
    notes.add(1, "Minutes of the March meeting", "We talked about housing repairs and the waiting list.")
    notes.add(2, "Housing repairs", "What tenants told us.")
    notes.add(3, "Transport", "Nothing about it.")
    assert titles(search(outsider, "housing")) == ["Housing repairs", "Minutes of the March meeting"]


def test_matches_are_marked_and_everything_else_is_escaped(notes, outsider):
    notes.add(
        1, "<script>alert(1)</script> housing", 'Say <b>housing</b> & "more" <img src=x onerror=alert(1)>'
    )
    (hit,) = search(outsider, "housing").hits
    assert "<script>" not in hit.title and "&lt;script&gt;" in hit.title
    assert "<mark>housing</mark>" in hit.title
    assert "<b>" not in hit.snippet and "<img" not in hit.snippet
    # SQLite keeps the text as written (escaped); PostgreSQL's headline leaves tags out: neither makes HTML.
    assert "<mark>housing</mark>" in hit.snippet


def test_markers_in_a_document_cannot_make_marks(notes, outsider):
    notes.add(1, "Bus \ue000pass\ue001 scheme", "")
    (hit,) = search(outsider, "bus").hits
    assert str(hit.title) == "<mark>Bus</mark> pass scheme"


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"housing',
        "hous*",
        "*",
        "housing OR",
        "OR",
        "-housing",
        "housing -repairs",
        "(",
        "(housing",
        ")",
        "NEAR(housing",
        "housing AND",
        "title:housing",
        "^housing",
        "housing:",
        "'; DROP TABLE x; --",
        "\\",
        "\x00",
        "é",
        "🙂",
        "a" * 500,
        "housing " * 40,
    ],
)
def test_no_words_are_syntax(notes, outsider, q):
    notes.add(1, "Housing repairs", "Housing and repairs.")
    results = search(outsider, q)  # never raises
    assert results.total == len(results.hits) or results.total > PAGE_SIZE
    assert len(terms_of(q)) <= 12


def test_syntax_characters_around_words_still_find_them(notes, outsider):
    notes.add(1, "Housing repairs", "")
    for q in ['"housing"', "housing*", "(housing)", "-housing", "housing OR"]:
        assert titles(search(outsider, q)) == ["Housing repairs"], q


def test_an_empty_query_asks_nothing(notes, outsider, django_assert_num_queries):
    notes.add(1, "Housing", "")
    with django_assert_num_queries(0):
        results = search(outsider, "  !!  ")
    assert results.terms == [] and results.total == 0


def test_every_word_must_match(notes, outsider):
    notes.add(1, "Housing repairs", "")
    notes.add(2, "Housing list", "")
    assert titles(search(outsider, "housing repairs")) == ["Housing repairs"]
    assert search(outsider, "housing zebra").total == 0


def test_filters_by_kind_place_stage_and_date(notes, outsider):
    notes.add(1, "Carers meeting", place="Paisley", stages=("co_design",), when=day(1))
    notes.add(
        2, "Carers toolkit", kind=OTHER, place="Renfrew", stages=("co_delivery", "co_design"), when=day(10)
    )
    notes.add(3, "Carers survey", place="paisley", stages=("co_assessment",), when=day(20))
    assert titles(search(outsider, "carers", Filters(kind=OTHER))) == ["Carers toolkit"]
    assert sorted(titles(search(outsider, "carers", Filters(place="Paisley")))) == [
        "Carers meeting",
        "Carers survey",
    ]
    assert sorted(titles(search(outsider, "carers", Filters(stage="co_design")))) == [
        "Carers meeting",
        "Carers toolkit",
    ]
    assert titles(
        search(outsider, "carers", Filters(date_from=dt.date(2026, 3, 5), date_to=dt.date(2026, 3, 10)))
    ) == ["Carers toolkit"]
    assert titles(search(outsider, "carers", Filters(date_to=dt.date(2026, 3, 1)))) == ["Carers meeting"]


def test_counts_per_kind_ignore_the_kind_chosen(notes, outsider):
    for pk in range(1, 4):
        notes.add(pk, f"Carers note {pk}")
    notes.add(9, "Carers tool", kind=OTHER)
    results = search(outsider, "carers", Filters(kind=OTHER))
    assert results.counts == {KIND: 3, OTHER: 1}
    assert results.total == 1


def test_pages(notes, outsider):
    for pk in range(1, PAGE_SIZE + 6):
        notes.add(pk, f"Garden note {pk}")
    first, second = search(outsider, "garden", page=1), search(outsider, "garden", page=2)
    assert first.total == PAGE_SIZE + 5 and first.pages == 2
    assert len(first.hits) == PAGE_SIZE and len(second.hits) == 5
    assert not {h.object_id for h in first.hits} & {h.object_id for h in second.hits}
    assert search(outsider, "garden", page=999).page == 50
    assert search(outsider, "garden", page=-3).page == 1
