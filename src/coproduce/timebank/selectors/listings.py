"""Offers, requests and the matches between them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Category, Listing, ListingKind

_COMMON_WORDS = (
    "a an and are as at be but by can for from have help i if in is it me my need of on or our please some "
    "someone something the to with would you your who will this that offer offering request looking"
)
STOPWORDS = frozenset(_COMMON_WORDS.split())


def words(text: str) -> set[str]:
    """The meaningful words of a title or description, for matching: lower case, no short or common words."""
    found = set()
    for raw in re.findall(r"[^\W\d_]+", text.lower()):
        word = raw[:-1] if len(raw) > 4 and raw.endswith("s") else raw  # "lifts" matches "lift"
        if len(word) > 2 and word not in STOPWORDS:
            found.add(word)
    return found


@dataclass(frozen=True)
class Match:
    listing: Listing
    score: int
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


def match_score(
    mine: Listing,
    mine_tags: set[str],
    mine_words: set[str],
    other: Listing,
    other_tags: set[str],
    other_words: set[str],
) -> tuple[int, tuple[str, ...]]:
    """How well an offer fits a request, and why: same category (3), each shared tag (2), each shared word (1)."""
    score, reasons = 0, []
    if mine.category_id == other.category_id:
        score += 3
        reasons.append(_("same category: %(name)s") % {"name": other.category.name})
    tags = sorted(mine_tags & other_tags)
    if tags:
        score += 2 * len(tags)
        reasons.append(_("shared tags: %(tags)s") % {"tags": ", ".join(tags)})
    shared = sorted(mine_words & other_words)
    if shared:
        score += len(shared)
        reasons.append(_("shared words: %(words)s") % {"words": ", ".join(shared[:5])})
    return score, tuple(reasons)


def open_listings() -> QuerySet[Listing]:
    today = timezone.localdate()
    return Listing.objects.filter(is_open=True).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def listings(
    *, kind: str | None = None, q: str = "", category: Category | None = None, tag: str = "", area: str = ""
) -> QuerySet[Listing]:
    """Open offers and requests for browsing, newest first, with what the list page shows preloaded."""
    found = open_listings().select_related("owner", "category").prefetch_related("tags")
    if kind:
        found = found.filter(kind=kind)
    if category:
        found = found.filter(category=category)
    if tag:
        found = found.filter(tags__name=tag.strip().lower())
    if area:
        found = found.filter(area__icontains=area.strip())
    for term in q.split()[:8]:
        found = found.filter(
            Q(title__icontains=term) | Q(description__icontains=term) | Q(tags__name__iexact=term)
        )
    # Only a filter on tags joins rows that can repeat a listing. DISTINCT without one made the database sort
    # every open listing before taking the first page (bench/load.py: 20,000 listings).
    return found.distinct() if tag or q.split() else found


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def matches_for(listing: Listing, *, limit: int = 10) -> list[Match]:
    """Offers that might meet a request (or requests an offer might meet), best first, each with its reasons."""
    other_kind = ListingKind.OFFER if listing.kind == ListingKind.REQUEST else ListingKind.REQUEST
    my_tags = {t.name for t in listing.tags.all()}
    my_words = words(f"{listing.title} {listing.description}")
    candidates = (
        open_listings()
        .filter(kind=other_kind)
        .exclude(owner_id=listing.owner_id)
        .filter(
            Q(category_id=listing.category_id) | Q(tags__name__in=my_tags) | Q(pk__in=_word_hits(my_words))
        )
        .select_related("owner", "category")
        .prefetch_related("tags")
        .distinct()[:200]
    )
    found = []
    for other in candidates:
        score, reasons = match_score(
            listing,
            my_tags,
            my_words,
            other,
            {t.name for t in other.tags.all()},
            words(f"{other.title} {other.description}"),
        )
        if score:
            found.append(Match(other, score, reasons))
    found.sort(key=lambda m: (-m.score, -m.listing.pk))
    return found[:limit]


def _word_hits(my_words: set[str]) -> QuerySet[Listing, Any]:
    query = Q(pk__in=[])
    for word in sorted(my_words)[:10]:
        query |= Q(title__icontains=word) | Q(description__icontains=word)
    return Listing.objects.filter(query).values("pk")
