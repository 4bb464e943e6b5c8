"""The module registry: how capabilities (budgets, ideas, meetings, ...) attach to a space's stages.

Each app that offers a module declares a `manifest` on its AppConfig — the idea of Decidim's component
manifest, without a plugin framework. The space page asks every manifest what it has for each stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True)
class ModuleItem:
    """Something a module shows on a stage of the space page, e.g. one budget or one meeting."""

    title: str
    url: str
    status: str = ""


@dataclass(frozen=True)
class ModuleManifest:
    name: str  # a stable identifier, e.g. "budgets"
    label: str  # shown to people, already translated lazily
    description: str
    stages: tuple[str, ...]  # the stage kinds (see spaces.models.StageKind) this module belongs to
    actions: tuple[str, ...] = ()
    exports: tuple[str, ...] = ()
    # (stage, user) -> what this module has on that stage, already filtered to what the user may see.
    items_for_stage: Callable[..., Iterable[ModuleItem]] | None = field(default=None, compare=False)
    # (space) -> URL where a host adds this module to the space, or None.
    add_url: Callable[..., str | None] | None = field(default=None, compare=False)


_extra: list[ModuleManifest] = []


def register(manifest: ModuleManifest) -> None:
    """Register a manifest that has no AppConfig (used by tests and small add-ons)."""
    if manifest.name not in {m.name for m in _extra}:
        _extra.append(manifest)


def unregister(name: str) -> None:
    _extra[:] = [m for m in _extra if m.name != name]


def manifests() -> list[ModuleManifest]:
    found = [config.manifest for config in apps.get_app_configs() if getattr(config, "manifest", None)]
    return found + list(_extra)


def manifests_for_stage(kind: str) -> list[ModuleManifest]:
    return [m for m in manifests() if kind in m.stages]
