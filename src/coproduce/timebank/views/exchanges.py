"""Exchanges: recording one (one to one, or a group for an organisation), and confirming, disputing,
withdrawing and resolving it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.lib import ledger

from .. import access, forms, selectors, services
from ..models import Exchange, ExchangeStatus, Listing, ListingKind, Side
from .common import show_errors


@login_required
def exchanges(request) -> HttpResponse:
    access.require_member(request.user)
    page = Paginator(selectors.exchanges_for(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request, "timebank/exchanges.html", {"page": page, "waiting": selectors.waiting_for(request.user)}
    )


@login_required
def exchange_new(request) -> HttpResponse:
    access.require_member(request.user)
    linked = None
    if request.GET.get("listing", "").isdigit():
        linked = access.get_listing_for(request.user, int(request.GET["listing"]))
    initial: dict[str, Any] = {}
    if linked is not None:
        initial = {"listing": linked.pk, "what": linked.title}
        if linked.owner_id != request.user.pk:
            initial["other"] = linked.owner_id
            initial["direction"] = "received" if linked.kind == ListingKind.OFFER else "gave"
    form = forms.ExchangeForm(
        request.POST or None,
        user=request.user,
        organisations=access.operated_organisations(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mine = data.get("as_organisation") or request.user
        gave, received = (mine, data["other"]) if data["direction"] == form.GAVE else (data["other"], mine)
        item: Listing | None = None
        if data.get("listing"):
            try:
                item = access.get_listing_for(request.user, data["listing"])
            except Http404:
                item = None
        try:
            exchange = services.exchange_record(
                actor=request.user,
                gave=gave,
                received=received,
                minutes=data["hours"],
                what=data["what"],
                happened_on=data["happened_on"],
                listing=item,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            if exchange.status == ExchangeStatus.CONFIRMED:
                messages.success(request, _("Recorded. Both balances have been updated."))
            else:
                messages.success(
                    request,
                    _("Recorded. %(name)s will be asked to confirm it.")
                    % {"name": data["other"].display_name},
                )
            return redirect(exchange)
    return render(
        request,
        "timebank/exchange_form.html",
        {"form": form, "linked": linked},
        status=400 if form.errors else 200,
    )


@login_required
def exchange_group(request) -> HttpResponse:
    access.require_member(request.user)
    organisations = access.payable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied(_("Group exchanges are recorded by an organisation's admins."))
    form = forms.GroupExchangeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = list(data["people"])
        organisation = data["organisation"]
        gave, received = (
            (people, organisation) if data["direction"] == form.FROM_PEOPLE else (organisation, people)
        )
        try:
            exchange = services.exchange_record(
                actor=request.user,
                gave=gave,
                received=received,
                minutes=data["hours"],
                what=data["what"],
                happened_on=data["happened_on"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Recorded for %(n)s people.") % {"n": len(people)})
            return redirect(exchange)
    return render(request, "timebank/exchange_group.html", {"form": form}, status=400 if form.errors else 200)


def _exchange_page(request, exchange: Exchange, *, status: int = 200, **extra: Any) -> HttpResponse:
    """The exchange, and what this person may do with it (the decisions come from `access`)."""
    user = request.user
    parties = list(exchange.parties.all())
    moved = selectors.amounts(exchange, parties)
    context = {
        "exchange": exchange,
        "gave": [p for p in parties if p.side == Side.GAVE],
        "received": [p for p in parties if p.side == Side.RECEIVED],
        "amounts": {pk: ledger.format_minutes(value, signed=True) for pk, value in moved.items()},
        "may_confirm": access.can_confirm(user, exchange, parties),
        "may_dispute": access.can_dispute(user, exchange, parties),
        "may_cancel": access.can_cancel(user, exchange),
        "may_resolve": access.can_resolve(user, exchange),
        "dispute_form": forms.DisputeForm(),
        "resolve_form": forms.ResolveForm(),
    }
    context.update(extra)
    return render(request, "timebank/exchange.html", context, status=status)


@login_required
def exchange(request, exchange_id: int) -> HttpResponse:
    return _exchange_page(request, access.get_exchange_for(request.user, exchange_id))


def _exchange_action(request, exchange_id: int, action: Callable[[Exchange], str]) -> HttpResponse:
    item = access.get_exchange_for(request.user, exchange_id)
    try:
        message = action(item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _exchange_page(request, access.get_exchange_for(request.user, exchange_id), status=400)
    messages.success(request, message)
    return redirect("timebank:exchange", exchange_id=item.pk)


def _refused(request, form: Form, error: ValidationError, field: str, *, still: access.Decision) -> None:
    """A form's errors go beside its fields; when the exchange changed meanwhile (it was settled), the form
    is no longer shown, so the reason is said at the top of the page."""
    if still:
        show_errors(form, error, field)
    else:
        messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def exchange_confirm(request, exchange_id: int) -> HttpResponse:
    def act(item: Exchange) -> str:
        done = services.exchange_confirm(actor=request.user, exchange=item)
        if done.status == ExchangeStatus.CONFIRMED:
            return _("Thank you. The exchange is confirmed and both balances are updated.")
        return _("Thank you. It will be added when everyone has confirmed.")

    return _exchange_action(request, exchange_id, act)


@login_required
@require_POST
def exchange_cancel(request, exchange_id: int) -> HttpResponse:
    def act(item: Exchange) -> str:
        services.exchange_cancel(actor=request.user, exchange=item)
        return _("The exchange has been withdrawn.")

    return _exchange_action(request, exchange_id, act)


@login_required
@require_POST
def exchange_dispute(request, exchange_id: int) -> HttpResponse:
    item = access.get_exchange_for(request.user, exchange_id)
    form = forms.DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.exchange_dispute(actor=request.user, exchange=item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _refused(request, form, error, "reason", still=access.can_dispute(request.user, item))
        else:
            messages.success(request, _("Thank you. A coordinator will look at it and talk to you both."))
            return redirect(item)
    return _exchange_page(request, item, status=400, dispute_form=form)


@login_required
@require_POST
def exchange_resolve(request, exchange_id: int) -> HttpResponse:
    access.require_coordinator(request.user)
    item = access.get_exchange_for(request.user, exchange_id)
    form = forms.ResolveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.exchange_resolve(
                actor=request.user,
                exchange=item,
                accept=data["decision"] == "accept",
                resolution=data["resolution"],
                minutes=data["hours"],
            )
        except ValidationError as error:
            _refused(request, form, error, "resolution", still=access.can_resolve(request.user, item))
        else:
            messages.success(request, _("Resolved."))
            return redirect(item)
    return _exchange_page(request, item, status=400, resolve_form=form)
