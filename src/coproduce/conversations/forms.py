from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import STATEMENT_MAX, Moderation, Vote


class ConversationForm(forms.Form):
    question = forms.CharField(
        label=_("The question"),
        max_length=300,
        help_text=_(
            "What people will agree or disagree about, for example: What should replace the drop-in?"
        ),
    )
    description = forms.CharField(
        label=_("What it is for"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What will be done with what people say, and by when."),
    )
    moderation = forms.ChoiceField(
        label=_("When are new statements checked?"),
        choices=Moderation.choices,
        initial=Moderation.BEFORE,
        widget=forms.RadioSelect,
    )
    rejection_reasons = forms.CharField(
        label=_("Reasons a moderator can give for rejecting a statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line. Leave empty to use the usual reasons."),
    )


class NewConversationForm(ConversationForm):
    seeds = forms.CharField(
        label=_("Statements to start with"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One a line, each up to 280 characters. People vote on these first and can add their own."
        ),
    )

    def clean_seeds(self):
        lines = [line.strip() for line in self.cleaned_data["seeds"].splitlines() if line.strip()]
        too_long = [i + 1 for i, line in enumerate(lines) if len(line) > STATEMENT_MAX]
        if too_long:
            raise forms.ValidationError(
                _("Line %(lines)s is longer than 280 characters: shorten it or split it in two.")
                % {"lines": ", ".join(map(str, too_long))}
            )
        return lines


class SettingsForm(ConversationForm):
    is_open = forms.BooleanField(label=_("Open for votes and new statements"), required=False)


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.TypedChoiceField(coerce=int, choices=Vote.VALUES)


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX}),
        help_text=_("One idea, in a sentence others can agree or disagree with. Up to 280 characters."),
    )


class ModerateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accepted", _("Accept")), ("rejected", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(label=_("Reason for rejecting"), required=False)

    def __init__(self, *args, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reason"]).choices = [
            ("", _("Choose a reason")),
            *[(r, r) for r in reasons],
        ]

    def clean(self):
        data: dict[str, Any] = super().clean() or {}
        if data.get("status") == "rejected" and not data.get("reason"):
            self.add_error("reason", _("Choose the reason for rejecting it."))
        return data


class EnterVotesForm(forms.Form):
    """A facilitator enters the votes someone gave on paper or in person: who, then one choice a statement."""

    person = forms.ChoiceField(label=_("Whose votes are these?"))

    def __init__(self, *args, people, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(m.user_id): m.user for m in people}
        cast(forms.ChoiceField, self.fields["person"]).choices = [
            ("", _("Choose a person")),
            *[
                (str(m.user_id), f"{m.user.display_name} ({m.get_perspective_display().lower()})")
                for m in people
            ],
        ]
        for statement in statements:
            self.fields[f"s{statement.pk}"] = forms.TypedChoiceField(
                label=statement.text,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Not answered")), *Vote.VALUES],
                widget=forms.RadioSelect,
            )

    def clean(self):
        data: dict[str, Any] = super().clean() or {}
        votes = {int(k[1:]): v for k, v in data.items() if k.startswith("s") and v is not None}
        if not votes:
            raise forms.ValidationError(_("Give at least one vote."))
        data["votes"] = votes
        data["user"] = self.people.get(data.get("person", ""))
        return data


class ImportForm(forms.Form):
    question = forms.CharField(label=_("The question"), max_length=300)
    export = forms.FileField(
        label=_("A Polis export as a zip file"),
        required=False,
        help_text=_(
            "The zip holding comments.csv, votes.csv and participants-votes.csv; or the files below."
        ),
    )
    comments = forms.FileField(label="comments.csv", required=False)
    votes = forms.FileField(label="votes.csv", required=False)
    participants = forms.FileField(label="participants-votes.csv", required=False)

    def clean(self):
        data: dict[str, Any] = super().clean() or {}
        if not data.get("export") and not (data.get("comments") and data.get("votes")):
            raise forms.ValidationError(_("Choose the zip file, or at least comments.csv and votes.csv."))
        return data
