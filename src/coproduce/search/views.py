from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render

from .forms import SearchForm
from .query import PAGE_SIZE
from .selectors import kind_label, results_for


def search_page(request):
    """GET only: the form keeps what was asked; bad filters are shown beside their field and not applied."""
    form = SearchForm(request.GET or None)
    results, q = None, ""
    if form.is_bound:
        if form.is_valid():
            q = form.cleaned_data["q"]
            try:
                page = int(request.GET.get("page", "1"))
            except ValueError:
                page = 1
            results = results_for(request.user, q, form.filters(), page=page) if q.strip() else None
        else:
            q = request.GET.get("q", "")
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    counts = []
    if results is not None:
        labels = results.count_labels()
        counts = [
            (kind, kind_label(kind), labels[kind], urlencode({**kept, "kind": kind}))
            for kind, n in sorted(results.counts.items(), key=lambda item: (-item[1], item[0]))
        ]
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "q": q,
            "results": results,
            "hits": [(hit, kind_label(hit.kind)) for hit in results.hits] if results else [],
            "counts": counts,
            "query": urlencode(kept),
            "filtered": any(request.GET.get(k) for k in ("place", "stage", "date_from", "date_to"))
            or (form.is_bound and bool(form.errors)),
            "start": (results.page - 1) * PAGE_SIZE + 1 if results else 1,
            "everything_query": urlencode({k: v for k, v in kept.items() if k != "kind"}),
        },
    )
