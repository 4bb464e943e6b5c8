"""Modules attach to the stages of a space through their manifests."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.core import registry
from coproduce.core.registry import ModuleItem, ModuleManifest
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
        assert manifest.stages, manifest.name
        assert set(manifest.stages) <= set(StageKind.values), manifest.name
