"""What the conversation pages share."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.http import HttpRequest, StreamingHttpResponse

from coproduce.spaces import access as space_access
from coproduce.spaces.models import Space

from .. import access
from ..models import Conversation


def conversation_for(request: HttpRequest, slug: str, pk: int) -> tuple[Space, Conversation]:
    space = space_access.get_space_for(request.user, slug)
    return space, access.get_conversation_for(request.user, pk, space=space)


def _safe(value) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: people's words must stay words.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(name: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for count, row in enumerate(rows, start=1):
            writer.writerow([_safe(v) for v in row])
            if count % 200 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate(0)
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
