"""Suggesting people from the directory for a request for help: plain functions on plain data.

A request (`Need`) asks for a kind of help (mentoring, peer support, a critical friend, someone to share
lived experience), maybe for one stage of the Co-production Star, maybe in a place, in a few words. Each
listed person (`Candidate`) says what they offer, the stages they know, where they are and, in their own
words, their skills, experience and interests.

The score, in points (documented here and in the directory's help page):

- offers the kind of help asked for: 3 (`OFFER`);
- knows the stage asked about: 2 (`STAGE`);
- for lived experience, their own words about what they have lived through share a word with the
  request's: 2 (`LIVED`);
- in the same place (the same words, or one place's name inside the other, ignoring case): 1 (`PLACE`);
- each word of the request found in their skills, experience or interests: 1, at most 2 (`WORDS`).

A person is suggested only with at least `MINIMUM` points and with the offer or the stage matched: living
nearby or a shared word is not enough on its own. The best come first (most points, then name, then id, so
that the order is stable); the asker and anyone `exclude`d (blocks, in either direction) never appear.
Each suggestion carries its reasons as codes with a value, which the page turns into words
("Knows co-design; offers mentoring; also in Renfrewshire").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

OFFER, STAGE, LIVED, PLACE, WORD, MAX_WORDS = 3, 2, 2, 1, 1, 2
MINIMUM = 2
LIVED_EXPERIENCE = "lived_experience"

# Words that say nothing about what a person knows.
_STOP = frozenset(
    [
        "about",
        "after",
        "also",
        "been",
        "being",
        "can",
        "could",
        "from",
        "have",
        "help",
        "into",
        "just",
        "know",
        "like",
        "looking",
        "more",
        "need",
        "some",
        "someone",
        "that",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "want",
        "what",
        "when",
        "where",
        "which",
        "while",
        "with",
        "would",
        "your",
    ]
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def words(text: str) -> frozenset[str]:
    """The meaningful words of a text: lower case, at least four letters, not a stop word, a plural's
    final "s" taken off ("budgets" meets "budget")."""
    found = set()
    for word in _WORD.findall(text.casefold()):
        if len(word) < 4 or word in _STOP:
            continue
        found.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
    return frozenset(found)


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    offers: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    place: str = ""
    about: str = ""  # skills, experience and interests, in their words
    lived_experience_of: str = ""


@dataclass(frozen=True)
class Need:
    kind: str  # one of the offers
    asker_id: int
    stage: str = ""
    place: str = ""
    text: str = ""  # the description and, for lived experience, what of
    lived_experience_of: str = ""


@dataclass(frozen=True)
class Reason:
    code: str  # "offer", "stage", "lived", "place", "words"
    value: str


@dataclass(frozen=True)
class Suggestion:
    person_id: int
    name: str
    score: int
    reasons: tuple[Reason, ...] = field(default=())


def same_place(a: str, b: str) -> bool:
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return bool(a and b) and (a == b or a in b or b in a)


def score(need: Need, candidate: Candidate) -> Suggestion:
    """How well `candidate` fits `need`, with the reasons, in the order people read them."""
    points, reasons = 0, []
    matched = False
    if need.stage and need.stage in candidate.stages:
        points += STAGE
        matched = True
        reasons.append(Reason("stage", need.stage))
    if need.kind in candidate.offers:
        points += OFFER
        matched = True
        reasons.append(Reason("offer", need.kind))
    if need.kind == LIVED_EXPERIENCE and need.lived_experience_of:
        shared = words(need.lived_experience_of) & words(candidate.lived_experience_of)
        if shared:
            points += LIVED
            reasons.append(Reason("lived", ", ".join(sorted(shared))))
    if same_place(need.place, candidate.place):
        points += PLACE
        reasons.append(Reason("place", candidate.place.strip()))
    common = sorted(words(need.text) & words(candidate.about))[:MAX_WORDS]
    if common:
        points += WORD * len(common)
        reasons.append(Reason("words", ", ".join(common)))
    return Suggestion(candidate.person_id, candidate.name, points if matched else 0, tuple(reasons))


def suggest(
    need: Need, candidates: Iterable[Candidate], *, exclude: Iterable[int] = (), limit: int = 5
) -> list[Suggestion]:
    """The best `limit` people for `need`, never the asker nor anyone in `exclude`."""
    left_out = {need.asker_id, *exclude}
    found = [
        suggestion
        for candidate in candidates
        if candidate.person_id not in left_out and (suggestion := score(need, candidate)).score >= MINIMUM
    ]
    found.sort(key=lambda s: (-s.score, s.name.casefold(), s.person_id))
    return found[:limit]
