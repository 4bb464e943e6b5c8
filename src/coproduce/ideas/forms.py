from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.spaces.forms import ActingForMixin

from .models import IdeaStatus


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=140,
        help_text=_("A short name for your idea, for example: Evening opening"),
    )
    body = forms.CharField(
        label=_("Your idea"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What would change, and who would it help? Plain words are best."),
    )


class NewIdeaForm(ActingForMixin, IdeaForm):
    pass


class IdeaFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *IdeaStatus.choices]
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("supported", _("Most supported")),
        ],
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))


class NewCommentForm(ActingForMixin, CommentForm):
    pass


class NewReplyForm(ActingForMixin, ReplyForm):
    pass


class SupportForm(ActingForMixin, forms.Form):
    """Support an idea, or withdraw it (`withdraw` is "1"); for someone else when the choice is offered."""

    withdraw = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this comment?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only facilitators see your report."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you hiding it?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Everyone who reads the conversation sees this reason in place of the comment."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What becomes of this idea"), choices=IdeaStatus.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for every decision. Everyone who can see the idea reads it."),
    )
    merged_into = forms.IntegerField(
        label=_("Number of the idea it is merged into"),
        required=False,
        min_value=1,
        help_text=_("Only when merging. Each idea's number is shown beside its title."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status")
            and data["status"] != IdeaStatus.UNDER_DISCUSSION
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", _("Say why, so that everyone who took part understands."))
        if data.get("status") == IdeaStatus.MERGED and not data.get("merged_into"):
            self.add_error("merged_into", _("Give the number of the idea it is merged into."))
        return data


class CoAuthorForm(forms.Form):
    user = forms.ChoiceField(label=_("Member to write it with you"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["user"]).choices = [
            ("", _("Choose a member")),
            *[(m.user_id, m.user.display_name) for m in members],
        ]
