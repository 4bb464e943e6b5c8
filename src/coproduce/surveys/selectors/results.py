"""Survey results, counted in the database in a fixed number of queries whatever the number of answers:
counts and percentages per option (multiple choice per option: the share of the people who answered the
question who chose it), scale averages and distributions, numbers, dates, free text, and a breakdown by the
respondent's perspective (never for a group under 5 in an anonymous survey). Also the CSV export, with
spreadsheet formulas neutralised, and the Place Standard's circular chart."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Max, Min, Q

from coproduce.spaces.models import Perspective

from ..models import SCALE_KINDS, Answer, Question, QuestionKind, Response, Survey, Template

SMALL_GROUP = 5  # an anonymous survey never shows a group smaller than this
TEXTS_SHOWN = 50
CACHE_SHAPE = 1  # bump when what `_count` returns changes shape
CHART_WIDTH = 300
BAR_HEIGHT = 24


@dataclass
class Bar:
    label: str
    count: int
    percent: float
    y: int = 0
    width: float = 0.0


@dataclass
class GroupRow:
    perspective: str
    label: str
    respondents: int
    cells: list[str]


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    average: float | None = None
    minimum: Any = None
    maximum: Any = None
    rows: list[tuple[str, float | None, list[Bar]]] = field(default_factory=list)  # a grid's rows
    texts: list[TextAnswer] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    group_headings: list[str] = field(default_factory=list)
    chart_height: int = 0

    @property
    def is_counted(self) -> bool:
        return self.question.kind in (
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.SCALE5,
            QuestionKind.SCALE7,
        )


def _percent(count: int, whole: int) -> float:
    return round(100 * count / whole, 1) if whole else 0.0


def _layout(bars: list[Bar]) -> int:
    """Bars drawn to scale: 100 % is the full width of the chart."""
    for i, bar in enumerate(bars):
        bar.y = i * (BAR_HEIGHT + 8)
        bar.width = round(CHART_WIDTH * bar.percent / 100, 1)
    return len(bars) * (BAR_HEIGHT + 8)


def _scale_labels(question: Question) -> list[str]:
    return [str(n) for n in range(1, question.scale_max + 1)]


def shown_perspectives(groups: dict[str, int], *, anonymous: bool) -> list[str]:
    """The perspectives whose breakdown may be shown. In an anonymous survey a group under 5 is never
    shown, nor can it be worked out by taking the shown groups from the whole: when the hidden groups
    together are under 5 people, the smallest shown groups are hidden too until they are not."""
    return shown_groups(groups, [*Perspective.values, ""], anonymous=anonymous)


def shown_groups(groups: dict[str, int], order: list[str], *, anonymous: bool) -> list[str]:
    """The groups (perspectives, areas) of `order` that may be shown: see `shown_perspectives`."""
    present = [p for p in order if groups.get(p)]
    if not anonymous:
        return present
    shown = [p for p in present if groups[p] >= SMALL_GROUP]
    hidden = sum(groups[p] for p in present if p not in shown)
    while shown and 0 < hidden < SMALL_GROUP:
        smallest = min(shown, key=lambda p: groups[p])
        shown.remove(smallest)
        hidden += groups[smallest]
    return shown


def perspective_groups(survey: Survey) -> dict[str, int]:
    """Respondents per perspective ("" for people who are not members, or answered with a link)."""
    return dict(
        Response.objects.filter(survey=survey, submitted_at__isnull=False)
        .values_list("perspective")
        .annotate(n=Count("id"))
        .values_list("perspective", "n")
    )


@dataclass(frozen=True)
class TextAnswer:
    pk: int
    question_id: int
    text: str
    hidden_reason: str


def _count(questions: list[Question], *, show_hidden: bool) -> dict[str, Any]:
    """The counts behind the results, as plain data: a handful of queries, each grouped by the database."""
    # Filtering on the question ids (not a join to the survey) lets the database read the covering index
    # `answer_counting` alone, in the order it groups by.
    counted = Answer.objects.filter(counted=True)
    stats_kinds = (QuestionKind.NUMBER, QuestionKind.DATE)
    # (question, option, number, perspective) -> answers, and the people behind them (their first rows):
    # choices, scales, grid cells and free text, in one pass.
    cells: dict[tuple[int, int | None, int | None, str], int] = {}
    people: dict[tuple[int, str], int] = defaultdict(int)
    for question_id, option_id, number, perspective, n, firsts in (
        counted.filter(question_id__in=[q.pk for q in questions if q.kind not in stats_kinds])
        .values_list("question_id", "option_id", "number", "perspective")
        # COUNT(*) and a column of the index, never the id: the id is not in the index, and reading it
        # sends PostgreSQL to the table for every row (1.2 s instead of 0.13 s at 20,000 responses).
        .annotate(n=Count("*"), people=Count("first_row", filter=Q(first_row=True)))
        .values_list("question_id", "option_id", "number", "perspective", "n", "people")
        .order_by()
    ):
        cells[(question_id, option_id, int(number) if number is not None else None, perspective)] = n
        people[(question_id, perspective)] += firsts
    numbers = {
        row.pop("question_id"): row
        for row in counted.filter(question_id__in=[q.pk for q in questions if q.kind in stats_kinds])
        .values("question_id")
        .annotate(
            n=Count("*"),
            avg=Avg("number"),
            low=Min("number"),
            high=Max("number"),
            first=Min("date"),
            last=Max("date"),
        )
        .order_by()
    }
    # The latest answers to each free-text question, each read backwards along the question's index: a
    # UNION of the lists where the database allows LIMIT in one (PostgreSQL), an OR of them where not.
    lists = []
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            newest = Answer.objects.filter(question_id=question.pk, counted=True)
            if not show_hidden:
                newest = newest.filter(hidden_reason="")
            lists.append(newest.order_by("-id").values("id")[:TEXTS_SHOWN])
    texts: list[TextAnswer] = []
    if lists:
        if connection.features.supports_slicing_ordering_in_compound:
            latest = Q(pk__in=lists[0].union(*lists[1:], all=True))
        else:
            latest = Q()
            for ids in lists:
                latest |= Q(pk__in=ids)
        texts = [
            TextAnswer(*row)
            for row in Answer.objects.filter(latest)
            .order_by("-id")
            .values_list("id", "question_id", "text", "hidden_reason")
        ]
    return {"cells": cells, "people": dict(people), "numbers": numbers, "texts": texts}


def _tally(survey: Survey, questions: list[Question], *, show_hidden: bool) -> dict[str, Any]:
    """The counts, kept in the cache until anything that changes them changes `results_version` (an answer
    sent, a question changed, a text hidden). Read fresh, so that a stale copy of the survey never serves
    stale counts."""
    version, made = Survey.objects.filter(pk=survey.pk).values_list(
        "results_version", "created_at"
    ).first() or (0, None)
    # The moment the survey was made is in the key too: a database emptied and filled again (a flush, a
    # restore) numbers its surveys and versions from the start, and must not find the old survey's counts.
    stamp = int(made.timestamp() * 1_000_000) if made else 0
    key = f"surveys:tally:{CACHE_SHAPE}:{survey.pk}:{stamp}:{version}:{int(show_hidden)}"
    found = cache.get(key)
    if found is None:
        found = {"groups": perspective_groups(survey), **_count(questions, show_hidden=show_hidden)}
        cache.set(key, found, timeout=24 * 3600)
    return found


def results(survey: Survey, *, show_hidden: bool = False) -> dict[str, Any]:
    """Everything the results page and API show, in a bounded number of queries."""
    questions = list(
        Question.objects.filter(survey=survey)
        .select_related("section")
        .prefetch_related("options")
        .order_by("section__position", "section_id", "position", "id")
    )
    tally = _tally(survey, questions, show_hidden=show_hidden)
    groups: dict[str, int] = tally["groups"]
    respondents = sum(groups.values())
    cells: dict[tuple[int, int | None, int | None, str], int] = tally["cells"]
    numbers: dict[int, dict[str, Any]] = tally["numbers"]
    totals: dict[tuple[int, int | None, int | None], int] = defaultdict(int)
    answered: dict[int, int] = defaultdict(int)
    answered_by_group: dict[tuple[int, str], int] = defaultdict(int)
    for (question_id, option_id, value, _perspective), n in cells.items():
        totals[(question_id, option_id, value)] += n
    for (question_id, perspective), people in tally["people"].items():
        answered[question_id] += people
        answered_by_group[(question_id, perspective)] += people
    for question_id, row in numbers.items():
        answered[question_id] = row["n"]
    texts: dict[int, list[TextAnswer]] = defaultdict(list)
    for text in tally["texts"]:
        texts[text.question_id].append(text)

    shown_groups = shown_perspectives(groups, anonymous=survey.anonymous)
    labels = dict(Perspective.choices)
    suppressed = survey.anonymous and len(shown_groups) < len([p for p in groups if groups[p]])

    found: list[QuestionResult] = []
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.pk, 0))
        options = list(question.options.all())
        kind = question.kind

        def count(option_id, number, perspective=None, _qid=question.pk):
            if perspective is None:
                return totals.get((_qid, option_id, number), 0)
            return cells.get((_qid, option_id, number, perspective), 0)

        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            keys: list[tuple[str, Any, Any]] = [(o.label, o.pk, None) for o in options]
        elif kind in (QuestionKind.SCALE5, QuestionKind.SCALE7):
            keys = [(label, None, int(label)) for label in _scale_labels(question)]
        else:
            keys = []
        if keys:
            result.bars = [Bar(label, c := count(o, v), _percent(c, result.answered)) for label, o, v in keys]
            result.chart_height = _layout(result.bars)
            if kind in SCALE_KINDS:
                total = sum(b.count for b in result.bars)
                result.average = (
                    round(sum(int(b.label) * b.count for b in result.bars) / total, 2) if total else None
                )
            result.group_headings = [label for label, _o, _v in keys]
            for perspective in shown_groups:
                base = answered_by_group.get((question.pk, perspective), 0)
                if not base:
                    continue
                row_cells = [f"{_percent(count(o, v, perspective), base)}%" for _label, o, v in keys]
                if kind in SCALE_KINDS:
                    total = sum(count(o, v, perspective) for _label, o, v in keys)
                    mean = sum(v * count(o, v, perspective) for _label, o, v in keys) / total if total else 0
                    row_cells.append(f"{mean:.2f}")
                result.groups.append(
                    GroupRow(perspective, str(labels.get(perspective, "Not a member")), base, row_cells)
                )
        elif kind == QuestionKind.MATRIX:
            for option in options:
                bars = [Bar(str(v), count(option.pk, v), 0.0) for v in range(1, 6)]
                total = sum(b.count for b in bars)
                for bar in bars:
                    bar.percent = _percent(bar.count, total)
                mean = round(sum(int(b.label) * b.count for b in bars) / total, 2) if total else None
                result.rows.append((option.label, mean, bars))
        elif kind in (QuestionKind.NUMBER, QuestionKind.DATE):
            stats = numbers.get(question.pk, {})
            if kind == QuestionKind.NUMBER:
                avg = stats.get("avg")
                result.average = round(float(avg), 2) if avg is not None else None
                result.minimum, result.maximum = stats.get("low"), stats.get("high")
            else:
                result.minimum, result.maximum = stats.get("first"), stats.get("last")
        elif kind == QuestionKind.TEXT:
            result.texts = texts.get(question.pk, [])
        found.append(result)
    return {
        "respondents": respondents,
        "questions": found,
        "groups": [(labels.get(p, "Not a member"), groups[p]) for p in shown_groups],
        "suppressed": suppressed,
    }


# --- The Place Standard's circular chart -------------------------------------------------------------

RADAR_RADIUS = 140
RADAR_CENTRE = 200


def _point(index: int, total: int, value: float) -> tuple[float, float]:
    angle = 2 * math.pi * index / total - math.pi / 2
    radius = RADAR_RADIUS * value / 7
    return (
        round(RADAR_CENTRE + radius * math.cos(angle), 1),
        round(RADAR_CENTRE + radius * math.sin(angle), 1),
    )


def place_scores(survey: Survey, *, perspective: str | None = None) -> list[tuple[str, str, float | None]]:
    """(code, theme, average score) for each theme of a Place Standard survey, in one query."""
    from ..services.place_standard import THEMES

    rows = Answer.objects.filter(question__survey=survey, counted=True, question__kind=QuestionKind.SCALE7)
    if perspective is not None:
        rows = rows.filter(perspective=perspective)
    averages = dict(
        rows.values_list("question__code").annotate(a=Avg("number")).values_list("question__code", "a")
    )
    return [
        (code, str(label), round(float(averages[code]), 2) if averages.get(code) is not None else None)
        for code, label in THEMES
    ]


def place_by_perspective(survey: Survey) -> dict[str, Any]:
    """Each theme's average by the respondents' perspective (only the groups that may be shown: see
    `shown_perspectives`), in two queries."""
    from ..services.place_standard import THEMES

    shown = shown_perspectives(perspective_groups(survey), anonymous=survey.anonymous)
    averages = {
        (code, perspective): value
        for code, perspective, value in Answer.objects.filter(
            question__survey=survey, counted=True, question__kind=QuestionKind.SCALE7, perspective__in=shown
        )
        .values_list("question__code", "perspective")
        .annotate(a=Avg("number"))
        .values_list("question__code", "perspective", "a")
        .order_by()
    }
    labels = dict(Perspective.choices)
    return {
        "headings": [str(labels.get(p, "Not a member")) for p in shown],
        "rows": [
            (
                str(label),
                [
                    round(float(averages[(code, p)]), 2) if averages.get((code, p)) is not None else None
                    for p in shown
                ],
            )
            for code, label in THEMES
        ],
    }


def place_areas(survey: Survey) -> list[str]:
    """The areas a Place Standard round asks about (the options of its area question), in their order."""
    from ..services.answering import AREA_CODE

    return list(
        Question.objects.filter(survey=survey, code=AREA_CODE)
        .values_list("options__label", flat=True)
        .order_by("options__position", "options__id")
        .exclude(options__label=None)
    )


def place_by_area(survey: Survey) -> list[dict[str, Any]]:
    """Each area's people, average score per theme and circular chart, for the areas that may be shown (in
    an anonymous round never a group under 5, nor one that could be worked out from the others: see
    `shown_perspectives`; people who did not say where they live are a group of their own). Three queries."""
    from ..services.answering import AREA_CODE
    from ..services.place_standard import THEMES

    areas = place_areas(survey)
    if not areas:
        return []
    respondents = perspective_groups(survey)
    # Who named each area: their answers to the area question (one row each).
    named = dict(
        Answer.objects.filter(question__survey=survey, question__code=AREA_CODE, counted=True)
        .values_list("area")
        .annotate(n=Count("*"))
        .values_list("area", "n")
        .order_by()
    )
    people = {area: named.get(area, 0) for area in areas}
    people[""] = sum(respondents.values()) - sum(people.values())  # did not say
    # Those who did not say count among the hidden, but are not an area to show.
    shown = [a for a in shown_groups(people, [*areas, ""], anonymous=survey.anonymous) if a]
    averages = {
        (code, area): value
        for code, area, value in Answer.objects.filter(
            question__survey=survey, counted=True, question__kind=QuestionKind.SCALE7, area__in=shown
        )
        .values_list("question__code", "area")
        .annotate(a=Avg("number"))
        .values_list("question__code", "area", "a")
        .order_by()
    }
    found = []
    for index, area in enumerate(shown):
        scores = [
            (
                code,
                str(label),
                round(float(averages[(code, area)]), 2) if averages.get((code, area)) is not None else None,
            )
            for code, label in THEMES
        ]
        found.append(
            {
                "id": f"area-{index}",
                "area": area,
                "people": people[area],
                "scores": scores,
                "chart": radar(scores),
            }
        )
    return found


def radar(scores: list[tuple[str, str, float | None]]) -> dict[str, Any]:
    """The points of the circular chart: an axis per theme, rings at 1 to 7, the polygon of the averages."""
    total = len(scores)
    axes = []
    for i, (_code, label, _value) in enumerate(scores):
        end = _point(i, total, 7)
        text = _point(i, total, 8.1)
        anchor = (
            "middle" if abs(text[0] - RADAR_CENTRE) < 10 else ("start" if text[0] > RADAR_CENTRE else "end")
        )
        axes.append(
            {"x": end[0], "y": end[1], "tx": text[0], "ty": text[1], "label": label, "anchor": anchor}
        )
    rings = [
        " ".join(f"{x},{y}" for x, y in (_point(i, total, level) for i in range(total)))
        for level in range(1, 8)
    ]
    polygon = " ".join(
        f"{x},{y}" for x, y in (_point(i, total, value or 0) for i, (_c, _l, value) in enumerate(scores))
    )
    return {"axes": axes, "rings": rings, "polygon": polygon, "centre": RADAR_CENTRE}


def is_place_standard(survey: Survey) -> bool:
    return survey.template == Template.PLACE_STANDARD


# --- CSV export ------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A spreadsheet would run a cell starting with = + - @ (or a tab or carriage return) as a formula:
    such cells get a leading apostrophe (OWASP's advice for CSV injection)."""
    text = "" if value is None else str(value)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _number_text(value: Any) -> str:
    """A number as SQLite (int or float) or PostgreSQL (Decimal) hands it back, without trailing zeros."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def export_rows(survey: Survey, *, names: bool) -> Iterator[list[str]]:
    """One row per sent response: its number, when, the perspective, who entered it on paper, (the name,
    in a named survey), then a column per question (a grid: a column per row; multiple choice: the
    choices joined with "; "). The answers are read in one pass along the response index, in the order of
    the responses, and merged with them; plain SQL there, because 30 questions × 20,000 responses is most of
    a million rows and the ORM's per-row conversions would be most of the time."""
    questions = list(
        Question.objects.filter(survey=survey)
        .prefetch_related("options")
        .order_by("section__position", "section_id", "position", "id")
    )
    columns: list[tuple[int, int | None]] = []
    header = ["response", "sent", "perspective", "entered on paper by"] + (["name"] if names else [])
    labels: dict[int, str] = {}
    for question in questions:
        for option in question.options.all():
            labels[option.pk] = safe_cell(option.label)
        if question.kind == QuestionKind.MATRIX:
            for option in question.options.all():
                columns.append((question.pk, option.pk))
                header.append(f"{question.text}: {option.label}")
        else:
            columns.append((question.pk, None))
            header.append(question.text)
    index = {column: i for i, column in enumerate(columns)}
    yield [safe_cell(cell) for cell in header]
    perspectives = {key: str(label) for key, label in Perspective.choices}
    responses = list(
        Response.objects.filter(survey=survey, submitted_at__isnull=False)
        .order_by("id")
        .values_list(
            "id", "submitted_at", "perspective", "entered_by__display_name", "respondent__display_name"
        )
    )
    if not responses:
        return
    table = connection.ops.quote_name(Answer._meta.db_table)
    meta = {r[0]: r for r in responses}
    width = len(columns)

    def finish(response_id: int, cells: list[list[str]]) -> list[str]:
        _id, sent, perspective, entered_by, name = meta[response_id]
        row = [
            str(response_id),
            sent.date().isoformat() if sent else "",
            perspectives.get(perspective, ""),
            safe_cell(entered_by or ""),
        ]
        if names:
            row.append(safe_cell(name or ""))
        row += ["; ".join(parts) for parts in cells]
        return row

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT response_id, question_id, option_id, number, text, date FROM {table} "  # noqa: S608 - names from _meta
            "WHERE response_id >= %s AND response_id <= %s AND counted = %s ORDER BY response_id, id",
            [responses[0][0], responses[-1][0], True],
        )
        # Where each answer goes: an option's row holds its label (a grid's row, the number given).
        by_option: dict[int, tuple[int, str | None]] = {}
        by_question: dict[int, int] = {}
        for question in questions:
            for option in question.options.all():
                grid = question.kind == QuestionKind.MATRIX
                by_option[option.pk] = (
                    index[(question.pk, option.pk if grid else None)],
                    None if grid else labels[option.pk],
                )
            if question.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.MATRIX):
                by_question[question.pk] = index[(question.pk, None)]
        current: int | None = None
        cells: list[list[str]] = [[] for _ in range(width)]
        done: set[int] = set()
        while chunk := cursor.fetchmany(5000):
            for response_id, question_id, option_id, number, text, date in chunk:
                if response_id != current:
                    if current is not None and current in meta:
                        done.add(current)
                        yield finish(current, cells)
                    current, cells = response_id, [[] for _ in range(width)]
                if option_id is not None:
                    slot = by_option.get(option_id)
                    if slot is not None:  # None: an answer to another survey, in the same id range
                        cells[slot[0]].append(slot[1] if slot[1] is not None else _number_text(number))
                    continue
                position = by_question.get(question_id)
                if position is None:
                    continue
                if number is not None:
                    cells[position].append(str(number) if type(number) is int else _number_text(number))
                elif date is not None:
                    cells[position].append(str(date))
                else:
                    cells[position].append(safe_cell(text))
        if current is not None and current in meta:
            done.add(current)
            yield finish(current, cells)
    # Responses with no answers at all (every question optional and skipped) still have their row.
    for response_id in meta:
        if response_id not in done:
            yield finish(response_id, [[] for _ in range(width)])


def csv_lines(rows: Iterator[list[str]], *, excel: bool = False) -> Iterator[str]:
    """CSV text, line by line; `excel` starts with a byte-order mark so that Excel reads UTF-8."""
    if excel:
        yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % 200 == 0:  # a few hundred rows a chunk: fewer, larger writes to the client
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    if buffer.tell():
        yield buffer.getvalue()
