"""Comments on an idea: posting, changing, reporting, hiding; reports dismissed by facilitators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.ratelimit import limited
from coproduce.core.views import apply_errors
from coproduce.spaces import access as space_access

from .. import access, services
from ..forms import CommentForm, HideForm, NewCommentForm, NewReplyForm, ReportForm
from .ideas import detail_context


@login_required
@require_POST
@limited("post")
def comment_create(request, slug: str, idea_id: int):
    space = space_access.get_space_for(request.user, slug)
    idea = access.get_idea_for(request.user, idea_id, write=True, space=space)
    parent = None
    if request.POST.get("parent"):
        try:
            parent = access.get_comment_for(request.user, int(request.POST["parent"]), idea=idea)
        except (ValueError, TypeError) as error:
            raise Http404 from error
    form: NewCommentForm | NewReplyForm
    if parent:
        form = NewReplyForm(request.POST, actor=request.user, space=space, auto_id="reply_%s")
    else:
        form = NewCommentForm(request.POST, actor=request.user, space=space)
    if form.is_valid():
        try:
            comment = services.comment_create(
                actor=request.user, idea=idea, parent=parent, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error, default_field="body")
        else:
            if comment.author_id != request.user.pk:
                done = (
                    _("The reply is posted for %(name)s.")
                    if parent
                    else _("The comment is posted for %(name)s.")
                )
                messages.success(request, done % {"name": comment.author.display_name})
            else:
                messages.success(
                    request, _("Your reply is posted.") if parent else _("Your comment is posted.")
                )
            return redirect(f"{idea.get_absolute_url()}#comment-{comment.pk}")
    # A reply's errors show under the thread it belongs to (a reply to a reply belongs to the first comment).
    extra = (
        {"reply_form": form, "failed_parent": parent.parent or parent} if parent else {"comment_form": form}
    )
    return render(
        request, "ideas/idea_detail.html", detail_context(request, space, idea, **extra), status=400
    )


@login_required
def comment_edit(request, slug: str, comment_id: int):
    space = space_access.get_space_for(request.user, slug)
    comment = access.get_comment_for(request.user, comment_id, write=True)
    if comment.idea.space_id != space.pk:
        raise PermissionDenied
    decision = access.can_edit_comment(request.user, comment)
    if decision.role:
        raise PermissionDenied(decision.reason)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(actor=request.user, comment=comment, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="body")
        else:
            messages.success(request, _("Your comment is changed."))
            return redirect(f"{comment.idea.get_absolute_url()}#comment-{comment.pk}")
    editable = bool(access.can_edit_comment(request.user, comment))
    return render(
        request,
        "ideas/comment_form.html",
        {
            "space": space,
            "comment": comment,
            "form": form,
            "editable": editable,
            "title": _("Change your comment"),
            "button": _("Save my comment"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def comment_report(request, slug: str, comment_id: int):
    space = space_access.get_space_for(request.user, slug)
    comment = access.get_comment_for(request.user, comment_id, write=True)
    if comment.idea.space_id != space.pk:
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_report(actor=request.user, comment=comment, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="reason")
        else:
            messages.success(request, _("Thank you. A facilitator will look at this comment."))
            return redirect(f"{comment.idea.get_absolute_url()}#comment-{comment.pk}")
    return render(
        request,
        "ideas/comment_form.html",
        {
            "space": space,
            "comment": comment,
            "form": form,
            "editable": True,
            "title": _("Report a comment"),
            "button": _("Send my report"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def comment_hide(request, slug: str, comment_id: int):
    space = space_access.get_space_for(request.user, slug)
    if not access.can_answer_reports(request.user, space):
        raise PermissionDenied
    comment = access.get_comment_for(request.user, comment_id)
    if comment.idea.space_id != space.pk:
        raise PermissionDenied
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_hide(actor=request.user, comment=comment, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="reason")
        else:
            messages.success(request, _("The comment is hidden. Your reason is shown in its place."))
            return redirect(f"{comment.idea.get_absolute_url()}#comment-{comment.pk}")
    return render(
        request,
        "ideas/comment_form.html",
        {
            "space": space,
            "comment": comment,
            "form": form,
            "editable": not comment.is_hidden,
            "title": _("Hide a comment"),
            "button": _("Hide the comment"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def comment_dismiss(request, slug: str, comment_id: int):
    space = space_access.get_space_for(request.user, slug)
    if not access.can_answer_reports(request.user, space):
        raise PermissionDenied
    comment = access.get_comment_for(request.user, comment_id)
    if comment.idea.space_id != space.pk:
        raise PermissionDenied
    services.comment_reports_dismiss(actor=request.user, comment=comment)
    messages.success(request, _("The reports are closed and the comment stays."))
    return redirect("ideas:moderation", slug=space.slug)
