from __future__ import annotations

from django import forms

from . import kinds
from .kinds import Delivery


class PreferencesForm(forms.Form):
    """One set of radios per kind of notification, shown in a fieldset per group."""

    def __init__(self, *args, current: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds.KINDS:
            self.fields[kind.code] = forms.ChoiceField(
                label=str(kind.label),
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current.get(kind.code, kind.default_delivery),
            )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        grouped: dict[str, list[forms.BoundField]] = {}
        for kind in kinds.KINDS:
            grouped.setdefault(str(kind.group), []).append(self[kind.code])
        return list(grouped.items())
