"""Personal outcomes pages: a person's outcomes (consent, who may see them, conversations and the chart of
change), recording a conversation, the personal plan with its history, the space's anonymised summary, and
a person's own page across spaces (where they erase everything)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Membership, Space

from . import access, selectors, services
from .forms import ConsentForm, ConversationForm, EraseForm, HelpersForm, PlanForm, WithdrawForm
from .models import Consent


def _member_space(request: SignedInRequest, slug: str) -> Space:
    space = space_access.get_space_for(request.user, slug)
    if not (space_access.has_role(request.user, space, space_access.MEMBER) or request.user.is_staff):
        raise PermissionDenied(_("Personal outcomes are for members of the space."))
    return space


@login_required
def index(request: SignedInRequest, slug: str) -> HttpResponse:
    """Where a member starts: their own outcomes, the people who allow them to help, and (for facilitators)
    the people who take part with help, whose consent they may record."""
    space = _member_space(request, slug)
    assisted = []
    if space_access.has_role(request.user, space, space_access.FACILITATOR):
        # People who take part with help have no email (see `User.is_assisted`).
        assisted = [
            m.user
            for m in Membership.objects.filter(space=space, user__email__isnull=True)
            .select_related("user")
            .order_by("user__display_name")
        ]
    return render(
        request,
        "outcomes/index.html",
        {
            "space": space,
            "is_member": space_access.has_role(request.user, space, space_access.MEMBER),
            "helping": selectors.people_i_help(request.user, space),
            "assisted": assisted,
        },
    )


def _person_context(request: SignedInRequest, space: Space, person: User, **extra: Any) -> dict[str, Any]:
    found = selectors.conversations(person, space)
    consent = access.live_consent(person, space)
    can_choose = access.can_choose_helpers(request.user, person, space)
    context = {
        "space": space,
        "person": person,
        "is_self": person.pk == request.user.pk,
        "consent": consent,
        "consent_form": ConsentForm(),
        "withdraw_form": WithdrawForm(),
        "can_consent": access.can_consent(request.user, person, space),
        "conversations": found,
        "chart": selectors.chart(found),
        "helpers": selectors.helpers(person, space),
        "helpers_form": HelpersForm(
            choices=selectors.helper_choices(person, space),
            initial={"helpers": [str(h.helper_id) for h in selectors.helpers(person, space)]},
        )
        if can_choose
        else None,
        "can_record": access.can_record(request.user, person, space),
        "plan": selectors.plan(person, space),
    }
    context.update(extra)
    return context


@login_required
def person(request: SignedInRequest, slug: str, person_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    found = _person_for_consent(request, space, person_id)
    return render(request, "outcomes/person.html", _person_context(request, space, found))


def _person_for_consent(request: SignedInRequest, space: Space, person_id: int) -> User:
    """The person, for those who may see their outcomes, or who may give consent for them (a facilitator
    for someone who takes part with help, before they are a helper); 404 for everyone else."""
    found = User.objects.filter(pk=person_id).first()
    if found is None:
        raise Http404
    if access.may_see(request.user, found, space):
        return found
    if found.pk != request.user.pk and access.can_consent(request.user, found, space):
        return found
    raise Http404


@login_required
@require_POST
def consent(request: SignedInRequest, slug: str, person_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    found = _person_for_consent(request, space, person_id)
    access.require_role(access.can_consent(request.user, found, space))
    withdrawing = request.POST.get("action") == "withdraw"
    form: ConsentForm | WithdrawForm = (
        WithdrawForm(request.POST) if withdrawing else ConsentForm(request.POST)
    )
    if form.is_valid():
        try:
            if withdrawing:
                services.consent_withdraw(actor=request.user, person=found, space=space)
            else:
                services.consent_give(actor=request.user, person=found, space=space)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Consent withdrawn: nothing more is recorded, and what was recorded here is deleted.")
                if withdrawing
                else _("Thank you: your outcomes can now be recorded here."),
            )
            return redirect("outcomes:person", space.slug, found.pk)
    key = "withdraw_form" if withdrawing else "consent_form"
    return render(
        request, "outcomes/person.html", _person_context(request, space, found, **{key: form}), status=400
    )


@login_required
@require_POST
def helpers(request: SignedInRequest, slug: str, person_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    found = access.get_person_for(request.user, space, person_id)
    access.require_role(access.can_choose_helpers(request.user, found, space))
    form = HelpersForm(request.POST, choices=selectors.helper_choices(found, space))
    if form.is_valid():
        try:
            services.helpers_set(
                actor=request.user, person=found, space=space, helpers=form.cleaned_data["helpers"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: only the people you chose can see your outcomes."))
            return redirect("outcomes:person", space.slug, found.pk)
    return render(
        request, "outcomes/person.html", _person_context(request, space, found, helpers_form=form), status=400
    )


@login_required
def conversation_new(request: SignedInRequest, slug: str, person_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    found = access.get_person_for(request.user, space, person_id)
    decision = access.can_record(request.user, found, space)
    access.require_role(decision)
    form = ConversationForm(request.POST or None, sets=selectors.sets_for(found, space))
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_record(
                actor=request.user,
                person=found,
                space=space,
                held_on=form.cleaned_data["held_on"],
                ratings=form.cleaned_data["ratings"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The conversation is recorded."))
            return redirect("outcomes:person", space.slug, found.pk)
    return render(
        request,
        "outcomes/conversation_form.html",
        {"space": space, "person": found, "form": form, "decision": decision},
        status=400 if form.errors else 200,
    )


@login_required
def plan(request: SignedInRequest, slug: str, person_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    found = access.get_person_for(request.user, space, person_id)
    current = selectors.plan(found, space)
    decision = access.can_record(request.user, found, space)
    initial = {name: getattr(current, name) for name in services.PLAN_FIELDS} if current else {}
    form = PlanForm(request.POST or None, sets=selectors.sets_for(found, space), initial=initial)
    if request.method == "POST":
        access.require_role(decision)
        if form.is_valid():
            try:
                services.plan_save(actor=request.user, person=found, space=space, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The plan is saved."))
                return redirect("outcomes:plan", space.slug, found.pk)
    return render(
        request,
        "outcomes/plan.html",
        {
            "space": space,
            "person": found,
            "plan": current,
            "form": form,
            "decision": decision,
            "history": selectors.plan_history(current),
        },
        status=400 if form.errors else 200,
    )


@login_required
def summary(request: SignedInRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_see_summary(request.user, space))
    return render(
        request,
        "outcomes/summary.html",
        {"space": space, "summary": selectors.summary(space), "smallest": access.SMALLEST_GROUP},
    )


@login_required
def mine(request: SignedInRequest) -> HttpResponse:
    """A person's own page across spaces: where they agreed to record outcomes, and erasing everything."""
    consents = Consent.objects.filter(person=request.user, withdrawn_at__isnull=True).select_related("space")
    return render(request, "outcomes/mine.html", {"consents": consents, "form": EraseForm()})


@login_required
@require_POST
def erase(request: SignedInRequest) -> HttpResponse:
    form = EraseForm(request.POST)
    if form.is_valid():
        services.person_erase(actor=request.user, person=request.user)
        messages.success(request, _("Everything recorded about your outcomes is erased."))
        return redirect("outcomes_mine:mine")
    consents = Consent.objects.filter(person=request.user, withdrawn_at__isnull=True).select_related("space")
    return render(request, "outcomes/mine.html", {"consents": consents, "form": form}, status=400)
