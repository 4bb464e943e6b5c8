"""Reads for the search page and API: the kinds people may choose, in their words, and one page of results."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .query import Filters, Results, search
from .services import known_kinds

# Each kind in the words people use; a kind not listed here is shown by its module's label.
KIND_LABELS = {
    "hub.post": _("Posts"),
    "casestudies.casestudy": _("Case studies"),
    "resources.resource": _("Resources"),
    "meetings.event": _("Events"),
    "spaces.space": _("Spaces"),
    "ideas.idea": _("Ideas"),
    "conversations.conversation": _("Conversations"),
    "directory.person": _("People"),
}


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    if label is not None:
        return str(label)
    return kind.split(".")[-1].replace("_", " ").capitalize()


def kind_choices() -> list[tuple[str, str]]:
    return [(k, kind_label(k)) for k in known_kinds()]


def results_for(user, q: str, filters: Filters | None = None, *, page: int = 1) -> Results:
    return search(user, q, filters, page=page)
