"""The report: read from the stored analysis, refreshed without a reload where JavaScript is on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coproduce.core import registry

from .. import access
from .. import report as reports
from ..models import Statement, StatementStatus
from ..selectors import as_source
from ._common import conversation_for, csv_response

LINKED = 5  # consensus statements offered to carry on to a decision (each asks the other modules once)


def _context(request: HttpRequest, space, conversation) -> dict:
    found = reports.build_report(conversation, request.user, page=request.GET.get("page") or 1)
    links = {}
    if found is not None and request.user.is_authenticated:
        statements = Statement.objects.filter(
            conversation=conversation, pk__in=[line.pk for line in found.consensus[:LINKED]]
        )
        for statement in statements:
            statement.conversation = conversation
            links[statement.pk] = registry.links_for(as_source(statement, conversation), request.user)
        for line in found.consensus:
            line.links = links.get(line.pk, [])  # type: ignore[attr-defined]
    return {
        "space": space,
        "conversation": conversation,
        "report": found,
        "working": conversation.analysis_requested_at is not None,
        "can_manage": access.can_manage(request.user, space),
    }


def report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    space, conversation = conversation_for(request, slug, pk)
    template = (
        "conversations/_report.html" if request.headers.get("HX-Request") else "conversations/report.html"
    )
    return render(request, template, _context(request, space, conversation))


def participants_csv(request: HttpRequest, slug: str, pk: int):
    """Every point of the map: participant number, group, perspective, x, y (no names)."""
    _space, conversation = conversation_for(request, slug, pk)
    return csv_response(
        f"conversation-{conversation.pk}-map.csv",
        ["participant", "group", "perspective", "x", "y"],
        reports.points_csv_rows(conversation),
    )


def statements_csv(request: HttpRequest, slug: str, pk: int):
    """Every accepted statement with its votes overall and, from the last analysis, in each group."""
    _space, conversation = conversation_for(request, slug, pk)
    result = reports.last_result(conversation)
    analysis = reports.analysis_of(result) if result else None
    k = len(analysis.groups) if analysis else 0
    header = [
        "statement_id",
        "statement",
        "seed",
        "agree",
        "disagree",
        "pass",
        "seen",
        "consensus",
        "divisive",
    ]
    for g in range(k):
        letter = reports.LETTERS[g % len(reports.LETTERS)]
        header += [f"group_{letter}_agree", f"group_{letter}_disagree", f"group_{letter}_seen"]
    consensus = {str(s) for s in analysis.consensus} if analysis else set()
    divisive = {str(s) for s in analysis.divisive} if analysis else set()

    def rows():
        statements = Statement.objects.filter(conversation=conversation, status=StatementStatus.ACCEPTED)
        for s in statements.iterator(chunk_size=500):
            st = analysis.stats.get(str(s.pk)) if analysis else None
            row = [s.pk, s.text, "yes" if s.is_seed else "no"]
            row += list(reports._counts(st)) if st is not None else [0, 0, 0, 0]
            row += ["yes" if str(s.pk) in consensus else "no", "yes" if str(s.pk) in divisive else "no"]
            for g in range(k):
                a, d, _p, seen = reports._counts(st, g) if st is not None else (0, 0, 0, 0)
                row += [a, d, seen]
            yield row

    return csv_response(f"conversation-{conversation.pk}-statements.csv", header, rows())
