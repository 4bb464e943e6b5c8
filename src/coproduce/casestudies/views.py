"""Case study pages: the list with filters (a GET form), one case study (prints cleanly), writing and
changing one, drafting one from a space's records, publishing, and writing to the author."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .forms import CaseStudyFilterForm, CaseStudyForm, ContactForm
from .models import CaseStudy

PAGE_SIZE = 20


def case_study_list(request: HttpRequest) -> HttpResponse:
    form = CaseStudyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.case_studies(
        request.user,
        stage=filters.get("stage", ""),
        perspective=filters.get("perspective", ""),
        topic=filters.get("topic", ""),
        place=filters.get("place", ""),
        outcome=filters.get("outcome", ""),
        space_id=filters.get("space"),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casestudies/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "can_write": access.can_write(request.user)},
    )


def detail(request: HttpRequest, case_study_id: int) -> HttpResponse:
    case_study = access.get_case_study_for(request.user, case_study_id)
    return render(
        request,
        "casestudies/detail.html",
        {
            "case_study": case_study,
            "organisations": list(case_study.organisations.all()),
            "can_edit": access.can_edit(request.user, case_study),
            "can_contact": access.can_contact(request.user, case_study),
        },
    )


def _initial(case_study: CaseStudy) -> dict:
    initial = {name: getattr(case_study, name) for name in services.TEXT_FIELDS}
    initial["stages"] = case_study.stage_list
    initial["perspectives"] = case_study.perspective_list
    initial["organisations"] = list(case_study.organisations.values_list("id", flat=True))
    return initial


def _form_page(request, form, *, title: str, case_study=None) -> HttpResponse:
    return render(
        request,
        "casestudies/form.html",
        {"form": form, "title": title, "case_study": case_study},
        status=400 if form.errors else 200,
    )


@login_required
def create(request: SignedInRequest) -> HttpResponse:
    access.require_role(access.can_write(request.user))
    form = CaseStudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            case_study = services.case_study_create(actor=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved as a draft. Check it, then publish it."))
            return redirect(case_study)
    return _form_page(request, form, title=_("Write a case study"))


@login_required
def edit(request: SignedInRequest, case_study_id: int) -> HttpResponse:
    case_study = access.get_case_study_for(request.user, case_study_id)
    access.require_role(access.can_edit(request.user, case_study))
    form = CaseStudyForm(request.POST or None, initial=_initial(case_study))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_study_edit(actor=request.user, case_study=case_study, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(case_study)
    return _form_page(request, form, title=_("Change the case study"), case_study=case_study)


@login_required
def generate(request: SignedInRequest, slug: str) -> HttpResponse:
    """GET: what the draft will be made from; POST: make it and open it for editing."""
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_generate(request.user, space))
    if request.method == "POST":
        case_study = services.case_study_generate(actor=request.user, space=space)
        messages.success(
            request,
            _(
                "A draft is ready, made from the space's records. Read it, change what needs changing, then publish it."
            ),
        )
        return redirect("casestudies:edit", case_study_id=case_study.pk)
    earlier = CaseStudy.objects.filter(space=space).order_by("-created_at")[:5]
    return render(request, "casestudies/generate.html", {"space": space, "earlier": earlier})


@login_required
@require_POST
def publish(request: SignedInRequest, case_study_id: int) -> HttpResponse:
    case_study = access.get_case_study_for(request.user, case_study_id)
    access.require_role(access.can_edit(request.user, case_study))
    try:
        services.case_study_publish(actor=request.user, case_study=case_study)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Published: everyone can read it now."))
    return redirect(case_study)


@login_required
@require_POST
def delete(request: SignedInRequest, case_study_id: int) -> HttpResponse:
    case_study = access.get_case_study_for(request.user, case_study_id)
    access.require_role(access.can_edit(request.user, case_study))
    services.case_study_delete(actor=request.user, case_study=case_study)
    messages.success(request, _("The case study is deleted."))
    return redirect("casestudies:list")


@login_required
def contact(request: SignedInRequest, case_study_id: int) -> HttpResponse:
    case_study = access.get_case_study_for(request.user, case_study_id)
    access.require_role(access.can_contact(request.user, case_study))
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_study_contact(
                actor=request.user, case_study=case_study, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Sent. The author will see your message on the site."))
            return redirect(case_study)
    return render(
        request,
        "casestudies/contact.html",
        {"form": form, "case_study": case_study},
        status=400 if form.errors else 200,
    )
