"""Accounts: your own, others' you may see, statements, limits, corrections and the community pot."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.lib import ledger

from .. import access, forms, selectors, services
from ..models import Account, Transfer
from .common import csv_response, show_errors

HISTORY_PAGE = 25


def _account_context(request, account: Account, **extra: Any) -> dict[str, Any]:
    page = Paginator(selectors.history(account), HISTORY_PAGE).get_page(request.GET.get("page"))
    context = {
        "account": account,
        "page": page,
        "flow": selectors.give_and_receive(account),
        "is_mine": access.can_operate(request.user, account),
        "is_coordinator": access.is_coordinator(request.user),
        "may_download_statement": access.can_download_statement(request.user, account),
        "limits_form": forms.LimitsForm(
            initial={
                "min_hours": ledger.hours_text(account.min_balance),
                "max_hours": ledger.hours_text(account.max_balance),
            }
        ),
        "reversed_ids": selectors.corrected_among(p.transfer_id for p in page),
    }
    context.update(extra)
    return context


@login_required
def me(request) -> HttpResponse:
    if not access.has_hours(request.user):
        access.require_member(request.user)  # refused, told how to join
    account = services.account_for_user(request.user)
    if not access.is_member(request.user):
        # Credits given before joining: their hours, and how to join to exchange them (no choices to make yet).
        return render(request, "timebank/account.html", _account_context(request, account, my_hours=True))
    record = access.member_of(request.user)
    form = forms.PreferencesForm(
        request.POST or None,
        initial={
            "share_balance": getattr(record, "share_balance", "private"),
            "area": getattr(record, "area", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_preferences_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("timebank:me")
    return render(
        request,
        "timebank/account.html",
        _account_context(request, account, preferences_form=form, my_hours=True),
        status=400 if form.errors else 200,
    )


@login_required
def account(request, account_id: int) -> HttpResponse:
    item = access.get_account_for(request.user, account_id)
    return render(request, "timebank/account.html", _account_context(request, item))


@login_required
def statement(request, account_id: int) -> HttpResponse:
    item = access.get_account_for(request.user, account_id)
    access.can_download_statement(request.user, item).enforce()
    return csv_response(
        selectors.statement_csv(item), f"timebank-statement-{item.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    )


@login_required
@require_POST
def account_limits(request, account_id: int) -> HttpResponse:
    access.require_coordinator(request.user)
    item = access.get_account_for(request.user, account_id)
    form = forms.LimitsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        low, high = (None, None) if data["use_defaults"] else (data["min_hours"], data["max_hours"])
        if not data["use_defaults"] and low is None and high is None:
            form.add_error("min_hours", _("Enter a new limit, or choose the network's limits."))
        else:
            try:
                services.account_limits_set(
                    actor=request.user, account=item, min_balance=low, max_balance=high
                )
            except ValidationError as error:
                apply_errors(form, error, "min_hours")
            else:
                messages.success(request, _("Limits saved."))
                return redirect(item)
    return render(
        request, "timebank/account.html", _account_context(request, item, limits_form=form), status=400
    )


@login_required
def transfer_reverse(request, transfer_id: int) -> HttpResponse:
    access.require_coordinator(request.user)
    transfer = get_object_or_404(
        Transfer.objects.prefetch_related("postings__account__user", "postings__account__organisation"),
        pk=transfer_id,
    )
    form = forms.ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_reverse(
                actor=request.user, transfer=transfer, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error, "reason")
        else:
            messages.success(
                request, _("Corrected. Both the transfer and its correction stay in the history.")
            )
            return redirect("timebank:account", account_id=transfer.postings.all()[0].account_id)
    return render(
        request,
        "timebank/reverse.html",
        {"transfer": transfer, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def pot(request) -> HttpResponse:
    access.require_member(request.user)
    action = request.POST.get("action")
    give_form = forms.GiveToPotForm(request.POST if action == "give" else None)
    grant_form = forms.GrantForm(request.POST if action == "grant" else None)
    if request.method == "POST" and action == "give" and give_form.is_valid():
        data = give_form.cleaned_data
        try:
            services.donate_to_pot(actor=request.user, minutes=data["hours"], description=data["description"])
        except ValidationError as error:
            show_errors(give_form, error, "hours")
        else:
            messages.success(
                request,
                _("Thank you for giving %(hours)s to the community pot.")
                % {"hours": ledger.format_minutes(data["hours"])},
            )
            return redirect("timebank:pot")
    if request.method == "POST" and action == "grant" and grant_form.is_valid():
        access.require_coordinator(request.user)
        data = grant_form.cleaned_data
        try:
            services.grant_from_pot(
                actor=request.user,
                to=data["to"],
                minutes=data["hours"],
                description=data["description"],
            )
        except ValidationError as error:
            show_errors(grant_form, error, "hours")
        else:
            messages.success(request, _("Granted."))
            return redirect("timebank:pot")
    errors = give_form.errors or grant_form.errors
    return render(
        request,
        "timebank/pot.html",
        {
            # Made on first use; read after a refused gift or grant, which changed nothing.
            "account": services.community_pot(),
            "give_form": give_form,
            "grant_form": grant_form,
            "is_coordinator": access.is_coordinator(request.user),
        },
        status=400 if errors else 200,
    )
