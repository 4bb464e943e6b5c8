"""Notification pages: the inbox, one notification, email choices, unsubscribe, and the people you help."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.views import apply_errors

from . import access, kinds, mailing, selectors, services
from .forms import PreferencesForm

PAGE_SIZE = 25


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "items": selectors.present(page.object_list, request.user),
            "helps_anyone": access.helps_anyone(request.user),
        },
    )


@login_required
@require_POST
def read_all(request):
    marked = services.notifications_mark_all_read(actor=request.user)
    if marked:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:inbox")


@login_required
def detail(request, notification_id: int):
    notification = access.get_notification_for(request.user, notification_id)
    services.notification_mark_read(actor=request.user, notification=notification)
    return render(
        request,
        "notifications/detail.html",
        {"item": selectors.present([notification], request.user)[0]},
    )


@login_required
def settings_page(request):
    form = PreferencesForm(request.POST or None, current=selectors.deliveries_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(actor=request.user, user=request.user, choices=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "emailed": access.may_email(request.user)},
        status=400 if form.errors else 200,
    )


@csrf_exempt  # RFC 8058: mail programs POST here with no cookie; the signed token is the authority
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    found = mailing.read_unsubscribe_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user, codes = found
    labels = [str(kinds.BY_CODE[code].label) for code in codes]
    if request.method == "POST":
        services.unsubscribe(user=user, kind_codes=codes)
        return render(request, "notifications/unsubscribed.html", {"labels": labels})
    return render(request, "notifications/unsubscribe.html", {"labels": labels, "token": token})


@login_required
def helped(request):
    if not access.helps_anyone(request.user):
        raise Http404
    rows = access.helped_notifications_for(request.user).select_related("recipient", "space", "actor")
    page = Paginator(rows.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/helped.html",
        {"page": page, "items": selectors.present(page.object_list, request.user)},
    )
