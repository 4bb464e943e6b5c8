"""Social value pages: the calculation in plain words, the sensitivity table, and forms that keep what was
typed and say what is wrong beside the field."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from coproduce.sroi.models import Analysis, SroiOutcome


def test_the_analysis_page_shows_the_steps_and_the_sensitivity_table(client_for, member, space, outcome):
    page = client_for(member).get(reverse("sroi:analysis", args=[space.slug])).content.decode()
    assert "For every £1 put in, about £0.57 of social value." in page
    assert "12 × £109.00 = £1,308.00" in page
    assert "Take away 50 % attribution" in page
    assert "How sure is it? (sensitivity)" in page
    assert "+25 points" in page
    assert "Fewer A&amp;E visits" in page
    assert (
        reverse("sroi:outcome_edit", args=[space.slug, outcome.pk]) not in page
    )  # a member cannot change it


def test_a_space_without_an_analysis_says_so(client_for, facilitator, space):
    page = client_for(facilitator).get(reverse("sroi:analysis", args=[space.slug])).content.decode()
    assert "No social value analysis yet." in page
    assert reverse("sroi:inputs", args=[space.slug]) in page


def _outcome_post(**change):
    data = {
        "stakeholder": "Carers",
        "description": "Fewer crises",
        "indicator": "Crisis calls",
        "quantity": "10",
        "unit_cost": "",
        "own_value": "100",
        "own_source": "Crisis team costs 2024",
        "deadweight": "0",
        "displacement": "0",
        "attribution": "0",
        "drop_off": "0",
        "duration_years": "1",
    }
    data.update(change)
    return data


def test_adding_an_outcome_starts_the_analysis(client_for, facilitator, space):
    response = client_for(facilitator).post(
        reverse("sroi:outcome_create", args=[space.slug]), _outcome_post()
    )
    assert response.status_code == 302
    assert Analysis.objects.get(space=space).outcomes.get().description == "Fewer crises"


def test_a_proxy_without_a_source_is_refused_beside_the_field(client_for, facilitator, space, analysis):
    response = client_for(facilitator).post(
        reverse("sroi:outcome_create", args=[space.slug]), _outcome_post(own_source="")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_own_source_error"' in page
    assert "Say where your value comes from" in page
    assert 'value="Fewer crises"' in page  # the form is kept
    assert not SroiOutcome.objects.exists()


def test_attribution_over_100_and_a_negative_quantity_are_refused(client_for, facilitator, space, analysis):
    response = client_for(facilitator).post(
        reverse("sroi:outcome_create", args=[space.slug]), _outcome_post(attribution="120")
    )
    assert response.status_code == 400
    assert 'id="id_attribution_error"' in response.content.decode()
    assert "Attribution cannot be more than 100 %." in response.content.decode()
    response = client_for(facilitator).post(
        reverse("sroi:outcome_create", args=[space.slug]), _outcome_post(quantity="-2")
    )
    assert response.status_code == 400
    assert 'id="id_quantity_error"' in response.content.decode()
    assert not SroiOutcome.objects.exists()


def test_editing_inputs(client_for, facilitator, space, analysis):
    response = client_for(facilitator).post(
        reverse("sroi:inputs", args=[space.slug]),
        {
            "money_inputs": "2000",
            "volunteer_hours": "40",
            "include_timebank_hours": "on",
            "hourly_value": "12.21",
            "discount_rate": "3.5",
        },
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.money_inputs == Decimal("2000") and analysis.volunteer_hours == Decimal("40")
    bad = client_for(facilitator).post(
        reverse("sroi:inputs", args=[space.slug]),
        {"money_inputs": "-5", "volunteer_hours": "0", "hourly_value": "12", "discount_rate": "3.5"},
    )
    assert bad.status_code == 400 and 'id="id_money_inputs_error"' in bad.content.decode()


def test_network_admins_change_a_unit_cost(client_for, admin_user, ae):
    response = client_for(admin_user).post(
        reverse("sroi_costs:edit", args=[ae.pk]),
        {"name": ae.name, "unit": ae.unit, "value": "115", "source": ae.source, "price_year": "2024/25"},
    )
    assert response.status_code == 302
    ae.refresh_from_db()
    assert ae.value == Decimal("115") and ae.price_year == "2024/25"
    bad = client_for(admin_user).post(
        reverse("sroi_costs:create"),
        {"name": "Night shelter", "unit": "night", "value": "40", "source": "", "price_year": "2024"},
    )
    assert bad.status_code == 400


def test_the_network_admin_section_lists_the_unit_costs(admin_user, host, ae):
    from coproduce.sroi.apps import network_admin

    assert network_admin(host) is None
    section = network_admin(admin_user)
    assert section.url == reverse("sroi_costs:list")
    assert ("A&E attendance: £109.00 (2019/20)", reverse("sroi_costs:edit", args=[ae.pk])) in section.rows


def test_a_refused_first_outcome_leaves_no_empty_analysis(client_for, facilitator, space):
    response = client_for(facilitator).post(
        reverse("sroi:outcome_create", args=[space.slug]), _outcome_post(own_source="")
    )
    assert response.status_code == 400
    assert not Analysis.objects.exists()
