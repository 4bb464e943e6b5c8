"""The social value API: the analysis worked out, bad input refused by field, nothing half-written."""

from __future__ import annotations

from tests.api_client import Api

from coproduce.sroi.models import SroiOutcome


def test_the_analysis_as_json(space, outcome, member):
    body = Api(member).get(f"/spaces/{space.slug}/sroi").json()
    assert body["inputs_total"] == 1000
    assert round(body["present_value"], 2) == 568.70
    assert round(body["ratio"], 4) == 0.5687
    assert body["outcomes"][0]["proxy_value"] == "109.00"
    assert body["outcomes"][0]["unit_cost_id"] == outcome.unit_cost_id
    assert body["steps"][0]["text"].startswith("“Fewer A&E visits”: 12 × £109.00")
    assert body["sensitivity"][0]["assumption"] == "As entered"


def test_no_analysis_is_a_404(space, member):
    assert Api(member).get(f"/spaces/{space.slug}/sroi").status_code == 404


def test_facilitators_build_it_through_the_api(space, facilitator, ae):
    api = Api(facilitator)
    assert api.put(f"/spaces/{space.slug}/sroi", {"money_inputs": "500"}).status_code == 200
    created = api.post(
        f"/spaces/{space.slug}/sroi/outcomes",
        {
            "stakeholder": "NHS",
            "description": "Fewer ambulance call-outs",
            "indicator": "Call-outs",
            "quantity": "3",
            "unit_cost_id": ae.pk,
        },
    )
    assert created.status_code == 201, created.json()
    assert round(created.json()["present_value"], 2) == round(3 * 109 / 1.035, 2)
    outcome_id = created.json()["id"]
    assert api.delete(f"/sroi/outcomes/{outcome_id}").status_code == 204
    assert not SroiOutcome.objects.exists()


def test_bad_input_is_refused_by_field(space, facilitator, analysis):
    api = Api(facilitator)
    base = {"stakeholder": "s", "description": "d", "indicator": "i", "quantity": "1", "own_value": "10"}
    no_source = api.post(f"/spaces/{space.slug}/sroi/outcomes", base)
    assert no_source.status_code == 422 and "own_source" in no_source.json()["detail"]
    over = api.post(f"/spaces/{space.slug}/sroi/outcomes", {**base, "own_source": "x", "attribution": "101"})
    assert over.status_code == 422 and "attribution" in over.json()["detail"]
    negative = api.post(f"/spaces/{space.slug}/sroi/outcomes", {**base, "own_source": "x", "quantity": "-1"})
    assert negative.status_code == 422 and "quantity" in negative.json()["detail"]
    unknown = api.post(
        f"/spaces/{space.slug}/sroi/outcomes", {**base, "own_value": None, "unit_cost_id": 999999}
    )
    assert unknown.status_code == 422 and "unit_cost_id" in unknown.json()["detail"]
    assert not SroiOutcome.objects.exists()
    rate = api.put(f"/spaces/{space.slug}/sroi", {"discount_rate": "150"})
    assert rate.status_code == 422 and "discount_rate" in rate.json()["detail"]
