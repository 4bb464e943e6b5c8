from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from coproduce.spaces import access as space_access

from .models import IdeaStatus


class ActingForMixin:
    """Adds "Who is this for?" to a form, for a facilitator or host taking part for someone who takes part
    with help (assisted participation; `spaces.access.can_act_for` has the rule, the service records it).

    The choice appears only when the signed-in person may make it and there is someone to choose. A posted
    `on_behalf_of` the form did not offer is refused with PermissionDenied while the form is built: nobody
    else's name goes on an idea, comment or registration because a request said so. `cleaned_data` then
    holds `on_behalf_of` (a User, the facilitator themself by default) only when the choice was offered, so
    views can pass `**form.cleaned_data` to the service unchanged.
    """

    def __init__(self, *args, actor, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        memberships = space_access.people_to_act_for(actor, space)
        self._people = {str(m.user_id): m.user for m in memberships}
        if self._people:
            self._people[str(actor.pk)] = actor
            self.fields["on_behalf_of"] = forms.ChoiceField(
                label=_("Who is this for?"),
                choices=[
                    (str(actor.pk), _("Me (%(name)s)") % {"name": actor.display_name}),
                    *[
                        (str(m.user_id), f"{m.user.display_name} ({m.get_perspective_display().lower()})")
                        for m in memberships
                    ],
                ],
                initial=str(actor.pk),
                help_text=_(
                    "To record this for someone who takes part with help, choose them. It is recorded with "
                    "your name, and they can see it on their page of what was done on their behalf."
                ),
                error_messages={
                    "invalid_choice": _(
                        "Choose yourself or a member of this space who takes part with help."
                    ),
                    "required": _("Choose who this is for."),
                },
            )
            self.order_fields(["on_behalf_of"])
        elif self.is_bound and self.data.get("on_behalf_of", "") not in ("", str(actor.pk)):
            if space_access.has_role(actor, space, space_access.FACILITATOR):
                raise PermissionDenied(
                    _(
                        "You can act only for members of this space who take part with help or have asked for it."
                    )
                )
            raise PermissionDenied(_("Only facilitators and hosts can act for someone else."))

    @property
    def acting_for(self):
        """The "Who is this for?" field, or None when it is not offered (for templates)."""
        return self["on_behalf_of"] if "on_behalf_of" in self.fields else None

    def prefer_someone_else(self) -> None:
        """Choose the first person who takes part with help, for a form the facilitator cannot use for
        themself (they are already registered, for example)."""
        others = [pk for pk in self._people if pk != str(self.actor.pk)]
        if others and not self.is_bound:
            self.initial["on_behalf_of"] = others[0]

    def clean_on_behalf_of(self):
        return self._people[self.cleaned_data["on_behalf_of"]]


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

    def clean(self):
        data = super().clean()
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
        self.fields["user"].choices = [
            ("", _("Choose a member")),
            *[(m.user_id, m.user.display_name) for m in members],
        ]
