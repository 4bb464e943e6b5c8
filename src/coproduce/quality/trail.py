"""The trail: what became of what people said (issue 14, section 3).

Every module tells, through its manifest, what it holds that was made from another module's object
(`trail(kind, pks, viewer)`: the agenda items and decisions, the budget projects, the actions) and what people
said in it (`contributions`). This file follows those steps level by level — an idea, the agenda item made from
it, the decision on that item, the action made from the decision — asking each module once per level for every
object at that level, so a trail (or every trail of a space) costs a fixed number of queries whatever the
number of records. It imports no capability: a site without budgets simply has no budget steps.

Names: a step's `person` (who owns an action) is blanked where `spaces.access.shows_names` says so.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core import registry
from coproduce.core.registry import Contribution, TrailStep
from coproduce.spaces.models import Space

# The objects a trail starts from, and how a page names them.
START_KINDS = {
    "ideas.idea": gettext_lazy("idea"),
    "meetings.agenda_item": gettext_lazy("agenda item"),
    "budgets.project": gettext_lazy("budget project"),
}
MAX_DEPTH = 6  # idea -> merged idea -> agenda item -> decision -> action: never deeper in practice
YOU_SAID_LIMIT = 60


def kind_label(kind: str) -> str:
    return str(START_KINDS.get(kind, kind))


@dataclass
class Node:
    step: TrailStep
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Shown:
    """One step as a page shows it: indented by `depth` (what became of what became of it)."""

    step: TrailStep
    depth: int


def walk(kind: str, pks: Sequence[int], viewer: Any) -> dict[int, list[Node]]:
    """What became of each of these objects, as trees of steps. One round of module calls per level; an
    object reached twice (two ideas merged into one) shares its steps rather than asking again."""
    roots: dict[int, list[Node]] = {pk: [] for pk in pks}
    known: dict[tuple[str, int], list[Node]] = {(kind, pk): roots[pk] for pk in pks}
    frontier: dict[str, list[int]] = {kind: list(pks)} if pks else {}
    for _level in range(MAX_DEPTH):
        if not frontier:
            break
        following: dict[str, list[int]] = defaultdict(list)
        for at_kind, at_pks in frontier.items():
            for pk, steps in registry.trail_steps(at_kind, at_pks, viewer).items():
                into = known[(at_kind, pk)]
                for step in steps:
                    key = (step.kind, step.pk)
                    if key in known:
                        into.append(Node(step, known[key]))
                        continue
                    node = Node(step)
                    known[key] = node.children
                    following[step.kind].append(step.pk)
                    into.append(node)
        frontier = dict(following)
    return roots


def flatten(
    nodes: Iterable[Node], *, names: bool, depth: int = 0, path: frozenset = frozenset()
) -> list[Shown]:
    """The tree as rows, each with its depth; names blanked when `names` is False; a loop is cut."""
    found: list[Shown] = []
    for node in nodes:
        key = (node.step.kind, node.step.pk)
        if key in path:
            continue
        step = node.step if names else replace(node.step, person="")
        found.append(Shown(step, depth))
        found.extend(flatten(node.children, names=names, depth=depth + 1, path=path | {key}))
    return found


def walk_all(said: Sequence[Contribution], viewer: Any) -> dict[tuple[str, int], list[Node]]:
    """The trails of many contributions of several kinds (one walk per kind)."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for c in said:
        by_kind[c.source.kind].append(c.source.pk)
    found: dict[tuple[str, int], list[Node]] = {}
    for kind, pks in by_kind.items():
        for pk, nodes in walk(kind, pks, viewer).items():
            found[(kind, pk)] = nodes
    return found


@dataclass(frozen=True)
class Said:
    """One thing someone said, with what became of it, for "you said, we did" and a person's own trail."""

    contribution: Contribution
    kind_label: str
    steps: list[Shown]
    trail_url: str

    @property
    def perspective_label(self) -> str:
        from .presenters import PERSPECTIVE_LABELS

        return str(PERSPECTIVE_LABELS.get(self.contribution.perspective, "")).lower()


def trail_url(c: Contribution) -> str:
    from django.urls import reverse

    return reverse("impact:trail", args=[c.space_slug, c.source.kind, c.source.pk])


def you_said(said: Sequence[Contribution], viewer: Any, *, names_in: dict[int, bool]) -> list[Said]:
    """Each contribution with its trail (names per space, as `names_in[space_id]` says)."""
    trails = walk_all(said, viewer)
    return [
        Said(
            contribution=c,
            kind_label=kind_label(c.source.kind),
            steps=flatten(
                trails.get((c.source.kind, c.source.pk), []), names=names_in.get(c.source.space_id, False)
            ),
            trail_url=trail_url(c),
        )
        for c in said
    ]


def space_you_said(space: Space, viewer: Any, *, names: bool, limit: int = YOU_SAID_LIMIT) -> list[Said]:
    said = registry.contributions(viewer, space=space, limit=limit)
    return you_said(said, viewer, names_in={space.pk: names})


def person_you_said(person: Any, viewer: Any, *, limit: int = YOU_SAID_LIMIT) -> list[Said]:
    """What `person` said, across the spaces `viewer` may see (their own page: viewer is person)."""
    from coproduce.spaces.access import shows_names

    said = registry.contributions(viewer, author=person, limit=limit)
    spaces = {s.pk: s for s in Space.objects.filter(pk__in={c.source.space_id for c in said})}
    names_in = {pk: shows_names(viewer, s) for pk, s in spaces.items()}
    return you_said(said, viewer, names_in=names_in)


# --- The summary for the impact report --------------------------------------------------------------


def _kinds_below(nodes: Iterable[Node], seen: set | None = None) -> tuple[set[str], set[str]]:
    """The kinds reached anywhere below, and the kinds of steps that got where they were going."""
    kinds: set[str] = set()
    reached: set[str] = set()
    seen = set() if seen is None else seen
    for node in nodes:
        key = (node.step.kind, node.step.pk)
        if key in seen:
            continue
        seen.add(key)
        kinds.add(node.step.kind)
        if node.step.reached:
            reached.add(node.step.kind)
        k, r = _kinds_below(node.children, seen)
        kinds |= k
        reached |= r
    return kinds, reached


@dataclass(frozen=True)
class TrailSummary:
    ideas: int
    ideas_adopted: int
    ideas_discussed: int  # put on a meeting's agenda
    ideas_projects: int
    ideas_funded: int
    ideas_actions: int
    ideas_done: int  # led to an action that was done
    items: int
    items_decided: int
    items_actions: int
    projects: int
    projects_funded: int
    projects_actions: int
    ideas_anything: int

    def as_rows(self) -> list[tuple[str, str, int, int]]:
        """(key, sentence, n, of) for the report's table, its CSV and JSON."""
        rows = [
            ("ideas_adopted", _("ideas were adopted"), self.ideas_adopted, self.ideas),
            ("ideas_discussed", _("ideas were put on a meeting's agenda"), self.ideas_discussed, self.ideas),
            ("ideas_projects", _("ideas became budget projects"), self.ideas_projects, self.ideas),
            ("ideas_funded", _("ideas became funded projects"), self.ideas_funded, self.ideas),
            ("ideas_actions", _("ideas became actions"), self.ideas_actions, self.ideas),
            ("ideas_done", _("ideas led to an action that was done"), self.ideas_done, self.ideas),
            ("items_decided", _("agenda items led to a decision"), self.items_decided, self.items),
            ("items_actions", _("agenda items led to an action"), self.items_actions, self.items),
            (
                "projects_funded",
                _("projects people proposed were funded"),
                self.projects_funded,
                self.projects,
            ),
            (
                "projects_actions",
                _("projects people proposed became actions"),
                self.projects_actions,
                self.projects,
            ),
        ]
        return [r for r in rows if r[3]]


def summary(space: Space, viewer: Any) -> TrailSummary:
    """How many of the things said in the space went where (a fixed number of queries: one per module to
    list what was said, then one round per level of the trail)."""
    said = registry.contributions(viewer, space=space)
    trails = walk_all(said, viewer)
    n: Counter[str] = Counter()
    for c in said:
        kind = c.source.kind
        nodes = trails.get((kind, c.source.pk), [])
        kinds, reached = _kinds_below(nodes)
        if kind == "ideas.idea":
            n["ideas"] += 1
            n["ideas_adopted"] += c.source.ready
            n["ideas_discussed"] += "meetings.agenda_item" in kinds
            n["ideas_projects"] += "budgets.project" in kinds
            n["ideas_funded"] += "budgets.project" in reached
            n["ideas_actions"] += "actions.action" in kinds
            n["ideas_done"] += "actions.action" in reached
            n["ideas_anything"] += bool(kinds - {"ideas.decision", "ideas.idea"}) or c.source.ready
        elif kind == "meetings.agenda_item":
            n["items"] += 1
            n["items_decided"] += "meetings.decision" in kinds
            n["items_actions"] += "actions.action" in kinds
        elif kind == "budgets.project":
            n["projects"] += 1
            n["projects_funded"] += c.source.ready
            n["projects_actions"] += "actions.action" in kinds
    return TrailSummary(**{f: n[f] for f in TrailSummary.__dataclass_fields__})
