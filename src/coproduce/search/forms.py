from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.spaces.models import StageKind

from .query import Filters
from .selectors import kind_choices


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("What"), required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=120)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Any stage")), *StageKind.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *kind_choices()]  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            kind=data.get("kind") or "",
            place=(data.get("place") or "").strip(),
            stage=data.get("stage") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
