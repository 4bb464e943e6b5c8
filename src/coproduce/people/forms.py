from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import single_line

from .models import Organisation, User
from .services import parse_tags


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds to email and password."""

    display_name = forms.CharField(
        label=_("Your name, as others will see it"),
        max_length=80,
        help_text=_("A first name or nickname is fine. Your email address is never shown to anyone."),
        validators=[single_line],  # saved by signup() below without the model's full_clean
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])


class TagField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 900)
        kwargs.setdefault("help_text", _("Separate them with commas, for example: cooking, listening, BSL"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_tags(value or "")
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error


class ProfileForm(forms.ModelForm):
    skills = TagField(
        label=_("Skills"),
        help_text=_("What you can do. Separate them with commas, for example: cooking, listening, BSL"),
    )
    interests = TagField(
        label=_("Interests"),
        help_text=_(
            "What you care about or would like to work on. Separate them with commas, for example: "
            "mental health, transport, young carers"
        ),
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "pronouns",
            "bio",
            "what_i_bring",
            "accessibility_needs",
            "contact_preference",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "what_i_bring": forms.Textarea(attrs={"rows": 3}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "what_i_bring": _("Experience, skills or time you can offer. Lived experience counts."),
            "accessibility_needs": _(
                "Only you can see this. Later you can choose to share it with the facilitators of a space."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["skills"] = ", ".join(t.name for t in self.instance.skills.all())
            self.initial["interests"] = ", ".join(t.name for t in self.instance.interests.all())


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Organisation
        fields = ["name", "kind", "description", "place", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=60)


class ClaimAccountForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), help_text=_("Only you will see it."))
    password1 = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Type the password again"), widget=forms.PasswordInput)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class ClaimCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        help_text=_("8 letters and numbers, like HMKP-3R7X. Small letters and spaces are fine."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        from coproduce.lib import codes

        typed = self.cleaned_data["code"]
        if codes.normalise(typed) is None:
            raise forms.ValidationError(
                _(
                    "That does not look like a code: it has 8 letters and numbers, like HMKP-3R7X. "
                    "Check it and try again."
                )
            )
        return typed


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        help_text=_("Kept in the history, so that other network administrators know."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EraseAccountForm(forms.Form):
    """The person says plainly that they mean it; a person with a password types it, so that someone at an
    unlocked computer cannot erase another's account."""

    confirm = forms.BooleanField(
        label=_("I understand that my account will be erased and cannot be brought back"),
        required=True,
        error_messages={"required": _("Tick the box to say that you understand.")},
    )
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not password:
            raise forms.ValidationError(_("Enter your password."))
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class EraseForPersonForm(forms.Form):
    """A network administrator erases an account at its owner's request (made on paper, by phone or in
    person)."""

    confirm = forms.BooleanField(
        label=_("The person asked for their account to be erased, and I have checked it is them"),
        required=True,
        error_messages={"required": _("Tick the box to confirm the person asked for this.")},
    )
