"""What network admins do in the hub: the moderation queue (reports and held posts), hiding with a reason,
restoring, letting held posts through, and the categories."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors

from .. import access, selectors, services
from ..forms import CategoryForm, HideForm
from ..models import Category, Comment, Post


@login_required
def moderation(request):
    access.require_moderator(request.user)
    return render(
        request,
        "hub/moderation.html",
        {
            "reports": list(selectors.open_reports()[:100]),
            "held": list(selectors.held_posts()[:100]),
            "hidden": list(selectors.recently_hidden()[:20]),
        },
    )


def _hide(request, *, post=None, comment=None):
    form = HideForm(request.POST if request.method == "POST" else None)
    target_post = post or comment.post
    if request.method == "POST" and form.is_valid():
        try:
            if post is not None:
                services.post_hide(actor=request.user, post=post, **form.cleaned_data)
            else:
                services.comment_hide(actor=request.user, comment=comment, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="reason")
        else:
            messages.success(request, _("It is hidden, and the person who wrote it has been told why."))
            return redirect("hub:moderation")
    return render(
        request,
        "hub/hide_form.html",
        {"form": form, "post": target_post, "comment": comment},
        status=400 if form.errors else 200,
    )


@login_required
def post_hide(request, post_id: int):
    access.require_moderator(request.user)
    return _hide(request, post=get_object_or_404(Post, pk=post_id))


@login_required
def comment_hide(request, comment_id: int):
    access.require_moderator(request.user)
    return _hide(request, comment=get_object_or_404(Comment.objects.select_related("post"), pk=comment_id))


def _done(request, call, message: str):
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect("hub:moderation")


@login_required
@require_POST
def post_restore(request, post_id: int):
    access.require_moderator(request.user)
    post = get_object_or_404(Post, pk=post_id)
    return _done(
        request, lambda: services.post_restore(actor=request.user, post=post), _("The post is back.")
    )


@login_required
@require_POST
def post_publish(request, post_id: int):
    access.require_moderator(request.user)
    post = get_object_or_404(Post, pk=post_id)
    return _done(
        request,
        lambda: services.post_publish(actor=request.user, post=post),
        _("The post is public, and its author has been told."),
    )


@login_required
@require_POST
def comment_restore(request, comment_id: int):
    access.require_moderator(request.user)
    comment = get_object_or_404(Comment, pk=comment_id)
    return _done(
        request,
        lambda: services.comment_restore(actor=request.user, comment=comment),
        _("The comment is back."),
    )


@login_required
@require_POST
def post_dismiss(request, post_id: int):
    access.require_moderator(request.user)
    post = get_object_or_404(Post, pk=post_id)
    return _done(
        request, lambda: services.reports_dismiss(actor=request.user, post=post), _("The reports are closed.")
    )


@login_required
@require_POST
def comment_dismiss(request, comment_id: int):
    access.require_moderator(request.user)
    comment = get_object_or_404(Comment, pk=comment_id)
    return _done(
        request,
        lambda: services.reports_dismiss(actor=request.user, comment=comment),
        _("The reports are closed."),
    )


@login_required
def categories(request):
    access.require_moderator(request.user)
    form = CategoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="name")
        else:
            messages.success(request, _("The category is added."))
            return redirect("hub:categories")
    return render(
        request,
        "hub/categories.html",
        {"form": form, "categories": selectors.categories_with_counts()},
        status=400 if form.errors else 200,
    )


@login_required
def category_edit(request, slug: str):
    access.require_moderator(request.user)
    category = get_object_or_404(Category, slug=slug)
    form = CategoryForm(
        request.POST if request.method == "POST" else None,
        initial={"name": category.name, "description": category.description, "position": category.position},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(actor=request.user, category=category, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="name")
        else:
            messages.success(request, _("The category is saved."))
            return redirect("hub:categories")
    return render(
        request,
        "hub/category_form.html",
        {"form": form, "category": category},
        status=400 if form.errors else 200,
    )
