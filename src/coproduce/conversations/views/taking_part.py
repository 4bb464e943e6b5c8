"""The conversations of a space, and taking part: one statement at a time, agree / disagree / pass, and adding
a statement. Plain forms that work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.ratelimit import limited
from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from .. import access, selectors, services
from ..forms import StatementForm, VoteForm
from ..models import Statement
from ._common import conversation_for


def conversation_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    return render(
        request,
        "conversations/list.html",
        {
            "space": space,
            "conversations": selectors.conversations_of(space)[:100],
            "can_open": access.can_open(request.user, space),
        },
    )


def _detail_context(request: HttpRequest, space, conversation, *, statement_form=None) -> dict:
    participant = selectors.participant_for_user(conversation, request.user)
    may_take_part = access.can_take_part(request.user, conversation)
    upcoming = selectors.next_statement(conversation, participant)
    return {
        "space": space,
        "conversation": conversation,
        "next": upcoming,
        "may_take_part": may_take_part,
        "is_member": space_access.has_role(request.user, space, space_access.MEMBER),
        "can_manage": access.can_manage(request.user, space),
        "statement_form": statement_form or StatementForm(),
        "pending": selectors.pending_statements(conversation).count()
        if access.can_manage(request.user, space)
        else 0,
    }


def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The question and the next statement to vote on (or, for those who may not vote, the statements)."""
    space, conversation = conversation_for(request, slug, pk)
    return render(request, "conversations/detail.html", _detail_context(request, space, conversation))


@login_required
@require_POST
@limited("vote")
def vote(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    space, conversation = conversation_for(request, slug, pk)
    access.require_role(access.can_take_part(request.user, conversation))
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose agree, disagree or pass."))
        return redirect(conversation)
    statement = Statement.objects.filter(conversation=conversation, pk=form.cleaned_data["statement"]).first()
    if statement is None:
        messages.error(request, _("That statement is not in this conversation."))
        return redirect(conversation)
    try:
        services.vote_cast(
            actor=request.user,
            conversation=conversation,
            statement=statement,
            value=form.cleaned_data["value"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        words = {1: _("You agreed."), -1: _("You disagreed."), 0: _("You passed.")}
        messages.success(request, words[form.cleaned_data["value"]] + " " + _("Here is the next statement."))
    return redirect(f"{conversation.get_absolute_url()}#vote")


@login_required
@limited("post")
def statement_add(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    space, conversation = conversation_for(request, slug, pk)
    access.require_role(access.can_take_part(request.user, conversation))
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.statement_add(
                actor=request.user, conversation=conversation, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_errors(form, error, default_field="text")
        else:
            if statement.status == "accepted":
                messages.success(request, _("Thank you: your statement is added and others can vote on it."))
            else:
                messages.success(
                    request, _("Thank you: a moderator will look at your statement before others see it.")
                )
            return redirect(conversation)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "conversations/detail.html",
        _detail_context(request, space, conversation, statement_form=form),
        status=status,
    )
