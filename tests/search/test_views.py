"""The search page: a GET form that keeps the query, results with their kind and highlights, filters, the
"no results" message, and the link in the site header."""

from __future__ import annotations

import pytest

from .conftest import KIND, OTHER, day


@pytest.fixture
def some(notes, space, private_space):
    notes.add(1, "Carers <em>café</em>", "A café for carers on Tuesdays.", place="Paisley", when=day(3))
    notes.add(2, "Carers toolkit", "How to start one.", kind=OTHER)
    notes.add(3, "Carers in the private space", space_id=private_space.pk)
    return notes


def test_without_a_query_the_page_asks_for_one(client_for):
    page = client_for(None).get("/search/")
    assert page.status_code == 200
    assert b"Type what you are looking for" in page.content
    assert b'role="search"' in page.content


def test_results_with_kind_highlight_place_and_date(some, client_for):
    page = client_for(None).get("/search/", {"q": "carer"})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="carer"' in text  # the query stays in the box
    assert "2 results for “carer”" in text
    assert "<mark>Carers</mark> &lt;em&gt;café&lt;/em&gt;" in text
    assert "Paisley" in text and "3 March 2026" in text
    assert "private space" not in text


def test_a_member_finds_the_private_space_s(some, client_for, member):
    assert "private space" in client_for(member).get("/search/", {"q": "carer"}).content.decode()


def test_filter_by_kind_keeps_the_counts(some, client_for):
    text = client_for(None).get("/search/", {"q": "carers", "kind": OTHER}).content.decode()
    assert "1 result for “carers”" in text and "toolkit" in text and "café" not in text
    assert f"kind={KIND.replace('.', '.')}" in text  # a link to the other kind, with its count


def test_no_results(some, client_for):
    text = client_for(None).get("/search/", {"q": "zebra crossing"}).content.decode()
    assert "No results for “zebra crossing”" in text and "Try fewer words" in text


def test_only_syntax(some, client_for):
    page = client_for(None).get("/search/", {"q": '"*(-'})
    assert page.status_code == 200 and b"Type a word or two" in page.content


def test_bad_filters_are_shown_beside_their_field(some, client_for):
    page = client_for(None).get(
        "/search/", {"q": "carers", "date_from": "2026-03-10", "date_to": "2026-03-01", "kind": "nope"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "The end date must be on or after the start date." in text
    assert 'aria-invalid="true"' in text and 'value="carers"' in text


def test_pages_link_on_keeping_the_query(notes, client_for):
    for pk in range(1, 25):
        notes.add(pk, f"Garden {pk}")
    text = client_for(None).get("/search/", {"q": "garden", "page": "2"}).content.decode()
    assert "Page 2 of 2" in text and "q=garden&amp;page=1" in text
    assert client_for(None).get("/search/", {"q": "garden", "page": "x"}).status_code == 200


def test_the_header_links_to_search(client_for):
    assert b'href="/search/"' in client_for(None).get("/").content
