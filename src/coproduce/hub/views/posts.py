"""The hub's reading and writing pages: home, a category, a post with its conversation, writing and
changing a post, commenting, "this helped", reporting, and a person's own hub page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.ratelimit import limited
from coproduce.core.views import apply_errors

from .. import access, selectors, services
from ..forms import CommentForm, DigestForm, PostForm, ReplyForm, ReportForm
from ..models import Category, DigestChoice, PostStatus
from ._common import hub_reader

PAGE_SIZE = 20


@hub_reader
def home(request):
    categories = selectors.categories_with_counts()
    total = sum(c.post_count for c in categories)
    page = selectors.CountedPaginator(selectors.published(), PAGE_SIZE, count=total).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "hub/home.html",
        {
            "page": page,
            "rows": selectors.post_rows(page.object_list),
            "categories": categories,
            "sections": selectors.other_sections(request.user),
            "can_write": access.can_write(request.user),
            "can_moderate": access.can_moderate(request.user),
            "feed_url": reverse("hub:feed"),
        },
    )


@hub_reader
def category(request, slug: str):
    found = get_object_or_404(Category, slug=slug)
    posts = selectors.published().filter(category=found)
    page = selectors.CountedPaginator(posts, PAGE_SIZE, count=found.post_count).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "hub/category.html",
        {
            "category": found,
            "page": page,
            "rows": selectors.post_rows(page.object_list),
            "can_write": access.can_write(request.user),
            "feed_url": reverse("hub:category_feed", args=[found.slug]),
        },
    )


def _detail_context(request, post, **extra) -> dict:
    talk = selectors.conversation(post, request.user)
    context = {
        "post": post,
        "comments": talk.comments,
        "helped_posts": talk.helped_posts,
        "helped_comments": talk.helped_comments,
        "can_write": access.can_write(request.user) and post.status == PostStatus.PUBLISHED,
        "can_edit": access.can_edit_post(request.user, post),
        "can_moderate": access.can_moderate(request.user),
        "comment_form": CommentForm(),
        "reply_form": ReplyForm(auto_id="reply_%s"),
        "failed_parent": None,
    }
    context.update(extra)
    return context


@hub_reader
def post_detail(request, post_id: int):
    post = access.get_post_for(request.user, post_id)
    return render(request, "hub/post_detail.html", _detail_context(request, post))


@login_required
@limited("post")
def post_write(request):
    access.require_writer(request.user)
    initial = {}
    if slug := request.GET.get("category"):
        initial["category"] = Category.objects.filter(slug=slug).first()
    form = PostForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="body")
        else:
            if post.status == PostStatus.HELD:
                messages.success(
                    request,
                    _(
                        "Thank you. New members' first posts are read by a moderator before they are public; "
                        "you will be told when yours is."
                    ),
                )
            else:
                messages.success(request, _("Your post is published."))
            return redirect(post)
    return render(
        request, "hub/post_form.html", {"form": form, "post": None}, status=400 if form.errors else 200
    )


@login_required
def post_edit(request, post_id: int):
    post = access.get_post_for(request.user, post_id)
    if not access.can_edit_post(request.user, post):
        raise PermissionDenied
    initial = {"category": post.category, "kind": post.kind, "title": post.title, "body": post.body}
    form = PostForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(actor=request.user, post=post, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="body")
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(post)
    return render(
        request, "hub/post_form.html", {"form": form, "post": post}, status=400 if form.errors else 200
    )


@login_required
@require_POST
@limited("post")
def comment_create(request, post_id: int):
    post = access.get_post_for(request.user, post_id, write=True)
    parent = None
    if request.POST.get("parent"):
        try:
            parent = access.get_comment_for(request.user, int(request.POST["parent"]), post=post)
        except (ValueError, TypeError) as error:
            raise Http404 from error
    form: CommentForm | ReplyForm = (
        ReplyForm(request.POST, auto_id="reply_%s") if parent else CommentForm(request.POST)
    )
    if form.is_valid():
        try:
            comment = services.comment_create(
                actor=request.user, post=post, parent=parent, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error, default_field="body")
        else:
            messages.success(request, _("Your reply is posted.") if parent else _("Your comment is posted."))
            return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
    extra = (
        {"reply_form": form, "failed_parent": parent.parent or parent} if parent else {"comment_form": form}
    )
    return render(request, "hub/post_detail.html", _detail_context(request, post, **extra), status=400)


@login_required
@require_POST
def post_helped(request, post_id: int):
    post = access.get_post_for(request.user, post_id, write=True)
    services.helped_toggle(actor=request.user, post=post)
    return redirect(f"{post.get_absolute_url()}#helped")


@login_required
@require_POST
def comment_helped(request, comment_id: int):
    comment = access.get_comment_for(request.user, comment_id, write=True)
    services.helped_toggle(actor=request.user, comment=comment)
    return redirect(f"{comment.post.get_absolute_url()}#comment-{comment.pk}")


def _report(request, *, post=None, comment=None):
    target_post = post or comment.post
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(actor=request.user, post=post, comment=comment, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="reason")
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect(target_post)
    return render(
        request,
        "hub/report_form.html",
        {"form": form, "post": target_post, "comment": comment},
        status=400 if form.errors else 200,
    )


@login_required
def post_report(request, post_id: int):
    return _report(request, post=access.get_post_for(request.user, post_id, write=True))


@login_required
def comment_report(request, comment_id: int):
    return _report(request, comment=access.get_comment_for(request.user, comment_id, write=True))


@login_required
def me(request):
    choice = DigestChoice.objects.filter(user=request.user).first()
    form = DigestForm(
        request.POST if request.method == "POST" else None, initial={"weekly": bool(choice and choice.weekly)}
    )
    if request.method == "POST" and form.is_valid():
        services.digest_choose(actor=request.user, user=request.user, weekly=form.cleaned_data["weekly"])
        messages.success(
            request,
            _("We will send you a weekly digest.")
            if form.cleaned_data["weekly"]
            else _("We will not send you the weekly digest."),
        )
        return redirect("hub:me")
    page = Paginator(selectors.my_posts(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hub/me.html", {"form": form, "page": page})
