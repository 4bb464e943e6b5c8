"""GET /api/v1/search: the same results and access rules as the page."""

from __future__ import annotations

from .conftest import KIND, OTHER, day


def test_anonymous_and_members(notes, space, private_space, api_for, member):
    notes.add(1, "Carers café", "A café <b>for</b> carers.", place="Paisley", when=day(3), space_id=space.pk)
    notes.add(2, "Carers in private", space_id=private_space.pk)
    notes.add(3, "Carers listed", public=False, kind=OTHER)
    body = api_for(None).get("/search?q=carers").json()
    assert body["total"] == 1 and body["counts"] == [
        {"kind": KIND, "label": "Note", "count": 1, "count_exact": True, "count_label": "1"}
    ]
    (hit,) = body["results"]
    assert hit["id"] == 1 and hit["url"] == "/notes/1/" and hit["place"] == "Paisley"
    assert "<mark>carers</mark>" in hit["snippet_html"] and "<b>" not in hit["snippet_html"]
    assert api_for(member).get("/search?q=carers").json()["total"] == 3


def test_filters(notes, api_for):
    notes.add(1, "Carers café", place="Paisley", stages=("co_design",), when=day(3))
    notes.add(2, "Carers toolkit", kind=OTHER, when=day(20))
    api = api_for(None)
    assert api.get(f"/search?q=carers&kind={OTHER}").json()["total"] == 1
    assert api.get("/search?q=carers&place=paisley").json()["total"] == 1
    assert api.get("/search?q=carers&stage=co_design").json()["total"] == 1
    assert api.get("/search?q=carers&from=2026-03-10&to=2026-03-31").json()["results"][0]["id"] == 2


def test_bad_input_is_a_plain_error(notes, api_for):
    api = api_for(None)
    assert api.get("/search?q=carers&kind=nope").status_code in (400, 422)
    assert api.get("/search?q=carers&from=2026-03-10&to=2026-03-01").status_code in (400, 422)
    assert api.get("/search?q=carers&stage=nope").status_code in (400, 422)
    assert api.get('/search?q="(*').json()["total"] == 0
