"""The report of a conversation, read from its stored analysis (never worked out here): the opinion map, each
group with its representative statements, consensus and divisive statements, participation by perspective,
and "where I sit". A fixed number of queries however many people and statements."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from coproduce.core import shared
from coproduce.lib import opinion
from coproduce.spaces.models import Membership, Perspective

from .models import AnalysisResult, Conversation, Participant, Statement, Vote

# Not colour alone: each group has a shape and a letter as well (Okabe-Ito colours, safe for colour blindness).
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"]
SHAPES = ["circle", "square", "triangle", "diamond", "cross"]
SHAPE_WORDS = [_lazy("circle"), _lazy("square"), _lazy("triangle"), _lazy("diamond"), _lazy("cross")]
NOT_KNOWN = _lazy("Not known")
LETTERS = "ABCDE"
MAP_SIZE = 400  # the SVG's viewBox; it scales to the width of the screen
MAP_MARGIN = 16
TABLE_PAGE = 50
LIVED = Perspective.LIVED_EXPERIENCE


@dataclass
class StatementLine:
    pk: int
    text: str
    agree: int  # percent of those who saw it
    disagree: int
    passed: int
    seen: int
    direction: str = ""


@dataclass
class GroupView:
    index: int
    letter: str
    colour: str
    shape: str
    shape_word: str
    size: int
    representative: list[StatementLine] = field(default_factory=list)
    perspectives: list[tuple[str, int]] = field(default_factory=list)
    has_lived_experience: bool = False


@dataclass
class WhereISit:
    group: GroupView | None
    excluded: bool
    voted: int
    differences: list[dict[str, Any]]


@dataclass
class Report:
    result: AnalysisResult
    groups: list[GroupView]
    consensus: list[StatementLine]
    divisive: list[StatementLine]
    map_svg: SafeString
    points_page: Any
    perspective_rows: list[dict[str, Any]]
    missing_perspectives: list[str]
    groups_without_lived: list[GroupView]
    excluded: int
    where: WhereISit | None
    why_k: str

    @property
    def votes_display(self) -> str:
        return f"{self.result.votes:,}"

    @property
    def people_display(self) -> str:
        return f"{self.result.participants:,}"


def last_result(conversation: Conversation) -> AnalysisResult | None:
    """The stored result without its analysis (read with `analysis_of`, which keeps it decoded)."""
    return AnalysisResult.objects.filter(conversation=conversation).defer("data").first()


# The last few analyses decoded, by (result id, when it was worked out): a big conversation's analysis is a
# megabyte of JSON, and the report is read far more often than it is worked out.
DECODED_KEPT = 8
_DECODED = shared.Remembered(DECODED_KEPT)


def analysis_of(result: AnalysisResult) -> opinion.Analysis | None:
    """The decoded analysis; None when it was stored by an older version of the library that this one cannot
    read (the next analysis replaces it)."""

    def decode() -> opinion.Analysis | None:
        data = AnalysisResult.objects.filter(pk=result.pk).values_list("data", flat=True).get()
        try:
            return opinion.Analysis.from_json(data)
        except (KeyError, TypeError, ValueError):
            return None

    return _DECODED.get((result.pk, result.computed_at.isoformat()), decode)


def _pct(part: float, whole: float) -> int:
    return round(100 * part / whole) if whole else 0


def _counts(stats: Any, group: int | None = None) -> tuple[int, int, int, int]:
    """(agree, disagree, pass, seen) of a statement overall or in one group (`StatementStats`)."""
    if group is None:
        return int(stats.agree), int(stats.disagree), int(stats.passed), int(stats.seen)
    if group >= len(stats.groups):
        return 0, 0, 0, 0
    counts = stats.groups[group]
    return int(counts.agree), int(counts.disagree), int(counts.passed), int(counts.seen)


def _line(
    pk: int, texts: dict[int, str], stats: Any, group: int | None = None, direction: str = ""
) -> StatementLine:
    agree, disagree, passed, seen = _counts(stats, group) if stats is not None else (0, 0, 0, 0)
    return StatementLine(
        pk=pk,
        text=texts.get(pk, ""),
        agree=_pct(agree, seen),
        disagree=_pct(disagree, seen),
        passed=_pct(passed, seen),
        seen=seen,
        direction=direction,
    )


def _shape(kind: str, x: float, y: float, colour: str, label: str) -> str:
    r = 4.5
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"><title>{label}</title></circle>'
    if kind == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{colour}">'
            f"<title>{label}</title></rect>"
        )
    if kind == "triangle":
        pts = f"{x:.1f},{y - r - 1:.1f} {x - r - 1:.1f},{y + r:.1f} {x + r + 1:.1f},{y + r:.1f}"
    elif kind == "diamond":
        pts = (
            f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} {x:.1f},{y + r + 1:.1f} {x - r - 1:.1f},{y:.1f}"
        )
    else:  # a cross, drawn as a polygon
        a, b = r + 1, r / 2.5
        pts = " ".join(
            f"{x + dx:.1f},{y + dy:.1f}"
            for dx, dy in [
                (-b, -a),
                (b, -a),
                (b, -b),
                (a, -b),
                (a, b),
                (b, b),
                (b, a),
                (-b, a),
                (-b, b),
                (-a, b),
                (-a, -b),
                (-b, -b),
            ]
        )
    return f'<polygon points="{pts}" fill="{colour}"><title>{label}</title></polygon>'


# What a stored result's map and table look like (a few results at most): the map's 2,000 points and the
# table's rows are the same for everyone until the analysis changes.
_PREPARED = shared.Remembered(DECODED_KEPT * 2)


def _map_points(
    coordinates: dict[str, tuple[float, float]], labels: dict[str, int], groups: list[GroupView]
) -> tuple[str, dict[str, tuple[float, float]]]:
    if not coordinates:
        return "", {}
    xs = [c[0] for c in coordinates.values()]
    ys = [c[1] for c in coordinates.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = (MAP_SIZE - 2 * MAP_MARGIN) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    parts = []
    positions = {}
    for pid, (x, y) in coordinates.items():
        g = labels.get(pid)
        if g is None or g >= len(groups):
            continue
        view = groups[g]
        px, py = MAP_SIZE / 2 + (x - cx) * scale, MAP_SIZE / 2 - (y - cy) * scale
        positions[pid] = (px, py)
        parts.append(_shape(view.shape, px, py, view.colour, view.letter))
    return "".join(parts), positions


def map_svg(
    coordinates: dict[str, tuple[float, float]],
    labels: dict[str, int],
    groups: list[GroupView],
    *,
    me: str | None,
    question: str,
    key: tuple = (),
) -> SafeString:
    """The opinion map drawn to scale (one scale for both axes, so distances mean the same across and up),
    one point per participant, each group's shape and colour; the signed-in person ringed."""
    if not coordinates:
        return mark_safe("")
    if key:
        body, positions = _PREPARED.get(("map", *key), lambda: _map_points(coordinates, labels, groups))
    else:
        body, positions = _map_points(coordinates, labels, groups)
    ring = ""
    if me is not None and me in positions:
        px, py = positions[me]
        ring = (
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="10" fill="none" stroke="#0b0c0c" stroke-width="2.5">'
            f"<title>{_('You')}</title></circle>"
        )
    desc = _(
        "%(n)s participants placed by how they voted: people who voted alike are close together. "
        "Groups: %(groups)s. Every point is also in the table below the map."
    ) % {
        "n": len(coordinates),
        "groups": "; ".join(
            _("group %(letter)s, %(shape)s, %(size)s people")
            % {"letter": g.letter, "shape": g.shape_word, "size": g.size}
            for g in groups
        ),
    }
    head = format_html(
        '<svg class="opinion-map" viewBox="0 0 {s} {s}" role="img" aria-labelledby="map-title map-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="map-title">{t}</title><desc id="map-desc">{d}</desc>'
        '<rect x="0" y="0" width="{s}" height="{s}" fill="#fff" stroke="#b1b4b6"/>'
        '<line x1="{h}" y1="0" x2="{h}" y2="{s}" stroke="#e6e6e6"/><line x1="0" y1="{h}" x2="{s}" y2="{h}" stroke="#e6e6e6"/>',
        s=MAP_SIZE,
        h=MAP_SIZE // 2,
        t=_("Opinion map of “%(question)s”") % {"question": question},
        d=desc,
    )
    # The points are numbers and fixed words only: nothing typed by people goes into them.
    return mark_safe(head + body + ring + "</svg>")  # noqa: S308


def build_report(conversation: Conversation, user, *, page: int | str | None = 1) -> Report | None:
    """The report from the stored analysis; None when there is none yet. Five or six queries."""
    result = last_result(conversation)
    if result is None:
        return None
    analysis = analysis_of(result)
    if analysis is None:
        return None
    key = (result.pk, result.computed_at.isoformat())
    labels: dict[str, int] = _PREPARED.get(
        ("labels", *key), lambda: {str(k): int(v) for k, v in analysis.labels.items()}
    )
    stats = analysis.stats
    group_sizes = Counter(labels.values())
    perspectives: dict[str, str] = result.perspectives or {}

    groups: list[GroupView] = []
    for g in range(len(analysis.groups)):
        per = Counter(perspectives.get(pid, "") for pid in analysis.groups[g])
        groups.append(
            GroupView(
                index=g,
                letter=LETTERS[g % len(LETTERS)],
                colour=COLOURS[g % len(COLOURS)],
                shape=SHAPES[g % len(SHAPES)],
                shape_word=str(SHAPE_WORDS[g % len(SHAPES)]),
                size=group_sizes.get(g, len(analysis.groups[g])),
                perspectives=sorted(per.items(), key=lambda kv: (-kv[1], kv[0])),
                has_lived_experience=per.get(LIVED, 0) > 0,
            )
        )

    needed = {int(r.statement) for reps in analysis.representative for r in reps[:5]}
    needed |= {int(s) for s in list(analysis.consensus)[:10]} | {int(s) for s in list(analysis.divisive)[:10]}

    me_participant = None
    if getattr(user, "is_authenticated", False):
        me_participant = Participant.objects.filter(conversation=conversation, user=user).first()
    me = str(me_participant.pk) if me_participant else None
    my_votes: dict[int, int] = {}
    if me_participant is not None:
        my_votes = dict(Vote.objects.filter(participant=me_participant).values_list("statement_id", "value"))
        needed |= set(my_votes)
    texts = dict(Statement.objects.filter(conversation=conversation, pk__in=needed).values_list("pk", "text"))

    for g, reps in enumerate(analysis.representative):
        if g < len(groups):
            groups[g].representative = [
                _line(int(r.statement), texts, stats.get(str(r.statement)), g, r.direction) for r in reps[:5]
            ]
    consensus = [_line(int(s), texts, stats.get(str(s))) for s in list(analysis.consensus)[:10]]
    divisive = [_line(int(s), texts, stats.get(str(s))) for s in list(analysis.divisive)[:10]]

    # Participation by perspective: who is in each group, and who is in the space but not here at all.
    in_space = Counter(
        Membership.objects.filter(space=conversation.space).values_list("perspective", flat=True)
    )
    taking_part = Counter(perspectives.values())
    labels_of = dict(Perspective.choices)
    rows = []
    for value, label in Perspective.choices:
        rows.append(
            {
                "perspective": label,
                "members": in_space.get(value, 0),
                "participants": taking_part.get(value, 0),
                "groups": [dict(g.perspectives).get(value, 0) for g in groups],
            }
        )
    missing = [
        str(labels_of[v]) for v in Perspective.values if taking_part.get(v, 0) == 0 and in_space.get(v, 0)
    ]

    def rows_of_the_table() -> list[dict[str, Any]]:
        points = sorted(
            ((pid, labels[pid], *analysis.coordinates[pid]) for pid in labels if pid in analysis.coordinates),
            key=lambda row: (row[1], int(row[0]) if row[0].isdigit() else 0),
        )
        return [
            {
                "pid": pid,
                "group": LETTERS[g % len(LETTERS)],
                "perspective": labels_of.get(perspectives.get(pid, ""), NOT_KNOWN),
                "x": x,
                "y": y,
            }
            for pid, g, x, y in points
        ]

    points_page = Paginator(_PREPARED.get(("table", *key), rows_of_the_table), TABLE_PAGE).get_page(page)
    points_page.object_list = [{**row, "me": row["pid"] == me} for row in points_page.object_list]
    where = None
    if me_participant is not None:
        mine = labels.get(me) if me is not None else None
        differences: list[dict[str, Any]] = []
        if mine is not None:
            for sid, vote in my_votes.items():
                st = stats.get(str(sid))
                if st is None or vote == 0:
                    continue
                agree, disagree, _passed, seen = _counts(st, mine)
                if not seen:
                    continue
                majority = 1 if agree > disagree else -1 if disagree > agree else 0
                if majority and majority != vote and max(agree, disagree) / seen >= 0.5:
                    differences.append(
                        {
                            "pk": sid,
                            "text": texts.get(sid, ""),
                            "mine": _("agreed") if vote == 1 else _("disagreed"),
                            "theirs": _("agreed") if majority == 1 else _("disagreed"),
                            "share": _pct(max(agree, disagree), seen),
                        }
                    )
            differences.sort(key=lambda d: -int(d["share"]))
        where = WhereISit(
            group=groups[mine] if mine is not None and mine < len(groups) else None,
            excluded=me in set(map(str, analysis.excluded)),
            voted=len(my_votes),
            differences=differences[:10],
        )
    return Report(
        result=result,
        groups=groups,
        consensus=consensus,
        divisive=divisive,
        map_svg=map_svg(
            analysis.coordinates,
            labels,
            groups,
            me=me,
            question=conversation.question,
            key=key,
        ),
        points_page=points_page,
        perspective_rows=rows,
        missing_perspectives=missing,
        groups_without_lived=[g for g in groups if not g.has_lived_experience],
        excluded=len(analysis.excluded),
        where=where,
        why_k=explain_groups(analysis),
    )


def explain_groups(analysis) -> str:
    """Why this many groups, in the reader's language (the library's own `why_k` says the same in English, for
    its command line): the same cases, from the same figures."""
    from coproduce.lib.opinion import analysis as method

    placed = len(analysis.coordinates)
    silhouettes = {int(k): float(v) for k, v in (analysis.silhouettes or {}).items()}
    if placed == 0:
        return _("Nobody has voted enough yet to be placed in a group.")
    if not silhouettes:
        if placed < method.MIN_PEOPLE_TO_SPLIT:
            return ngettext(
                "Only %(n)s person has voted enough to be placed, so everyone is in one group (at least "
                "%(least)s are needed to look for groups).",
                "Only %(n)s people have voted enough to be placed, so everyone is in one group (at least "
                "%(least)s are needed to look for groups).",
                placed,
            ) % {"n": placed, "least": method.MIN_PEOPLE_TO_SPLIT}
        return _("Everyone placed voted the same way, so there is one group.")
    k = analysis.k
    listed = ", ".join(
        ngettext("%(k)s group: %(score)s", "%(k)s groups: %(score)s", kk) % {"k": kk, "score": f"{score:.2f}"}
        for kk, score in sorted(silhouettes.items())
    )
    why = ngettext(
        "%(k)s group: people sit closest to their own group and furthest from the others with %(k)s "
        "(silhouette %(score)s; %(listed)s).",
        "%(k)s groups: people sit closest to their own group and furthest from the others with %(k)s "
        "(silhouette %(score)s; %(listed)s).",
        k,
    ) % {"k": k, "score": f"{silhouettes.get(k, 0):.2f}", "listed": listed}
    if silhouettes.get(k, 0) < max(silhouettes.values()):
        why += " " + _("Within %(tie)s of the best, the smaller number of groups is chosen.") % {
            "tie": method.SILHOUETTE_TIE
        }
    if placed > method.SILHOUETTE_SAMPLE:
        why += " " + _("Silhouettes measured on a fixed sample of %(sample)s of the %(n)s people.") % {
            "sample": method.SILHOUETTE_SAMPLE,
            "n": placed,
        }
    return why


def points_csv_rows(conversation: Conversation):
    """Every participant on the map, for the CSV: id, group letter, perspective, x, y."""
    result = last_result(conversation)
    if result is None:
        return
    analysis = analysis_of(result)
    if analysis is None:
        return
    labels_of = dict(Perspective.choices)
    for pid, g in analysis.labels.items():
        x, y = analysis.coordinates.get(pid, (math.nan, math.nan))
        yield [
            pid,
            LETTERS[int(g) % len(LETTERS)],
            str(labels_of.get((result.perspectives or {}).get(str(pid), ""), "")),
            f"{x:.4f}",
            f"{y:.4f}",
        ]
