"""The module registry: how capabilities (budgets, ideas, meetings, ...) attach to a space's stages, and how
they work with each other without importing each other.

Each app that offers a module declares a `manifest` on its AppConfig — the idea of Decidim's component
manifest, without a plugin framework. The space page asks every manifest what it has for each stage.

Links between capabilities are owned by the *downstream* app (the one that makes something new from another
module's object): the upstream app publishes its objects as `sources` (an access-checked lookup returning a
plain `Source`), the downstream app declares `links` (what it can make from a kind of source, and the page
where it does it), and a service one app offers to others is a named `hook`. See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.http import Http404

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ModuleItem:
    """Something a module shows on a stage of the space page, e.g. one budget or one meeting."""

    title: str
    url: str
    status: str = ""


class Urgency(enum.IntEnum):
    """How soon something waiting for a person needs them; the personal home lists the lowest first."""

    WAITING_ON_YOU = 0  # someone cannot go on until you answer: a join request, an exchange to confirm
    DUE = 1  # has a date: a vote closing, a meeting you are going to, an action due
    OPEN = 2  # open for you to take part when you can: dots on an agenda, a survey, a conversation


@dataclass(frozen=True)
class WaitingItem:
    """One thing waiting for a person, for their home page and `/api/v1/me/home`.

    `title` says what needs them in plain words ("Answer Ann's request to join Carers' voices"); `detail` adds
    a fact that helps decide ("You have not voted yet", "Step-free access noted"); `due` orders items of the
    same urgency (soonest first; None last)."""

    module: str  # the manifest's name
    kind: str  # e.g. "join_request", "ballot", "meeting"
    title: str
    url: str
    urgency: Urgency
    due: datetime | None = None
    detail: str = ""
    space_title: str = ""


@dataclass(frozen=True)
class NetworkAdminSection:
    """What a module shows on the network admin screen (a heading, a count that needs attention, rows, a link
    to its own page for the work)."""

    module: str
    title: str
    url: str
    needs_attention: int = 0
    rows: tuple[tuple[str, str], ...] = ()  # (label, url) of the first few things to look at


@dataclass(frozen=True)
class Source:
    """What a module tells other modules about one of its objects, so that they need not import it.

    `ready` says whether it may be carried on (an idea is adopted, a project is funded); `closed` that nothing
    more is to come of it (an idea merged or not taken forward), so no module offers to take it further;
    `authors` are the user ids of the people who wrote it, for the trail from what people said to what was
    done."""

    kind: str  # "<module>.<thing>", e.g. "ideas.idea"
    pk: int
    space_id: int
    title: str
    text: str = ""
    url: str = ""
    ready: bool = True
    authors: tuple[int, ...] = ()
    closed: bool = False


@dataclass(frozen=True)
class Link:
    """A downstream module's offer to make something from another module's object, e.g. budgets: "make
    this adopted idea a budget project". `url(source, user)` is the downstream page that does it, or None
    when this person may not (or the source is not ready)."""

    source_kind: str
    label: StrOrPromise
    url: Callable[[Source, Any], str | None] = field(compare=False)


@dataclass(frozen=True)
class EvidenceCount:
    """One line of what a module's records say for the quality check: `n` of `measure` (a value of
    `coproduce.lib.quality.Measure`) in `stage`, by people of `perspective` (their perspective when they
    acted). `person` is the user id when the line is one person's (then `n` is theirs): the check counts who
    was active in each stage from these, and where a few people wrote most of something. Modules answer with
    GROUP BY queries, so the number of lines grows with people, never with records."""

    measure: str
    stage: str
    perspective: str
    n: int
    person: int | None = None


@dataclass(frozen=True)
class EvidenceReport:
    """A module's part of a space's evidence: its counts and the dates when plans were first made visible
    (`milestones`: a value of `coproduce.lib.quality.Milestone` -> the earliest date)."""

    counts: tuple[EvidenceCount, ...] = ()
    milestones: Mapping[str, date] = field(default_factory=dict)


@dataclass(frozen=True)
class EvidenceRecord:
    """One record behind a number of the quality check: what it is (never a person's name), where to see it,
    its stage and perspective, and the person's name (`person`), which the check hides where the space hides
    names."""

    title: str
    url: str
    stage: str
    perspective: str
    person: str = ""
    when: date | None = None


@dataclass(frozen=True)
class TrailStep:
    """One thing that became of an object of another module, told by the module that holds it: the
    meeting that discussed an idea, the decision taken on an agenda item, the action made from a decision
    (who owns it, how far it got), the budget project made from an idea (funded or not).

    `kind` and `pk` name the step's own object, so that the trail goes on from it (the actions made from a
    funded project); `person` is the name of whoever owns it, which the trail hides where the space hides
    names; `reached` says it got where it was going (an action done, a project funded)."""

    module: str  # the manifest's name
    kind: str  # "<module>.<thing>", e.g. "actions.action"
    pk: int
    what: str  # what happened, in plain words: "Made an action", "Discussed at a meeting"
    title: str
    url: str = ""
    when: datetime | None = None
    status: str = ""  # the step's own state in plain words: "In progress (40%)", "Funded"
    person: str = ""
    progress: int | None = None  # percent, for things that move (actions)
    reached: bool = False


@dataclass(frozen=True)
class Contribution:
    """Something a person said in a module (an idea, an agenda item, a budget project), for "you said, we
    did" and a person's own trail: its `Source` (with its authors), when it was said, its status in plain
    words and the author's perspective then."""

    source: Source
    when: datetime
    status: str = ""
    perspective: str = ""
    space_slug: str = ""
    space_title: str = ""


@dataclass(frozen=True)
class ImpactFigure:
    """One number of an impact section, with its unit in words; `people` is how many people it rests on
    (a module never gives a figure about fewer than five people's personal outcomes)."""

    label: str
    value: int | float | str
    unit: str = ""
    people: int | None = None


@dataclass(frozen=True)
class ImpactSection:
    """What a module adds to a space's impact report (surveys and the Place Standard, personal outcomes,
    SROI...): a heading, a short finding in plain words, its figures (shown as a table and given in the
    report's CSV and JSON), a link to the module's own page and a note on how it was worked out."""

    module: str
    key: str  # stable, for CSV/JSON: "surveys", "place_standard", "outcomes", "sroi"
    title: str
    summary: str
    figures: tuple[ImpactFigure, ...] = ()
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class SearchDocument:
    """One thing the network search can find, as its module tells it: only what may be shown at all (a
    hidden comment, an unpublished case study or an unlisted person is never given). `space_id` is the space
    it belongs to (None: the network's own, e.g. a hub post); the search shows it only to people who may see
    that space. `public` False: only for people signed in (a directory entry)."""

    kind: str  # "<module>.<thing>", e.g. "hub.post"
    pk: int
    title: str
    body: str
    url: str
    space_id: int | None = None
    public: bool = True
    when: datetime | None = None
    place: str = ""
    stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class HubSection:
    """What a module shows on the network hub's home page (latest posts, coming events, new case studies):
    a heading, the first few rows and a link to see all. `order` places it (lowest first)."""

    module: str
    title: str
    url: str
    rows: tuple[ModuleItem, ...] = ()
    order: int = 50


@dataclass(frozen=True)
class PersonalDataSection:
    """One table of what a module holds about a person, for their own download (UK GDPR right of access):
    `key` names the table (the CSV file `<module>-<key>.csv`), `rows` are plain dicts of JSON values, every
    row with the same keys. Only the person's own data: never another person's name or email."""

    module: str
    key: str
    title: str
    rows: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class PersonalDataKind:
    """What a module collects about people, in plain words, for the privacy page (`/privacy/`), which is
    made from these and nothing else. `special`: special category data (health, access needs, safeguarding,
    lived experience); `retention`: the key of the retention setting (`COPRODUCE_RETENTION_DAYS`) whose
    daily task removes it, or "" when it is kept while the account is."""

    what: StrOrPromise
    why: StrOrPromise
    on_erasure: StrOrPromise  # what erasing the account does to it: removed, or kept without the name
    special: bool = False
    retention: str = ""


@dataclass(frozen=True)
class ModuleManifest:
    name: str  # a stable identifier, e.g. "budgets"
    label: StrOrPromise  # shown to people, already translated lazily
    description: StrOrPromise
    stages: tuple[str, ...]  # the stage kinds (see spaces.models.StageKind) this module belongs to
    # (stage, user) -> what this module has on that stage, already filtered to what the user may see.
    items_for_stage: Callable[..., Iterable[ModuleItem]] | None = field(default=None, compare=False)
    # True when those items depend on the person beyond their role in the space (their own records, their
    # consent): built for each request. Otherwise they are the same for everyone the space page shows alike
    # (`spaces.access.page_audience`) and kept a few seconds (core/shared.py).
    personal_items: bool = False
    # (user, space slug) -> a prepared query of one row at most and its values (core/prepared.py), or None: the
    # record those personal items need (the person's consent), read with the space on its page in the same
    # round trip and given to `items_for_stage` as `read=`.
    read_with_space: Callable[[Any, str], tuple[Any, tuple] | None] | None = field(
        default=None, compare=False
    )
    # kind -> (user, pk) -> Source; raises Http404 when the user may not see it.
    sources: Mapping[str, Callable[[Any, int], Source]] = field(default_factory=dict, compare=False)
    links: tuple[Link, ...] = ()
    # name -> a service other modules may call, e.g. timebank's "reward_participation".
    hooks: Mapping[str, Callable[..., Any]] = field(default_factory=dict, compare=False)
    # user -> what this module has waiting for that person (their home page), in a bounded number of queries.
    waiting_for: Callable[[Any], Iterable[WaitingItem]] | None = field(default=None, compare=False)
    # user -> this module's part of the network admin screen, or None when the user may not see it.
    network_admin: Callable[[Any], NetworkAdminSection | None] | None = field(default=None, compare=False)
    # space -> this module's counts for the quality check (an `EvidenceReport`), in a bounded number of queries.
    evidence: Callable[[Any], EvidenceReport] | None = field(default=None, compare=False)
    # (space, measure, stages, perspectives) -> the records behind one of those counts (at most `limit`), or
    # [] for a measure the module does not count. Names are given; the quality check hides them.
    evidence_records: Callable[..., list[EvidenceRecord]] | None = field(default=None, compare=False)
    # (source_kind, pks, viewer) -> {pk: the steps this module holds that were made from that object}: the
    # meeting items and decisions, projects, actions made from it. One batch for many objects, in a bounded
    # number of queries; only objects in spaces the viewer may see. Names given; the trail hides them.
    trail: Callable[[str, Sequence[int], Any], Mapping[int, list[TrailStep]]] | None = field(
        default=None, compare=False
    )
    # (viewer, *, space=None, author=None, limit=None) -> what people said in this module (ideas, agenda
    # items, projects), newest first, that the viewer may see: in one space, or one person's across spaces.
    contributions: Callable[..., list[Contribution]] | None = field(default=None, compare=False)
    # (space, viewer) -> this module's section of the space's impact report, or None when it has nothing.
    impact: Callable[[Any, Any], ImpactSection | None] | None = field(default=None, compare=False)
    # (kind, pks) -> the `SearchDocument`s of these objects of `kind` that may be found (pks None: all of
    # this module's objects of that kind); kinds this module does not own give nothing. A module calls
    # `search_changed(kind, pks)` after it creates, edits, hides or deletes one.
    search_documents: Callable[[str, Sequence[int] | None], Iterable[SearchDocument]] | None = field(
        default=None, compare=False
    )
    search_kinds: tuple[str, ...] = ()  # the kinds of `search_documents`, e.g. ("hub.post",)
    # (viewer, kind) -> the pks of `kind` this viewer must not find although they may be found at all (a
    # person who blocked the viewer, or whom they blocked), in ONE query; empty for nothing. The search asks
    # it for each of `search_kinds` on every search, and leaves those out of results and counts.
    search_hidden: Callable[[Any, str], Iterable[int]] | None = field(default=None, compare=False)
    # user -> this module's section of the hub's home page, or None.
    hub_section: Callable[[Any], HubSection | None] | None = field(default=None, compare=False)
    # Privacy (UK GDPR). user -> this module's `PersonalDataSection`s of what it holds about that person.
    personal_data: Callable[[Any], Iterable[PersonalDataSection]] | None = field(default=None, compare=False)
    # user -> {what: how many} removed or made anonymous. Called only by people's erasure service, inside its
    # transaction, before the account itself becomes a nameless "Former member" (the row stays, so that
    # ballots, postings and contributions keep pointing at someone who can no longer be identified).
    erase: Callable[[Any], Mapping[str, int]] | None = field(default=None, compare=False)
    personal_data_described: tuple[PersonalDataKind, ...] = ()
    # The models ("app_label.Model") whose references to people this module's `erase` deals with; a test
    # fails when a model with a foreign key to the user is in no manifest's list.
    personal_data_models: tuple[str, ...] = ()
    # retention kind (a key of settings.COPRODUCE_RETENTION_DAYS) -> (cutoff) -> how many records older than
    # `cutoff` it removed. Run daily by people's retention task and `coproduce privacy expire`.
    retention: Mapping[str, Callable[[datetime], int]] = field(default_factory=dict, compare=False)


_extra: list[ModuleManifest] = []


def lazy(module: str, name: str) -> Callable[..., Any]:
    """A manifest entry that imports `module.name` when first called, so that apps.py imports no models
    (`waiting_for=registry.lazy("coproduce.ideas.selectors", "waiting_items")`)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        from importlib import import_module

        return getattr(import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported when first called."
    return call


def register(manifest: ModuleManifest) -> None:
    """Register a manifest that has no AppConfig (used by tests and small add-ons)."""
    if manifest.name not in {m.name for m in _extra}:
        _extra.append(manifest)


def unregister(name: str) -> None:
    _extra[:] = [m for m in _extra if m.name != name]


def manifests() -> list[ModuleManifest]:
    found: list[ModuleManifest] = [
        manifest for config in apps.get_app_configs() if (manifest := getattr(config, "manifest", None))
    ]
    return found + list(_extra)


def manifests_for_stage(kind: str) -> list[ModuleManifest]:
    return [m for m in manifests() if kind in m.stages]


def _registered_first() -> list[ModuleManifest]:
    """Manifests registered by hand (tests, add-ons) answer before installed apps, so that a stand-in can
    take the place of a module."""
    return [*_extra, *(m for m in manifests() if m not in _extra)]


def source(kind: str, user: Any, pk: int) -> Source:
    """Another module's object as `user` may see it; Http404 when it does not exist, its module is not
    installed, or the user may not see it."""
    for manifest in _registered_first():
        lookup = manifest.sources.get(kind)
        if lookup is not None:
            return lookup(user, pk)
    raise Http404


def links_for(found: Source, user: Any) -> list[tuple[str, str]]:
    """(label, url) of everything other modules offer to make from `found`, for this user."""
    offers = []
    for manifest in manifests():
        for link in manifest.links:
            if link.source_kind == found.kind:
                url = link.url(found, user)
                if url:
                    offers.append((str(link.label), url))
    return offers


def hook(name: str) -> Callable[..., Any] | None:
    """The service a module offers under `name`, or None when no installed module offers it (callers say
    plainly that the feature is not available)."""
    for manifest in _registered_first():
        if name in manifest.hooks:
            return manifest.hooks[name]
    return None


# Items with no date sort after every dated item of the same urgency.
_NO_DATE = datetime.max.replace(tzinfo=UTC)


def _order(item: WaitingItem) -> tuple[int, datetime, str]:
    return (item.urgency, item.due or _NO_DATE, item.title.casefold())


def waiting_for(user: Any) -> list[WaitingItem]:
    """Everything waiting for `user`, from every module, most urgent first: by urgency, then soonest date
    (undated last), then title. Each module answers in a bounded number of queries, so the home page costs
    the same however many spaces the person is in. Anonymous people have nothing waiting."""
    if not getattr(user, "is_authenticated", False):
        return []
    found: list[WaitingItem] = []
    for manifest in manifests():
        if manifest.waiting_for is not None:
            found.extend(manifest.waiting_for(user))
    return sorted(found, key=_order)


def trail_steps(kind: str, pks: Sequence[int], viewer: Any) -> dict[int, list[TrailStep]]:
    """What every module says became of these objects of `kind` (one level: the trail page follows each
    step's own kind and pk), oldest first; a few queries per module, however many objects."""
    found: dict[int, list[TrailStep]] = {pk: [] for pk in pks}
    if not pks:
        return found
    for manifest in manifests():
        if manifest.trail is None:
            continue
        for pk, steps in manifest.trail(kind, pks, viewer).items():
            if pk in found:
                found[pk].extend(steps)
    for steps in found.values():
        steps.sort(key=lambda s: (s.when or _NO_DATE, s.kind, s.pk))
    return found


def contributions(
    viewer: Any, *, space: Any = None, author: Any = None, limit: int | None = None
) -> list[Contribution]:
    """What people said, from every module, newest first (at most `limit`)."""
    found: list[Contribution] = []
    for manifest in manifests():
        if manifest.contributions is not None:
            found.extend(manifest.contributions(viewer, space=space, author=author, limit=limit))
    found.sort(key=lambda c: (c.when, c.source.kind, c.source.pk), reverse=True)
    return found[:limit] if limit is not None else found


def impact_sections(space: Any, viewer: Any) -> list[ImpactSection]:
    """Every module's section of a space's impact report, in the order the modules are installed."""
    found = []
    for manifest in manifests():
        if manifest.impact is not None and (section := manifest.impact(space, viewer)) is not None:
            found.append(section)
    return found


def search_changed(kind: str, pks: Iterable[int]) -> None:
    """Tell the network search that these objects of `kind` were created, edited, hidden or deleted: after
    the transaction commits, it asks their module again (`search_documents`). Nothing happens when no
    search module is installed."""
    reindex = hook("search_reindex")
    if reindex is None:
        return
    ids = list(pks)
    from django.db import transaction

    transaction.on_commit(lambda: reindex(kind, ids))


def personal_data(user: Any) -> list[PersonalDataSection]:
    """What every module holds about `user`, for their download, in the order the modules are installed."""
    found: list[PersonalDataSection] = []
    for manifest in manifests():
        if manifest.personal_data is not None:
            found.extend(manifest.personal_data(user))
    return found


def erase_everywhere(user: Any) -> dict[str, dict[str, int]]:
    """Ask every module to forget `user` (see `ModuleManifest.erase`): {module: {what: count}}."""
    done: dict[str, dict[str, int]] = {}
    for manifest in manifests():
        if manifest.erase is not None:
            done[manifest.name] = dict(manifest.erase(user))
    return done


def expire(kind: str, cutoff: datetime) -> int:
    """Remove the special category data of `kind` older than `cutoff`, in every module that keeps it."""
    return sum(m.retention[kind](cutoff) for m in manifests() if kind in m.retention)
