from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import BallotType, Budget, Project
from .services.budgets import BUDGET_FIELDS, FIXED_ONCE_VOTING
from .validators import MAX_IMAGE_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_ATTRS = {"inputmode": "decimal", "step": "0.01", "min": "0.01"}


class BudgetForm(forms.ModelForm):
    class Meta:
        model = Budget
        fields = BUDGET_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "amount": forms.NumberInput(attrs=MONEY_ATTRS),
            "currency": forms.TextInput(attrs={"autocapitalize": "characters", "size": 3}),
            "collect_from": DATE,
            "review_from": DATE,
            "vote_from": DATE,
            "results_from": DATE,
            "eligibility": forms.RadioSelect,
            "ballot_type": forms.RadioSelect,
            "rule": forms.RadioSelect,
            "tie_break": forms.RadioSelect,
        }
        help_texts = {
            "title": _("For example: Community health fund 2026"),
            "currency": _("A three-letter code: GBP, EUR, ..."),
            "collect_from": _(
                "The dates are shown to everyone; a host moves the budget from one phase to the next."
            ),
            "area": _("Where voters live or work, if anyone registered in the area may vote."),
            "minimum_age": _("Voters confirm they are this age or older. Their age is never stored."),
            "min_projects": _("Approval ballots."),
            "max_projects": _("Approval ballots. Leave empty for no limit."),
            "min_share_percent": _(
                "Knapsack ballots: for example 70 means each ballot must spend at least 70% of "
                "the budget. 0 for no minimum."
            ),
            "points_total": _("Cumulative ballots."),
            "max_points_per_project": _(
                "Cumulative ballots (optional) and scoring ballots (the highest score)."
            ),
            "max_ranked": _("Ranked ballots."),
            "rule": _(
                "Equal Shares is fairer to groups whose projects would lose every greedy count, but it only "
                "uses which projects each voter chose, as does Phragmén: they go with approval and knapsack "
                "ballots. Ranked, cumulative and scoring ballots are counted with a greedy rule, which uses "
                "the ranks (as a Borda score) or the points. The results page also shows what the other "
                "rules would have funded."
            ),
            "threshold": _(
                "Greedy rules only: a project with fewer votes (or points) is not funded. 0 for none."
            ),
        }

    def __init__(self, *args, locked: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].validators.append(MinValueValidator(Decimal("0.01")))
        if locked:  # voting has opened: what voters were promised is shown but cannot change
            for name in FIXED_ONCE_VOTING:
                if name in self.fields:
                    self.fields[name].disabled = True


class PhaseForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    # Closing the vote only: sent by the confirmation page's button.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why voting opens again"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown to everyone in the budget's history, for example: the paper ballots from the "
            "library had not arrived."
        ),
    )


class ProjectForm(forms.ModelForm):
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)
    cost_reason = forms.CharField(
        label=_("If you changed the cost, why?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the project page beside the old cost."),
    )

    class Meta:
        model = Project
        fields = ["title", "description", "cost", "category", "area", "image", "image_description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "cost": forms.NumberInput(attrs=MONEY_ATTRS),
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        }
        help_texts = {
            "title": _("A short name, for example: Benches along the river path"),
            "description": _("What would be done, where, and who it would help."),
            "cost": _("Your best estimate. Facilitators check it before the vote."),
            "category": _("For example: health, green spaces, young people"),
            "area": _("The neighbourhood or place it is for, if any."),
            "image": _("A JPEG, PNG, GIF or WebP image, up to %(mb)s MB.")
            % {"mb": MAX_IMAGE_BYTES // (1024 * 1024)},
            "image_description": _("Describe the image for people who cannot see it."),
        }

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cost"].validators.append(MinValueValidator(Decimal("0.01")))
        self.fields["image"].widget = forms.FileInput(attrs=self.fields["image"].widget.attrs)
        if not editing:
            del self.fields["remove_image"]
            del self.fields["cost_reason"]
        elif not (self.instance and self.instance.image):
            del self.fields["remove_image"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("image") and not (data.get("image_description") or "").strip():
            self.add_error("image_description", _("Describe the image for people who cannot see it."))
        return data


class FromIdeaForm(forms.Form):
    """An adopted idea made a project: the budget to add it to, and the project as the idea said it."""

    budget = forms.ModelChoiceField(
        label=_("Budget"), queryset=Budget.objects.none(), empty_label=None, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=140)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What would be done, where, and who it would help."),
    )
    cost = forms.DecimalField(
        label=_("Cost"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs=MONEY_ATTRS),
        help_text=_("Your best estimate. It is checked in the review, like every project's."),
    )
    category = forms.CharField(label=_("Category"), max_length=60, required=False)
    area = forms.CharField(label=_("Area"), max_length=120, required=False)

    def __init__(self, *args, budgets=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["budget"])
        field.queryset = budgets if budgets is not None else Budget.objects.none()


class ReviewForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("Can this project be done?"),
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes: put it on the ballot")), ("no", _("No: it is not feasible"))],
    )
    cost = forms.DecimalField(
        label=_("Cost"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        widget=forms.NumberInput(attrs=MONEY_ATTRS),
        help_text=_(
            "Change it only if the estimate was wrong; the old cost and your reason stay on the page."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Public. Needed when the project is not feasible or its cost changes."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Pabulib file (.pb)"), help_text=_("Up to 50 MB, UTF-8 text."))
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=140,
        help_text=_("Leave empty to use the file's description."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large: the limit is 50 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


# --- Ballots ----------------------------------------------------------------------------------------


class BallotForm(forms.Form):
    """One field per project, shaped by the ballot type; `choices()` gives (project id, value) pairs.

    Approval and knapsack: one checkbox per project. Cumulative and scoring: a number of points per project.
    Ranked: a rank per project (empty for "not ranked").
    """

    def __init__(
        self,
        *args,
        budget: Budget,
        projects,
        confirm_text: str = "",
        paper: bool = False,
        members=None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.budget, self.ballot_projects = budget, list(projects)
        kind = budget.ballot_type
        if paper:
            self.fields["member"] = forms.ModelChoiceField(
                label=_("Member who voted"),
                required=False,
                queryset=members,
                empty_label=_("Not a member: use a reference number"),
                error_messages={
                    "invalid_choice": _(
                        "Choose someone from the list: members who take part with help or have asked for it, "
                        "and who have not voted online themself."
                    )
                },
            )
            self.fields["reference"] = forms.CharField(
                label=_("Reference number of the paper ballot"),
                required=False,
                max_length=40,
                help_text=_("For a resident without an account. It must be unique in this budget."),
            )
            self.fields["sheet"] = forms.CharField(
                label=_("Number printed on the ballot sheet"),
                required=False,
                max_length=40,
                help_text=_(
                    "Type it exactly as printed at the top of the sheet, for example 12-007, so that this "
                    "ballot can be traced to its paper. Each sheet can be typed in once."
                ),
            )
        if kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
            self.fields["projects"] = forms.TypedMultipleChoiceField(
                label=_("Projects"),
                required=False,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                choices=[(p.pk, p.title) for p in self.ballot_projects],
            )
        else:
            for project in self.ballot_projects:
                field: forms.Field
                if kind == BallotType.RANKED:
                    limit = budget.max_ranked or len(self.ballot_projects)
                    field = forms.TypedChoiceField(
                        label=project.title,
                        required=False,
                        coerce=int,
                        empty_value=0,  # type: ignore[arg-type]  # "not ranked" is rank 0, as the services read it
                        choices=[
                            ("", _("Not ranked")),
                            *((n, str(n)) for n in range(1, min(limit, len(self.ballot_projects)) + 1)),
                        ],
                    )
                else:
                    cap = budget.max_points_per_project or budget.points_total
                    field = forms.IntegerField(
                        label=project.title,
                        required=False,
                        min_value=0,
                        max_value=cap,
                        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": cap or ""}),
                    )
                self.fields[f"project_{project.pk}"] = field
        if confirm_text:
            self.fields["confirm"] = forms.BooleanField(label=confirm_text, required=False)

    def value_fields(self):
        """The per-project fields (cumulative, scoring, ranked) with their project, in ballot order."""
        return [
            (project, self[f"project_{project.pk}"])
            for project in self.ballot_projects
            if f"project_{project.pk}" in self.fields
        ]

    def choices(self) -> list[tuple[int, int]]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if "projects" in self.fields:
            return [(pid, 1) for pid in data.get("projects") or []]
        pairs = []
        for project in self.ballot_projects:
            value = data.get(f"project_{project.pk}")
            if value:
                pairs.append((project.pk, int(value)))
        return pairs

    def raw_choices(self) -> list[tuple[int, int]]:
        """Best-effort choices from unvalidated data, for the running total while someone is still choosing."""
        data = self.data
        if "projects" in self.fields:
            values = data.getlist("projects") if hasattr(data, "getlist") else data.get("projects", [])
            return [(int(v), 1) for v in values if str(v).isdigit()]
        pairs = []
        for project in self.ballot_projects:
            value = str(data.get(f"project_{project.pk}", "") or "").strip()
            if value.isdigit() and int(value) > 0:
                pairs.append((project.pk, int(value)))
        return pairs

    def confirmed(self) -> bool:
        return bool(self.cleaned_data.get("confirm")) if hasattr(self, "cleaned_data") else False


class PrintSheetsForm(forms.Form):
    """Which ballot sheets to print: their numbers run from `first`, one sheet per voter."""

    first = forms.IntegerField(
        label=_("First sheet number"),
        min_value=1,
        max_value=99999,
        initial=1,
        help_text=_("If you printed sheets before, start after the last number you printed."),
    )
    count = forms.IntegerField(label=_("How many sheets"), min_value=1, max_value=200, initial=10)
