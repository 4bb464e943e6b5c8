from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SUMMARY_MAX, Resource, ResourceKind


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary in plain words"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What it is and who it helps, in two or three short sentences (at most 300 characters)."),
    )
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        label=_("Or a file"),
        required=False,
        help_text=_("A PDF, Word, OpenDocument or image file, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.png,.jpg,.jpeg,.gif,.webp"}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=_("Words people may look for, with commas between: evaluation, housing, easy read."),
    )
    easy_read_of: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("This is the easy-read version of"),
        queryset=Resource.objects.none(),
        required=False,
        empty_label=_("None: it is not an easy-read version"),
    )

    def __init__(self, *args, originals, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["easy_read_of"].queryset = originals  # type: ignore[attr-defined]  # a ModelChoiceField
        if editing is not None:
            del self.fields["file"]
            if editing.kind == ResourceKind.FILE:
                del self.fields["url"]
            else:
                self.fields["url"].required = True
                self.fields["url"].label = _("Link")

    def clean(self):
        data = super().clean() or {}
        if "file" in self.fields and "url" in self.fields:
            if not data.get("url") and not data.get("file") and not self.has_error("file"):
                self.add_error("url", _("Give a link, or choose a file to upload."))
            elif data.get("url") and data.get("file"):
                self.add_error("url", _("Give a link or a file, not both."))
        return data


class ResourceFilterForm(forms.Form):
    words = forms.CharField(label=_("Words"), required=False, max_length=100)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Links and files")), *ResourceKind.choices]
    )
    easy_read = forms.BooleanField(label=_("Only easy-read versions"), required=False)
