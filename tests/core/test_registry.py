"""Modules attach to the stages of a space through their manifests."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from coproduce.core import registry
from coproduce.core.registry import Link, ModuleItem, ModuleManifest, Source
from coproduce.spaces.models import StageKind


@pytest.fixture
def ideas_module():
    """A co-design module for the test, registered for its duration only."""
    calls = []

    def items_for_stage(stage, user):
        calls.append((stage.kind, user))
        if not user.is_authenticated:
            return []
        return [
            ModuleItem(title="Menu ideas", url="/ideas/menu/", status="Open"),
            ModuleItem(title="Opening hours", url="/ideas/hours/"),
        ]

    manifest = ModuleManifest(
        name="test_ideas",
        label="Ideas from the test",
        description="Proposals",
        stages=(StageKind.CO_DESIGN,),
        items_for_stage=items_for_stage,
    )
    registry.register(manifest)
    yield manifest, calls
    registry.unregister("test_ideas")


def stage_section(page: str, kind: str) -> str:
    start = page.index(f'id="stage-{kind}"')
    end = page.find('id="stage-', start + 1)
    return page[start : end if end != -1 else page.index("</ol>", start)]


def test_a_registered_module_appears_on_its_stage_only(ideas_module, client_for, space, member):
    _manifest, calls = ideas_module
    page = client_for(member).get(reverse("spaces:detail", args=[space.slug])).content.decode()

    co_design = stage_section(page, StageKind.CO_DESIGN)
    assert "Ideas from the test" in co_design
    assert '<a href="/ideas/menu/">Menu ideas</a> (Open)' in co_design
    assert '<a href="/ideas/hours/">Opening hours</a>' in co_design
    for kind in set(StageKind.values) - {StageKind.CO_DESIGN}:
        assert "Ideas from the test" not in stage_section(page, kind), kind
    assert calls == [(StageKind.CO_DESIGN, member)]  # asked once, for the person looking


def test_a_module_decides_what_each_person_sees(ideas_module, client_for, space):
    page = client_for(None).get(reverse("spaces:detail", args=[space.slug])).content.decode()
    co_design = stage_section(page, StageKind.CO_DESIGN)
    assert "Ideas from the test: none yet" in co_design and "Menu ideas" not in co_design


def test_registering_twice_keeps_one_and_unregistering_removes_it(ideas_module):
    manifest, _calls = ideas_module
    registry.register(manifest)
    assert [m.name for m in registry.manifests_for_stage(StageKind.CO_DESIGN)].count("test_ideas") == 1
    assert "test_ideas" not in [m.name for m in registry.manifests_for_stage(StageKind.CO_DELIVERY)]
    registry.unregister("test_ideas")
    assert "test_ideas" not in [m.name for m in registry.manifests()]


def test_without_the_module_the_stage_shows_nothing_of_it(client_for, space):
    page = client_for(None).get(reverse("spaces:detail", args=[space.slug])).content.decode()
    assert "Ideas from the test" not in page


def test_every_installed_manifest_names_real_stages():
    for manifest in registry.manifests():
        # A module on no stage (spaces, the network-wide timebank) is there for what it offers other modules,
        # or for what it adds to a person's home or the network admin screen (notifications).
        offers = (
            manifest.hooks
            or manifest.sources
            or manifest.waiting_for
            or manifest.network_admin
            or manifest.hub_section  # the hub's modules (resources) are on the hub's home page and in search
            or manifest.search_documents
            or manifest.personal_data  # people: accounts and what is held about each person
        )
        assert manifest.stages or offers, manifest.name
        assert set(manifest.stages) <= set(StageKind.values), manifest.name


@pytest.fixture
def linked_modules():
    """An upstream module publishing a source and a downstream module offering a link and a hook."""

    def lookup(user, pk):
        if pk != 7 or not user.is_authenticated:
            raise Http404
        return Source(kind="test_up.thing", pk=7, space_id=1, title="Thing", ready=user.is_staff)

    upstream = ModuleManifest(
        name="test_up", label="Up", description="", stages=(), sources={"test_up.thing": lookup}
    )
    downstream = ModuleManifest(
        name="test_down",
        label="Down",
        description="",
        stages=(),
        links=(
            Link("test_up.thing", "Make a widget", lambda src, user: f"/w/{src.pk}/" if src.ready else None),
        ),
        hooks={"test_make_widget": lambda *, title: f"widget {title}"},
    )
    registry.register(upstream)
    registry.register(downstream)
    yield
    registry.unregister("test_up")
    registry.unregister("test_down")


def test_a_source_is_looked_up_through_its_module_with_its_access_rule(linked_modules, member, outsider):
    found = registry.source("test_up.thing", member, 7)
    assert (found.title, found.pk) == ("Thing", 7)
    with pytest.raises(Http404):
        registry.source("test_up.thing", AnonymousUser(), 7)  # the module's own rule says no
    with pytest.raises(Http404):
        registry.source("test_up.thing", member, 8)
    with pytest.raises(Http404):
        registry.source("not_installed.thing", member, 7)


def test_links_come_from_downstream_modules_and_say_no_when_not_ready(linked_modules, member, admin_user):
    assert registry.links_for(registry.source("test_up.thing", member, 7), member) == []
    found = registry.source("test_up.thing", admin_user, 7)
    assert registry.links_for(found, admin_user) == [("Make a widget", "/w/7/")]


def test_a_hook_is_found_by_name_or_is_none(linked_modules):
    assert registry.hook("test_make_widget")(title="x") == "widget x"
    assert registry.hook("no_such_hook") is None
