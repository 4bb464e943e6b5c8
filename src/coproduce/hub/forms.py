from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, PostKind

# No max_length on the fields that take writing: the services say how long it is and what the limit is
# ("Your post is 12,400 characters; the limit is 10,000."), and the form keeps what was written.


class PostForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("Choose a category")
    )
    kind = forms.ChoiceField(label=_("Kind of post"), choices=PostKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), help_text=_("A short line that says what it is about."))
    body = forms.CharField(
        label=_("Your post"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text. Leave an empty line between paragraphs; web addresses become links."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A network admin reads this. The person who wrote it is not told who reported it."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you hiding it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person who wrote it is told this reason."),
    )


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    position = forms.IntegerField(
        label=_("Position in lists"),
        min_value=0,
        max_value=10_000,
        initial=100,
        help_text=_("Lower comes first."),
    )


class DigestForm(forms.Form):
    weekly = forms.BooleanField(
        label=_("Send me a weekly digest"),
        required=False,
        help_text=_(
            "On Monday mornings: the week's new posts in the hub. Every email has a link to stop it."
        ),
    )
