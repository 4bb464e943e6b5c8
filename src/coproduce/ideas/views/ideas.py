"""Idea pages: the list, one idea with its conversation, posting and changing an idea, support and
co-authors. Each view: parse → access → service → render. Every change is a POST that works without
JavaScript; htmx only swaps a fragment in place when it is there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coproduce.core import ahead, kept_pages, registry, shared
from coproduce.core.presenters import Labels
from coproduce.core.ratelimit import limited
from coproduce.core.views import apply_errors
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces import selectors as space_selectors
from coproduce.spaces.models import Perspective

from .. import access, selectors, services
from ..forms import (
    CoAuthorForm,
    IdeaFilterForm,
    IdeaForm,
    NewCommentForm,
    NewIdeaForm,
    NewReplyForm,
    StatusForm,
    SupportForm,
)
from ..models import EDIT_WINDOW, Idea, IdeaStatus

PAGE_SIZE = 20


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _present_rows(ideas, list_url: str, show_names: bool) -> None:
    labels = Labels()
    for idea in ideas:
        idea.url = f"{list_url}{idea.pk}/"
        perspective = labels.choice(Perspective, idea.author_perspective)
        who = f"{idea.author.display_name}, {perspective}" if show_names else perspective
        idea.byline = f"{who} · {labels.day(idea.created_at)}"
        idea.status_label = labels.choice(IdeaStatus, idea.status)
        idea.counts_label = "{} · {}".format(
            ngettext("%(n)s supporter", "%(n)s supporters", idea.support_count) % {"n": idea.support_count},
            ngettext("%(n)s comment", "%(n)s comments", idea.comment_count) % {"n": idea.comment_count},
        )


ahead.reads("ideas:list")(selectors.list_reads)


def idea_list(request, slug: str):
    # Which ideas of the space the person supports is read with the space (one round trip).
    space, rows = selectors.space_and_supports(request.user, slug)
    audience = access.list_audience(request.user, space)

    def build() -> tuple[str, str]:
        # The search form and the rows depend only on the search and on whether names are shown: the same
        # for everyone in the audience. Whether you support an idea is marked in the rows afterwards.
        form = IdeaFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        ideas = selectors.idea_list(
            space,
            status=filters.get("status", ""),
            sort=filters.get("sort") or "newest",
            q=filters.get("q", ""),
        )
        # Only what a row shows: the author's display name, not their whole account.
        ideas = ideas.only(
            "id",
            "space_id",
            "title",
            "status",
            "author_perspective",
            "created_at",
            "support_count",
            "author",
            "author__display_name",
        )
        page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
        _present_rows(page.object_list, reverse("ideas:list", args=[space.slug]), audience.show_names)
        context = {"space": space, "form": form, "page": page, "query": _query_without_page(request)}
        return (
            render_to_string("ideas/_filters.html", context),
            render_to_string("ideas/_results.html", context),
        )

    search = tuple(sorted(request.GET.lists()))
    if request.htmx and request.htmx.target == "results":
        _filters, results_html = shared.kept(
            request, "ideas.list", audience=audience, parts=search, build=build
        )
        return HttpResponse(selectors.mark_supported(request.user, results_html, rows))

    def page() -> dict:
        filters_html, results_html = shared.kept(
            request, "ideas.list", audience=audience, parts=search, build=build
        )
        return {
            "space": space,
            "filters": filters_html,
            "results": results_html,
            "can_take_part": access.can_take_part(request.user, space),
            "can_moderate": access.can_moderate(request.user, space),
            "can_print": bool(access.can_print_ideas(request.user, space)),
        }

    # The whole page is kept for those shown the same list with the same actions; whether you support each
    # idea is marked afterwards.
    html = kept_pages.page(
        request,
        "ideas.list",
        audience=access.list_page_audience(request.user, space),
        parts=search,
        template="ideas/list.html",
        build=page,
    )
    return HttpResponse(selectors.mark_supported(request.user, html, rows))


@login_required
@limited("post")
def idea_create(request, slug: str):
    space = space_access.get_space_for(request.user, slug, need=space_access.MEMBER)
    # "Make it an idea" from another module (a conversation's statement): prefilled, said where it came from.
    carried, initial = selectors.idea_from_source(request.user, space, request.GET.get("from", ""))
    form = NewIdeaForm(request.POST or None, actor=request.user, space=space, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_create(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if idea.author_id == request.user.pk:
                messages.success(request, _("Your idea is posted. Members can now support it and comment."))
            else:
                messages.success(
                    request,
                    _("The idea is posted for %(name)s. Members can now support it and comment.")
                    % {"name": idea.author.display_name},
                )
            return redirect(idea)
    return render(
        request,
        "ideas/idea_form.html",
        {"space": space, "form": form, "carried": carried, "needs_title": carried and not initial["title"]},
        status=400 if form.errors else 200,
    )


def detail_context(request, space, idea: Idea, **extra) -> dict:
    """The idea's page; the comment, reply, support and co-author forms can come back with their errors."""
    user = request.user
    can_moderate = access.can_moderate(user, space)
    co_authors = list(selectors.co_authors(idea))
    context = {
        "space": space,
        "idea": selectors.idea_with_counts(idea, user),
        "co_authors": co_authors,
        "comments": selectors.conversation(idea, user),
        "support_by_perspective": selectors.support_by_perspective(idea),
        "merged_ideas": idea.merged_ideas.all(),
        "can_take_part": access.can_take_part(user, space),
        "can_edit": access.can_edit_idea(user, idea) and idea.status == IdeaStatus.UNDER_DISCUSSION,
        "can_moderate": can_moderate,
        "show_names": space_access.shows_names(user, space),
        "comment_form": NewCommentForm(actor=user, space=space),
        "reply_form": NewReplyForm(actor=user, space=space, auto_id="reply_%s"),
        "support_form": SupportForm(actor=user, space=space, auto_id="support_%s"),
        "edit_window_minutes": int(EDIT_WINDOW.total_seconds() // 60),
        "actions": idea.actions.select_related("owner").all(),
        # What other modules offer to make of it, or made of it (budgets, actions): their links, not imports.
        "links": registry.links_for(selectors.as_source(idea, [c.user_id for c in co_authors]), user),
    }
    if context["can_edit"]:
        existing = {idea.author_id, *(c.user_id for c in context["co_authors"])}
        members = [m for m in space_selectors.members(space) if m.user_id not in existing]
        context["co_author_form"] = CoAuthorForm(members=members)
    if can_moderate:
        context["status_form"] = StatusForm(initial={"status": idea.status})
    context.update(extra)
    return context


def idea_detail(request, slug: str, idea_id: int):
    space = space_access.get_space_for(request.user, slug)
    idea = access.get_idea_for(request.user, idea_id, space=space)
    return render(request, "ideas/idea_detail.html", detail_context(request, space, idea))


@login_required
def idea_edit(request, slug: str, idea_id: int):
    space = space_access.get_space_for(request.user, slug)
    idea = access.get_idea_for(request.user, idea_id, write=True, space=space)
    if not access.can_edit_idea(request.user, idea):
        raise PermissionDenied(_("Only the people who wrote this idea can change it."))
    form = IdeaForm(request.POST or None, initial={"title": idea.title, "body": idea.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(actor=request.user, idea=idea, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(idea)
    return render(
        request,
        "ideas/idea_form.html",
        {"space": space, "form": form, "idea": idea},
        status=400 if form.errors else 200,
    )


def _support_done(person, actor, withdraw: bool) -> str:
    if person.pk == actor.pk:
        return _("Your support is withdrawn.") if withdraw else _("Thank you: your support is counted.")
    return (
        _("Support from %(name)s is withdrawn.") if withdraw else _("Support from %(name)s is counted.")
    ) % {"name": person.display_name}


@login_required
@require_POST
@limited("vote")
def support(request, slug: str, idea_id: int):
    space = space_access.get_space_for(request.user, slug)
    idea = access.get_idea_for(request.user, idea_id, write=True, space=space)
    form = SupportForm(request.POST, actor=request.user, space=space, auto_id="support_%s")
    error = None
    if form.is_valid():
        withdraw = form.cleaned_data["withdraw"]
        person = form.cleaned_data.get("on_behalf_of") or request.user
        try:
            if withdraw:
                services.idea_unsupport(actor=request.user, idea=idea, on_behalf_of=person)
            else:
                services.idea_support(actor=request.user, idea=idea, on_behalf_of=person)
        except ValidationError as problem:
            error = " ".join(problem.messages)
    if request.htmx:
        idea = selectors.idea_with_counts(idea, request.user)
        fresh = form.is_valid() and not error
        return render(
            request,
            "ideas/_support.html",
            {
                "idea": idea,
                "space": space,
                "can_take_part": True,
                "support_error": error,
                "support_form": SupportForm(actor=request.user, space=space, auto_id="support_%s")
                if fresh
                else form,
            },
            status=200 if fresh else 400,
        )
    if form.errors:
        # The person chosen cannot be acted for: say so beside the choice, on the idea's page.
        return render(
            request,
            "ideas/idea_detail.html",
            detail_context(request, space, idea, support_form=form),
            status=400,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _support_done(person, request.user, withdraw))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/") else idea)


@login_required
@require_POST
def co_author_add(request, slug: str, idea_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.MEMBER)
    idea = access.get_idea_for(request.user, idea_id, write=True, space=space)
    members = list(space_selectors.members(space))
    form = CoAuthorForm(request.POST, members=members)
    if form.is_valid():
        user = User.objects.get(pk=form.cleaned_data["user"])
        try:
            services.idea_co_author_add(actor=request.user, idea=idea, user=user)
        except ValidationError as error:
            apply_errors(form, error, default_field="user")
        else:
            messages.success(request, _("%(name)s is now a co-author.") % {"name": user.display_name})
            return redirect(idea)
    return render(
        request,
        "ideas/idea_detail.html",
        detail_context(request, space, idea, co_author_form=form),
        status=400,
    )


@login_required
@require_POST
def co_author_remove(request, slug: str, idea_id: int, user_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.MEMBER)
    idea = access.get_idea_for(request.user, idea_id, write=True, space=space)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise PermissionDenied
    services.idea_co_author_remove(actor=request.user, idea=idea, user=user)
    messages.success(request, _("Co-author removed."))
    return redirect(idea)


@login_required
def print_ideas(request, slug: str):
    """The open ideas on paper, with room to write comments, for a drop-in session without screens."""
    space = space_access.get_space_for(request.user, slug)
    space_access.require_role(access.can_print_ideas(request.user, space))
    ideas = list(selectors.open_ideas_to_print(space))
    return render(
        request,
        "ideas/print.html",
        {"space": space, "ideas": ideas, "limit": selectors.PRINTED_IDEAS},
    )
