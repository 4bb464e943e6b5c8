from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router

from coproduce.core.api import PUBLIC
from coproduce.spaces.models import StageKind

from .query import COUNT_CAP, Filters, count_label
from .schemas import SearchHitOut, SearchKindCount, SearchOut
from .selectors import kind_label, results_for
from .services import known_kinds

router = Router(tags=["search"])


@router.get(
    "/search", response=SearchOut, auth=PUBLIC, summary="Search everything on the network you may see"
)
def search(
    request,
    q: str = "",
    kind: str = "",
    place: str = "",
    stage: StageKind | None = None,
    date_from: date | None = Query(None, alias="from"),  # noqa: B008 - ninja's way to name a parameter
    date_to: date | None = Query(None, alias="to"),  # noqa: B008
    page: int = 1,
):
    if kind and kind not in known_kinds():
        raise ValidationError({"kind": _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(known_kinds())}})
    if date_from and date_to and date_to < date_from:
        raise ValidationError({"to": _("The end date must be on or after the start date.")})
    filters = Filters(
        kind=kind, place=place[:120].strip(), stage=stage or "", date_from=date_from, date_to=date_to
    )
    found = results_for(request.user, q[:200], filters, page=page)
    return SearchOut(
        q=q[:200],
        total=found.total,
        total_exact=found.exact and found.total <= COUNT_CAP,
        total_label=found.total_label,
        page=found.page,
        pages=found.pages,
        counts=[
            SearchKindCount(
                kind=k,
                label=kind_label(k),
                count=n,
                count_exact=found.counts_exact and n <= COUNT_CAP,
                count_label=count_label(n, exact=found.counts_exact),
            )
            for k, n in sorted(found.counts.items())
        ],
        results=[
            SearchHitOut(
                kind=hit.kind,
                kind_label=kind_label(hit.kind),
                id=hit.object_id,
                title_html=str(hit.title),
                snippet_html=str(hit.snippet),
                url=hit.url,
                when=hit.when,
                place=hit.place,
            )
            for hit in found.hits
        ],
    )
