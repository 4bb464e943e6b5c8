"""What hosts and facilitators do: open a conversation, change it, moderate statements (with the public log),
enter votes from a paper or in-person session, import and export the Polis format."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from .. import access, selectors, services
from ..forms import EnterVotesForm, ImportForm, ModerateForm, NewConversationForm, SettingsForm
from ..models import Statement, StatementStatus
from ..services.polis import ImportFailed
from ._common import conversation_for, csv_response


@login_required
def create(request: SignedInRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_open(request.user, space))
    form = NewConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_create(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The conversation is open."))
            return redirect(conversation)
    return render(
        request,
        "conversations/form.html",
        {"space": space, "form": form, "title": _("Open a conversation")},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def settings(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    space, conversation = conversation_for(request, slug, pk)
    access.require_role(access.can_moderate(request.user, conversation))
    form = SettingsForm(
        request.POST or None,
        initial={
            "question": conversation.question,
            "description": conversation.description,
            "moderation": conversation.moderation,
            "rejection_reasons": "\n".join(conversation.reasons),
            "is_open": conversation.is_open,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_update(actor=request.user, conversation=conversation, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The conversation is saved."))
            return redirect(conversation)
    return render(
        request,
        "conversations/form.html",
        {"space": space, "conversation": conversation, "form": form, "title": _("Conversation settings")},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def moderation(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    space, conversation = conversation_for(request, slug, pk)
    access.require_role(access.can_moderate(request.user, conversation))
    pending = list(selectors.pending_statements(conversation)[:100])
    published = list(
        Statement.objects.filter(conversation=conversation, status=StatementStatus.ACCEPTED).order_by(
            "-created_at"
        )[:200]
    )
    return render(
        request,
        "conversations/moderation.html",
        {
            "space": space,
            "conversation": conversation,
            "pending": [(s, ModerateForm(reasons=conversation.reasons, prefix=f"m{s.pk}")) for s in pending],
            "published": [
                (s, ModerateForm(reasons=conversation.reasons, prefix=f"m{s.pk}")) for s in published
            ],
        },
    )


@login_required
def moderate(request: SignedInRequest, slug: str, pk: int, statement_id: int) -> HttpResponse:
    space, conversation = conversation_for(request, slug, pk)
    access.require_role(access.can_moderate(request.user, conversation))
    statement = access.get_statement_for(request.user, conversation, statement_id)
    form = ModerateForm(request.POST or None, reasons=conversation.reasons, prefix=f"m{statement.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_moderate(
                actor=request.user,
                statement=statement,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved in the moderation log."))
            return redirect("conversations:moderation", space.slug, conversation.pk)
    return render(
        request,
        "conversations/moderate.html",
        {"space": space, "conversation": conversation, "statement": statement, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def moderation_log(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    space, conversation = conversation_for(request, slug, pk)
    access.require_role(access.can_read_log(request.user, conversation))
    return render(
        request,
        "conversations/log.html",
        {
            "space": space,
            "conversation": conversation,
            "entries": selectors.moderation_log(conversation)[:500],
        },
    )


def moderation_log_csv(request: HttpRequest, slug: str, pk: int):
    space, conversation = conversation_for(request, slug, pk)
    access.require_role(access.can_read_log(request.user, conversation))
    rows = (
        [
            timezone.localtime(e.at).isoformat(timespec="seconds"),
            e.statement_id,
            e.statement.text,
            e.status,
            e.reason,
            e.moderator.display_name if e.moderator else "",
        ]
        for e in selectors.moderation_log(conversation).iterator(chunk_size=500)
    )
    return csv_response(
        f"conversation-{conversation.pk}-moderation.csv",
        ["when", "statement_id", "statement", "decision", "reason", "moderator"],
        rows,
    )


@login_required
def enter_votes(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    """Votes given on paper or in person, typed in by a facilitator for a member they may act for."""
    space, conversation = conversation_for(request, slug, pk)
    access.require_role(access.can_moderate(request.user, conversation))
    people = space_access.people_to_act_for(request.user, space)
    statements = list(Statement.objects.filter(conversation=conversation, status=StatementStatus.ACCEPTED))
    form = EnterVotesForm(request.POST or None, people=people, statements=statements)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["user"]
        try:
            stored = services.votes_enter(
                actor=request.user, conversation=conversation, person=person, votes=form.cleaned_data["votes"]
            )
        except ValidationError as error:
            apply_errors(form, error, default_field="person")
        else:
            messages.success(
                request,
                _(
                    "%(n)s votes entered for %(name)s. They are told, and it is in the log of what was done for them."
                )
                % {"n": len(stored), "name": person.display_name},
            )
            return redirect(conversation)
    return render(
        request,
        "conversations/enter_votes.html",
        {"space": space, "conversation": conversation, "form": form, "people": people},
        status=400 if request.method == "POST" else 200,
    )


def _files_from(form: ImportForm, folder: Path) -> None:
    data = form.cleaned_data
    if data.get("export"):
        try:
            with zipfile.ZipFile(data["export"]) as archive:
                for info in archive.infolist():
                    name = Path(info.filename).name
                    if name.endswith(".csv") and not info.is_dir():
                        (folder / name).write_bytes(archive.read(info))
        except zipfile.BadZipFile as error:
            raise ImportFailed(_("The file is not a zip file.")) from error
    for field, name in (
        ("comments", "comments.csv"),
        ("votes", "votes.csv"),
        ("participants", "participants-votes.csv"),
    ):
        if data.get(field):
            (folder / name).write_bytes(data[field].read())


@login_required
def import_polis(request: SignedInRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_open(request.user, space))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with tempfile.TemporaryDirectory() as folder:
            try:
                _files_from(form, Path(folder))
                conversation = services.polis_import(
                    actor=request.user,
                    space=space,
                    folder=Path(folder),
                    question=form.cleaned_data["question"],
                )
            except ImportFailed as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Imported. The opinion groups are being worked out."))
                return redirect("conversations:report", space.slug, conversation.pk)
    return render(
        request,
        "conversations/import.html",
        {"space": space, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def export_polis(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    space, conversation = conversation_for(request, slug, pk)
    access.require_role(access.can_moderate(request.user, conversation))
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        services.polis_export(conversation=conversation, folder=Path(folder))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, path.name)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="conversation-{conversation.pk}-polis.zip"'
    return response


def back_to(conversation) -> str:
    return reverse("conversations:detail", args=[conversation.space.slug, conversation.pk])
