"""The error summary at the top of a form links each message to an element that exists, so that following the
link moves focus to the field (GOV.UK pattern): for a group of radios or checkboxes, the first option."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template


class Choices(forms.Form):
    name = forms.CharField()
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(
        choices=[("mon", "Monday"), ("tue", "Tuesday")], widget=forms.CheckboxSelectMultiple
    )


def test_every_summary_link_points_at_an_element_on_the_page():
    form = Choices(data={})
    assert not form.is_valid()
    html = Template("{% load ui %}{% form_errors form %}{{ form }}").render(Context({"form": form}))
    targets = re.findall(r'<a href="#([^"]+)"', html)
    assert sorted(targets) == ["id_colour_0", "id_days_0", "id_name"]
    for target in targets:
        assert f'id="{target}"' in html, f"the summary links to #{target}, which is not on the page"
