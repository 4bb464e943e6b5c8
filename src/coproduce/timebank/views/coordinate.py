"""The coordinators' pages: the dashboard, members, exports, importing history and the network's rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.views import apply_errors
from coproduce.lib import ledger

from .. import access, forms, selectors, services
from ..models import MemberStatus, TimebankMember
from .common import csv_response


@login_required
def dashboard(request) -> HttpResponse:
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
def members(request) -> HttpResponse:
    access.require_coordinator(request.user)
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.members(q).order_by("user__display_name"), 50).get_page(
        request.GET.get("page")
    )
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
def member(request, member_id: int) -> HttpResponse:
    access.require_coordinator(request.user)
    record = get_object_or_404(TimebankMember.objects.select_related("user", "decided_by"), pk=member_id)
    action = request.POST.get("action")
    decide_form = forms.DecideForm(request.POST if action in ("approve", "decline") else None)
    note_form = forms.NoteForm(
        request.POST if action == "note" else None,
        initial={"safeguarding_note": record.safeguarding_note},
    )
    coordinator_form = forms.CoordinatorForm(
        request.POST if action == "coordinator" else None,
        initial={"is_coordinator": record.is_coordinator},
    )
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
    return render(
        request,
        "timebank/member.html",
        {
            "record": record,
            "account": selectors.account_of(record.user),
            "decide_form": decide_form,
            "note_form": note_form,
            "coordinator_form": coordinator_form,
            "is_pending": record.status == MemberStatus.PENDING,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def export_exchanges(request) -> HttpResponse:
    access.require_coordinator(request.user)
    return csv_response(selectors.exchanges_csv(), f"timebank-exchanges-{timezone.localdate():%Y-%m-%d}.csv")


@login_required
def export_balances(request) -> HttpResponse:
    access.require_coordinator(request.user)
    return csv_response(selectors.balances_csv(), f"timebank-balances-{timezone.localdate():%Y-%m-%d}.csv")


@login_required
def import_template(request) -> HttpResponse:
    access.require_coordinator(request.user)
    return csv_response(selectors.import_template(), "timebank-import-example.csv")


@login_required
def import_history(request) -> HttpResponse:
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
def network_settings(request) -> HttpResponse:
    access.require_coordinator(request.user)
    current = selectors.network_settings()
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
            services.network_settings_set(
                actor=request.user,
                confirmation_required=data["confirmation_required"],
                min_balance=data["min_hours"],
                max_balance=data["max_hours"],
            )
        except ValidationError as error:
            apply_errors(form, error, "min_hours")
        else:
            messages.success(request, _("Saved."))
            return redirect("timebank:dashboard")
    return render(request, "timebank/settings.html", {"form": form}, status=400 if form.errors else 200)
