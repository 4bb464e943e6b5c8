"""The timebank's front page and joining it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduce.core.views import apply_errors

from .. import access, forms, selectors, services
from ..models import ListingKind


def home(request) -> HttpResponse:
    record = access.member_of(request.user)
    context: dict[str, Any] = {
        "record": record,
        "is_member": access.is_member(request.user),
        "is_coordinator": access.is_coordinator(request.user),
    }
    if context["is_member"]:
        account = services.account_for_user(request.user)
        context.update(
            {
                "account": account,
                "waiting": selectors.waiting_for(request.user),
                "offers": selectors.listings(kind=ListingKind.OFFER)[:5],
                "requests": selectors.listings(kind=ListingKind.REQUEST)[:5],
            }
        )
    elif request.user.is_authenticated and record is None:
        context["form"] = forms.JoinForm()
    return render(request, "timebank/home.html", context)


@login_required
def join(request) -> HttpResponse:
    form = forms.JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_join(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. A coordinator will be in touch to welcome you."))
            return redirect("timebank:home")
    return render(request, "timebank/join.html", {"form": form}, status=400 if form.errors else 200)
