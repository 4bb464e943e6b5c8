"""Timebank pages. Each view: parse → access → service → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.lib import ledger
from coproduce.people.models import Organisation

from . import access, forms, selectors, services
from .models import (
    Account,
    ExchangeStatus,
    ListingKind,
    MemberStatus,
    TimebankMember,
    TimebankSettings,
    Transfer,
)
from .services.exchanges import amounts

HISTORY_PAGE = 25


def _csv(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _errors(form, error: ValidationError, default_field: str | None = None) -> None:
    """Show a service's errors on the form; services say `minutes`, forms ask for `hours`."""
    if hasattr(error, "error_dict"):
        renamed = {
            ("hours" if name == "minutes" else name): messages
            for name, messages in error.message_dict.items()
        }
        error = ValidationError(renamed)
    apply_errors(form, error, default_field)


def _my_organisations(user):
    if access.is_coordinator(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=access.admin_organisation_ids(user))


def home(request):
    record = access.member_of(request.user)
    context = {
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
def join(request):
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


# --- Offers and requests ----------------------------------------------------------------------------------


@login_required
def listings(request):
    access.require_member(request.user)
    form = forms.SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.listings(**{k: v for k, v in filters.items() if v})
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "timebank/listings.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def listing_new(request):
    access.require_member(request.user)
    initial = {
        "kind": request.GET.get("kind") if request.GET.get("kind") in ListingKind.values else None,
        "area": getattr(access.member_of(request.user), "area", ""),
    }
    form = forms.ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Posted. People in the timebank can see it now."))
            return redirect(listing)
    return render(request, "timebank/listing_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def listing(request, listing_id: int):
    item = access.get_listing_for(request.user, listing_id)
    return render(
        request,
        "timebank/listing.html",
        {
            "listing": item,
            "matches": selectors.matches_for(item),
            "may_edit": item.owner_id == request.user.pk or access.is_coordinator(request.user),
        },
    )


@login_required
def listing_edit(request, listing_id: int):
    item = access.get_listing_for(request.user, listing_id, write=True)
    initial = {
        "title": item.title,
        "category": item.category,
        "description": item.description,
        "tags": ", ".join(t.name for t in item.tags.all()),
        "area": item.area,
        "availability": item.availability,
        "ends_on": item.ends_on,
        "is_open": item.is_open,
    }
    form = forms.ListingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.listing_update(
                actor=request.user, listing=item, tags=data.pop("tags"), is_open=data.pop("is_open"), **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    return render(
        request,
        "timebank/listing_form.html",
        {"form": form, "listing": item},
        status=400 if form.errors else 200,
    )


# --- Exchanges ---------------------------------------------------------------------------------------------


@login_required
def exchanges(request):
    access.require_member(request.user)
    page = Paginator(selectors.exchanges_for(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request, "timebank/exchanges.html", {"page": page, "waiting": selectors.waiting_for(request.user)}
    )


@login_required
def exchange_new(request):
    access.require_member(request.user)
    organisations = _my_organisations(request.user).filter(pk__in=access.admin_organisation_ids(request.user))
    linked = None
    if request.GET.get("listing", "").isdigit():
        linked = access.get_listing_for(request.user, int(request.GET["listing"]))
    initial = {}
    if linked is not None:
        mine = linked.owner_id == request.user.pk
        initial = {"listing": linked.pk, "what": linked.title}
        if not mine:
            initial["other"] = linked.owner_id
            initial["direction"] = "received" if linked.kind == ListingKind.OFFER else "gave"
    form = forms.ExchangeForm(
        request.POST or None, user=request.user, organisations=organisations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = data.get("as_organisation")
        mine = (
            services.account_for_organisation(organisation)
            if organisation
            else services.account_for_user(request.user)
        )
        other = services.account_for_user(data["other"])
        gave, received = (mine, other) if data["direction"] == form.GAVE else (other, mine)
        item = None
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
            _errors(form, error)
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
def exchange_group(request):
    access.require_member(request.user)
    organisations = _my_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied(
            _("Group exchanges are recorded by an organisation's admins or a coordinator.")
        )
    form = forms.GroupExchangeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = services.account_for_organisation(data["organisation"])
        people = [services.account_for_user(person) for person in data["people"]]
        gave, received = (people, org) if data["direction"] == form.FROM_PEOPLE else (org, people)
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
            _errors(form, error)
        else:
            messages.success(request, _("Recorded for %(n)s people.") % {"n": len(people)})
            return redirect(exchange)
    return render(request, "timebank/exchange_group.html", {"form": form}, status=400 if form.errors else 200)


def _exchange_context(request, exchange, **extra):
    user = request.user
    parties = list(exchange.parties.all())
    mine = [p for p in parties if access.can_operate(user, p.account)]
    context = {
        "exchange": exchange,
        "gave": [p for p in parties if p.side == "gave"],
        "received": [p for p in parties if p.side == "received"],
        "amounts": _amounts(exchange, parties),
        "may_confirm": exchange.status == ExchangeStatus.PENDING
        and any(p.must_confirm and p.confirmed_at is None for p in mine),
        "may_dispute": exchange.status == ExchangeStatus.PENDING
        and bool(mine)
        and exchange.recorded_by_id != user.pk,
        "may_cancel": exchange.status == ExchangeStatus.PENDING and exchange.recorded_by_id == user.pk,
        "may_resolve": exchange.status in (ExchangeStatus.DISPUTED, ExchangeStatus.PENDING)
        and access.is_coordinator(user),
        "dispute_form": forms.DisputeForm(),
        "resolve_form": forms.ResolveForm(),
    }
    context.update(extra)
    return context


def _amounts(exchange, parties) -> dict[int, str]:
    return {pk: ledger.format_minutes(value, signed=True) for pk, value in amounts(exchange, parties).items()}


@login_required
def exchange(request, exchange_id: int):
    item = access.get_exchange_for(request.user, exchange_id)
    return render(request, "timebank/exchange.html", _exchange_context(request, item))


def _exchange_action(request, exchange_id: int, action):
    item = access.get_exchange_for(request.user, exchange_id)
    try:
        message = action(item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        item = access.get_exchange_for(request.user, exchange_id)
        return render(request, "timebank/exchange.html", _exchange_context(request, item), status=400)
    messages.success(request, message)
    return redirect("timebank:exchange", exchange_id=item.pk)


@login_required
@require_POST
def exchange_confirm(request, exchange_id: int):
    def act(item):
        done = services.exchange_confirm(actor=request.user, exchange=item)
        if done.status == ExchangeStatus.CONFIRMED:
            return _("Thank you. The exchange is confirmed and both balances are updated.")
        return _("Thank you. It will be added when everyone has confirmed.")

    return _exchange_action(request, exchange_id, act)


@login_required
@require_POST
def exchange_cancel(request, exchange_id: int):
    def act(item):
        services.exchange_cancel(actor=request.user, exchange=item)
        return _("The exchange has been withdrawn.")

    return _exchange_action(request, exchange_id, act)


@login_required
@require_POST
def exchange_dispute(request, exchange_id: int):
    item = access.get_exchange_for(request.user, exchange_id)
    form = forms.DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.exchange_dispute(actor=request.user, exchange=item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error, "reason")
        else:
            messages.success(request, _("Thank you. A coordinator will look at it and talk to you both."))
            return redirect(item)
    return render(
        request, "timebank/exchange.html", _exchange_context(request, item, dispute_form=form), status=400
    )


@login_required
@require_POST
def exchange_resolve(request, exchange_id: int):
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
            _errors(form, error, "resolution")
        else:
            messages.success(request, _("Resolved."))
            return redirect(item)
    return render(
        request, "timebank/exchange.html", _exchange_context(request, item, resolve_form=form), status=400
    )


# --- Accounts --------------------------------------------------------------------------------------------


def _account_context(request, account, **extra):
    page = Paginator(selectors.history(account), HISTORY_PAGE).get_page(request.GET.get("page"))
    context = {
        "account": account,
        "page": page,
        "flow": selectors.give_and_receive(account),
        "is_mine": access.can_operate(request.user, account),
        "is_coordinator": access.is_coordinator(request.user),
        "limits_form": forms.LimitsForm(
            initial={
                "min_hours": ledger.hours_text(account.min_balance),
                "max_hours": ledger.hours_text(account.max_balance),
            }
        ),
        "reversed_ids": set(
            Transfer.objects.filter(reverses_id__in=[p.transfer_id for p in page]).values_list(
                "reverses_id", flat=True
            )
        ),
    }
    context.update(extra)
    return context


@login_required
def me(request):
    access.require_member(request.user)
    account = services.account_for_user(request.user)
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
        _account_context(request, account, preferences_form=form),
        status=400 if form.errors else 200,
    )


@login_required
def account(request, account_id: int):
    item = access.get_account_for(request.user, account_id)
    return render(request, "timebank/account.html", _account_context(request, item))


@login_required
def statement(request, account_id: int):
    item = access.get_account_for(request.user, account_id)
    if not (access.can_operate(request.user, item) or access.is_coordinator(request.user)):
        raise PermissionDenied
    return _csv(
        services.statement_csv(item), f"timebank-statement-{item.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    )


@login_required
@require_POST
def account_limits(request, account_id: int):
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
def transfer_reverse(request, transfer_id: int):
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


# --- The community pot -------------------------------------------------------------------------------------


@login_required
def pot(request):
    access.require_member(request.user)
    account = services.community_pot()
    give_form = forms.GiveToPotForm(request.POST if request.POST.get("action") == "give" else None)
    grant_form = forms.GrantForm(request.POST if request.POST.get("action") == "grant" else None)
    if request.method == "POST" and request.POST.get("action") == "give" and give_form.is_valid():
        data = give_form.cleaned_data
        try:
            services.donate_to_pot(actor=request.user, minutes=data["hours"], description=data["description"])
        except ValidationError as error:
            _errors(give_form, error, "hours")
        else:
            messages.success(
                request,
                _("Thank you for giving %(hours)s to the community pot.")
                % {"hours": ledger.format_minutes(data["hours"])},
            )
            return redirect("timebank:pot")
    if request.method == "POST" and request.POST.get("action") == "grant" and grant_form.is_valid():
        access.require_coordinator(request.user)
        data = grant_form.cleaned_data
        try:
            services.grant_from_pot(
                actor=request.user,
                to=services.account_for_user(data["to"]),
                minutes=data["hours"],
                description=data["description"],
            )
        except ValidationError as error:
            _errors(grant_form, error, "hours")
        else:
            messages.success(request, _("Granted."))
            return redirect("timebank:pot")
    errors = give_form.errors or grant_form.errors
    return render(
        request,
        "timebank/pot.html",
        {
            "account": Account.objects.get(pk=account.pk),
            "give_form": give_form,
            "grant_form": grant_form,
            "is_coordinator": access.is_coordinator(request.user),
        },
        status=400 if errors else 200,
    )


# --- Coordinators ------------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    access.require_coordinator(request.user)
    return render(
        request,
        "timebank/dashboard.html",
        {
            "d": selectors.dashboard(),
            "disputes": selectors.disputes()[:20],
        },
    )


@login_required
def members(request):
    access.require_coordinator(request.user)
    q = request.GET.get("q", "").strip()
    approved = selectors.members()
    if q:
        approved = approved.filter(Q(user__display_name__icontains=q) | Q(area__icontains=q))
    page = Paginator(approved.order_by("user__display_name"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "timebank/members.html",
        {
            "pending": selectors.pending_members(),
            "page": page,
            "q": q,
            "query": f"q={q}" if q else "",
        },
    )


@login_required
def member(request, member_id: int):
    access.require_coordinator(request.user)
    record = get_object_or_404(TimebankMember.objects.select_related("user", "decided_by"), pk=member_id)
    decide_form = forms.DecideForm(
        request.POST if request.POST.get("action") in ("approve", "decline") else None
    )
    note_form = forms.NoteForm(
        request.POST if request.POST.get("action") == "note" else None,
        initial={"safeguarding_note": record.safeguarding_note},
    )
    coordinator_form = forms.CoordinatorForm(
        request.POST if request.POST.get("action") == "coordinator" else None,
        initial={"is_coordinator": record.is_coordinator},
    )
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action in ("approve", "decline") and decide_form.is_valid():
                services.member_decide(
                    actor=request.user,
                    member=record,
                    approve=action == "approve",
                    note=decide_form.cleaned_data["safeguarding_note"],
                )
                messages.success(
                    request,
                    _("%(name)s is now a member.") % {"name": record.user}
                    if action == "approve"
                    else _("Declined."),
                )
                return redirect("timebank:members")
            if action == "note" and note_form.is_valid():
                services.member_note_set(
                    actor=request.user, member=record, note=note_form.cleaned_data["safeguarding_note"]
                )
                messages.success(request, _("Saved."))
                return redirect("timebank:member", member_id=record.pk)
            if action == "coordinator" and coordinator_form.is_valid():
                services.coordinator_set(
                    actor=request.user,
                    member=record,
                    is_coordinator=coordinator_form.cleaned_data["is_coordinator"],
                )
                messages.success(request, _("Saved."))
                return redirect("timebank:member", member_id=record.pk)
        except ValidationError as error:
            apply_errors(
                decide_form if action in ("approve", "decline") else note_form, error, "safeguarding_note"
            )
    account = Account.objects.filter(user=record.user).first()
    return render(
        request,
        "timebank/member.html",
        {
            "record": record,
            "account": account,
            "decide_form": decide_form,
            "note_form": note_form,
            "coordinator_form": coordinator_form,
            "is_pending": record.status == MemberStatus.PENDING,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def export_exchanges(request):
    access.require_coordinator(request.user)
    return _csv(services.exchanges_csv(), f"timebank-exchanges-{timezone.localdate():%Y-%m-%d}.csv")


@login_required
def export_balances(request):
    access.require_coordinator(request.user)
    return _csv(services.balances_csv(), f"timebank-balances-{timezone.localdate():%Y-%m-%d}.csv")


@login_required
def import_template(request):
    access.require_coordinator(request.user)
    return _csv(services.import_template(), "timebank-import-example.csv")


@login_required
def import_history(request):
    access.require_coordinator(request.user)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", _("The file is too big: split it into files under 5 MB."))
        else:
            try:
                result = services.history_import(
                    actor=request.user, data=upload.read(), source=form.cleaned_data["source"] or upload.name
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    _("Imported %(n)s transfers (%(hours)s). %(skipped)s rows were already imported.")
                    % {
                        "n": result.transfers,
                        "hours": ledger.format_minutes(result.minutes),
                        "skipped": result.already_imported,
                    },
                )
                return redirect("timebank:dashboard")
    return render(request, "timebank/import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def network_settings(request):
    access.require_coordinator(request.user)
    current = TimebankSettings.current()
    form = forms.SettingsForm(
        request.POST or None,
        initial={
            "confirmation_required": current.confirmation_required,
            "min_hours": ledger.hours_text(current.default_min_balance),
            "max_hours": ledger.hours_text(current.default_max_balance),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.confirmation_required_set(actor=request.user, required=data["confirmation_required"])
                services.network_limits_set(
                    actor=request.user, min_balance=data["min_hours"], max_balance=data["max_hours"]
                )
        except ValidationError as error:
            apply_errors(form, error, "min_hours")
        else:
            messages.success(request, _("Saved."))
            return redirect("timebank:dashboard")
    return render(request, "timebank/settings.html", {"form": form}, status=400 if form.errors else 200)
