"""The directory and a space's own pages: create, show, change, its stages and history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coproduce.core import ahead, kept_pages, registry, shared, shell
from coproduce.core.registry import ModuleManifest
from coproduce.core.views import apply_errors

from .. import access, selectors, services
from ..forms import (
    DirectoryForm,
    SpaceCreateForm,
    SpaceForm,
    StageForm,
)
from ..models import Space, Stage, StageStatus


def directory(request):
    form = DirectoryForm(request.GET or None, places=selectors.places(request.user))
    form.is_valid()
    # A filter that is not valid (say, a place that no longer exists) is left out; the others still apply.
    filters = getattr(form, "cleaned_data", {})
    spaces = selectors.space_directory(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(spaces, 20).get_page(request.GET.get("page"))
    template = "spaces/_directory_results.html" if request.htmx else "spaces/directory.html"
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def create(request):
    form = SpaceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Your space is ready. Open a stage and invite people when you are ready.")
            )
            return redirect(space)
    return render(request, "spaces/space_form.html", {"form": form})


def _module_reads(user, slug: str) -> list[tuple[str, tuple]]:
    """What the modules' personal items need (the person's consent to outcomes), to be read with the space."""
    if not user.is_authenticated:
        return []
    return [
        (manifest.name, read)
        for manifest in registry.manifests()
        if manifest.read_with_space and (read := manifest.read_with_space(user, slug))
    ]


@ahead.reads("spaces:detail")
def _detail_reads(person, slug: str):
    """What the space page reads first (core/ahead.py): the space, with what the modules' items need."""
    return access.space_read(person, slug, *(read for _name, read in _module_reads(person, slug)))


def detail(request, slug: str):
    reads = _module_reads(request.user, slug)
    space, *found = access.get_space_and(request.user, slug, *(read for _name, read in reads))
    read_for = {name: value for (name, _read), value in zip(reads, found, strict=True)}
    membership = access.membership_of(request.user, space)
    is_host = access.has_role(request.user, space, access.HOST)

    def build() -> tuple[str, list[tuple[Stage, ModuleManifest]], int]:
        # Hosts are an audience of their own (access.page_audience): their links to change a stage can be kept.
        timeline = selectors.timeline(space, request.user, personal=False)
        html = render_to_string(
            "spaces/_timeline.html", {"timeline": timeline, "space": space, "is_host": is_host}
        )
        personal = [
            (view.stage, manifest) for view in timeline for manifest, items in view.modules if items is None
        ]
        return html, personal, space.memberships.count()

    timeline, personal, member_count = shared.kept(
        request, "spaces.detail", audience=access.page_audience(request.user, space), build=build
    )

    def page() -> dict:
        return {
            "space": space,
            "you": kept_pages.mine("you"),
            "is_host": is_host,
            "is_facilitator": access.has_role(request.user, space, access.FACILITATOR),
            "timeline": mark_safe(timeline),  # noqa: S308 - rendered by our templates, with escaping
            "member_count": member_count,
            "pending_count": selectors.pending_requests(space).count() if is_host else 0,
            "organisations": list(space.organisations.all()),
            "invited_organisations": selectors.invited_organisations(space) if is_host else [],
        }

    def you() -> str:
        # A member has nothing to ask for; a request is looked up only for the others.
        pending = None if membership else selectors.my_pending_request(request.user, space)
        signed_in = request.user.is_authenticated
        # The panel says only what these hold, so it is rendered once for them (shared.versioned), with a
        # marker for the token of its forms.
        shown = (membership.pk, membership.role, membership.perspective) if membership else None
        key = repr(("spaces.you", get_language(), space.slug, shown, pending is not None, signed_in))
        panel = shared.versioned(
            key,
            lambda: render_to_string(
                "spaces/_you.html",
                {
                    "space": space,
                    "membership": membership,
                    "pending_request": pending,
                    "user": request.user,
                    "request": request,
                    "csrf_token": kept_pages.marker("csrf"),
                },
            ),
        )
        return panel.replace(kept_pages.marker("csrf"), shell.csrf_token(request))

    html = kept_pages.page(
        request,
        "spaces.detail.page",
        audience=access.page_audience(request.user, space),
        template="spaces/detail.html",
        build=page,
        mine={"you": you},
    )
    return HttpResponse(_with_personal_items(html, personal, request.user, read_for))


def _with_personal_items(
    html: str, personal: list[tuple[Stage, ModuleManifest]], user, read_for: dict[str, object]
) -> str:
    """The kept timeline with the person's own items put where it left a marker for them (escaped text
    cannot hold one). `read_for`: what each module's `read_with_space` found, by module."""
    for stage, manifest in personal:
        if not manifest.items_for_stage:
            items = []
        elif manifest.name in read_for:
            items = list(manifest.items_for_stage(stage, user, read=read_for[manifest.name]))
        else:
            items = list(manifest.items_for_stage(stage, user))
        # What the items say is all the fragment shows: rendered once for each (shared.versioned).
        said = tuple((str(item.title), str(item.url), str(item.status)) for item in items)
        mine = shared.versioned(
            repr(("spaces.timeline_items", get_language(), said)),
            lambda: render_to_string("spaces/_timeline_items.html", {"items": items}),  # noqa: B023 - used at once
        )
        html = html.replace(f"<!--personal:{stage.kind}:{manifest.name}-->", mine, 1)
    return mark_safe(html)  # noqa: S308 - rendered by our templates, with everything in them escaped


@login_required
def edit(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    form = SpaceForm(request.POST or None, instance=Space.objects.get(pk=space.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisations = data.pop("organisations")
        try:
            services.space_update(actor=request.user, space=space, organisations=organisations, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(space)
    return render(request, "spaces/space_form.html", {"form": form, "space": space})


@login_required
def stage_edit(request, slug: str, kind: str):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    stage = get_object_or_404(Stage, space=space, kind=kind)
    form = StageForm(request.POST or None, instance=Stage.objects.get(pk=stage.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_update(actor=request.user, stage=stage, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(stage)s saved.") % {"stage": stage.get_kind_display()})
            phase = Space.objects.get(pk=space.pk).phase
            if phase.kind == phase.BETWEEN and phase.next is not None:  # between: a stage is still to open
                messages.info(
                    request,
                    _("No stage is open now. The space shows as between stages until you open %(next)s.")
                    % {"next": phase.next.get_kind_display()},
                )
            return redirect(space)
    # Closing the only open stage leaves the space between stages: say so before the host saves.
    only_open = (
        stage.status == StageStatus.OPEN
        and not space.stages.filter(status=StageStatus.OPEN).exclude(pk=stage.pk).exists()
    )
    return render(
        request,
        "spaces/stage_form.html",
        {"space": space, "stage": stage, "form": form, "closing_leaves_none_open": only_open},
    )


def history(request, slug: str):
    space = access.get_space_for(request.user, slug)
    events, full = selectors.history(space, request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    names = full or access.shows_names(request.user, space)  # the public sees what changed, not who
    return render(
        request, "spaces/history.html", {"space": space, "page": page, "full": full, "show_names": names}
    )
