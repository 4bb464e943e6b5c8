"""The directory's pages: signed-in members only (anonymous people are sent to sign in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.ratelimit import limited
from coproduce.core.views import apply_errors
from coproduce.people.models import User

from . import access, selectors, services
from .forms import FilterForm, HelpRequestForm, ListingForm, MessageForm, ReportForm, ResolveForm
from .models import Block, HelpRequest, Listing


def _bad(request) -> int:
    return 400 if request.method == "POST" else 200


@login_required
def directory(request):
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.listings(
        request.user,
        stage=data.get("stage", ""),
        offer=data.get("offer", ""),
        place=data.get("place", ""),
        q=data.get("q", ""),
    )
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "mine": Listing.objects.filter(person=request.user).first(),
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
def person(request, person_id: int):
    listing = access.get_listing_for(request.user, person_id)
    return render(
        request,
        "directory/person.html",
        {
            "listing": listing,
            "is_me": listing.person_id == request.user.pk,
            "blocked": listing.person_id in access.blocked_ids(request.user),
        },
    )


@login_required
def my_listing(request):
    listing = Listing.objects.filter(person=request.user).first()
    initial = {}
    if listing is not None:
        initial = {
            "intro": listing.intro,
            "skills": listing.skills,
            "experience": listing.experience,
            "interests": listing.interests,
            "stages": listing.stage_list,
            "perspectives": listing.perspective_list,
            "place": listing.place,
            "offers": listing.offer_list,
            "lived_experience_of": listing.lived_experience_of,
        }
    form = ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Your listing is saved. Members can now find you.")
                if listing is None
                else _("Your listing is changed."),
            )
            return redirect("directory:person", request.user.pk)
    return render(
        request, "directory/listing_form.html", {"form": form, "listing": listing}, status=_bad(request)
    )


@login_required
def leave(request):
    listing = Listing.objects.filter(person=request.user).first()
    if request.method == "POST":
        services.listing_leave(actor=request.user)
        messages.success(request, _("You have left the directory. Your listing is deleted."))
        return redirect("directory:list")
    return render(request, "directory/leave.html", {"listing": listing})


# --- Asking for help -------------------------------------------------------------------------------------


@login_required
def requests(request):
    mine = HelpRequest.objects.filter(asker=request.user)[:50]
    return render(request, "directory/requests.html", {"requests": mine})


@login_required
def request_new(request):
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.help_request_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(created)
    return render(request, "directory/request_form.html", {"form": form}, status=_bad(request))


@login_required
def request_detail(request, request_id: int):
    help_request = access.get_request_for(request.user, request_id)
    return render(
        request,
        "directory/request.html",
        {"help_request": help_request, "suggestions": selectors.suggestions(help_request)},
    )


@login_required
@require_POST
def request_close(request, request_id: int):
    help_request = access.get_request_for(request.user, request_id)
    services.help_request_close(actor=request.user, help_request=help_request)
    messages.success(request, _("Your request is closed."))
    return redirect("directory:requests")


# --- Messages --------------------------------------------------------------------------------------------


@login_required
def inbox(request):
    return render(request, "directory/inbox.html", {"threads": selectors.threads_of(request.user)})


@login_required
@limited("post")
def write(request, person_id: int):
    """Write to someone listed (a new conversation) or someone you already share one with."""
    recipient, thread = access.get_correspondent_for(request.user, person_id)
    if thread is not None and request.method == "GET":
        return redirect(thread)
    form = MessageForm(request.POST or None, initial={"help_request": request.GET.get("request")})
    if request.method == "POST" and form.is_valid():
        help_request = None
        if form.cleaned_data.get("help_request"):
            help_request = HelpRequest.objects.filter(
                pk=form.cleaned_data["help_request"], asker=request.user
            ).first()
        try:
            message = services.message_send(
                actor=request.user,
                recipient=recipient,
                thread=thread,
                body=form.cleaned_data["body"],
                help_request=help_request,
            )
        except ValidationError as error:
            apply_errors(form, error, "body")
        except PermissionDenied:
            form.add_error("body", _("You cannot send a message to this person."))
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(message.thread)
    return render(
        request, "directory/write.html", {"form": form, "recipient": recipient}, status=_bad(request)
    )


@login_required
@limited("post")
def thread(request, thread_id: int):
    found = access.get_thread_for(request.user, thread_id)
    other = found.other(request.user)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(actor=request.user, thread=found, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_errors(form, error, "body")
        except PermissionDenied:
            form.add_error("body", _("You cannot send a message to this person."))
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(found)
    services.thread_mark_read(actor=request.user, thread=found)
    return render(
        request,
        "directory/thread.html",
        {
            "thread": found,
            "other": other,
            "messages_list": selectors.messages_of(found),
            "form": form,
            "can_write": bool(access.can_write_to(request.user, other, thread=found)),
            "blocked_by_me": Block.objects.filter(blocker=request.user, blocked=other).exists(),
        },
        status=_bad(request),
    )


# --- Blocks and reports ----------------------------------------------------------------------------------


def _person_to_act_on(user, person_id: int):
    """Someone listed, or someone the user shares a conversation with (blocking works on both)."""
    if person_id == user.pk:
        raise Http404
    return access.get_correspondent_for(user, person_id)[0]


@login_required
def block(request, person_id: int):
    other = _person_to_act_on(request.user, person_id)
    if request.method == "POST":
        services.block_add(actor=request.user, person=other)
        messages.success(
            request,
            _("You have blocked %(name)s. They cannot message you or see your listing.") % {"name": other},
        )
        return redirect("directory:list")
    return render(request, "directory/block.html", {"other": other})


@login_required
@require_POST
def unblock(request, person_id: int):
    other = User.objects.filter(pk=person_id).first()
    if other is None or not services.block_remove(actor=request.user, person=other):
        raise Http404
    messages.success(request, _("You have unblocked %(name)s.") % {"name": other})
    return redirect("directory:inbox")


@login_required
def report_listing(request, person_id: int):
    listing = access.get_listing_for(request.user, person_id)
    return _report(
        request, listed_person=listing.person, back=listing.get_absolute_url(), what=_("this listing")
    )


@login_required
def report_message(request, message_id: int):
    message = access.get_message_for(request.user, message_id)
    if message.recipient_id != request.user.pk:
        raise Http404
    return _report(request, message=message, back=message.thread.get_absolute_url(), what=_("this message"))


def _report(request, *, back: str, what: str, message=None, listed_person=None):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                actor=request.user,
                reason=form.cleaned_data["reason"],
                message=message,
                listed_person=listed_person,
            )
        except ValidationError as error:
            apply_errors(form, error, "reason")
        else:
            messages.success(request, _("Thank you. The network's administrators will look at it."))
            return redirect(back)
    return render(
        request,
        "directory/report.html",
        {"form": form, "back": back, "what": what, "message": message},
        status=_bad(request),
    )


# --- Moderation (network admins) -------------------------------------------------------------------------


@login_required
def moderation(request):
    if not access.can_moderate(request.user):
        raise Http404
    return render(request, "directory/moderation.html", {"reports": selectors.open_reports()[:100]})


@login_required
@require_POST
def resolve(request, report_id: int):
    report = access.get_report_for(request.user, report_id)
    form = ResolveForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    services.report_resolve(
        actor=request.user, report=report, remove=bool(data.get("remove")), note=data.get("note", "")
    )
    messages.success(request, _("The report is closed."))
    return redirect(reverse("directory:moderation"))
