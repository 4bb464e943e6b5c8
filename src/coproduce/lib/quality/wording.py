"""Plain-English pieces the rules build their findings from: numbers in words, perspectives, shares, dates.

English only: `lib` has no Django, so no translation here. The app shows these sentences as they are, beside
the figures (which it can translate and link).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from coproduce.lib.quality.evidence import (
    CARER,
    COMMISSIONER,
    COMMUNITY,
    FACILITATOR,
    LIVED_EXPERIENCE,
    PRACTITIONER,
    Milestone,
)

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# (one, many) for each perspective
_NOUNS = {
    LIVED_EXPERIENCE: ("person with lived experience", "people with lived experience"),
    CARER: ("carer", "carers"),
    COMMUNITY: ("community member", "community members"),
    PRACTITIONER: ("practitioner", "practitioners"),
    COMMISSIONER: ("commissioner", "commissioners"),
    FACILITATOR: ("facilitator", "facilitators"),
}

MILESTONE_WORDS = {
    Milestone.FIRST_DECISION: "The first decision was recorded",
    Milestone.BUDGET_OPENED: "The budget opened",
    Milestone.AGENDA_PUBLISHED: "The first agenda was published",
}
MILESTONE_LABELS = {
    Milestone.FIRST_DECISION: "first decision recorded",
    Milestone.BUDGET_OPENED: "budget opened",
    Milestone.AGENDA_PUBLISHED: "first agenda published",
}

LIVED_ONE = "a person with lived experience or a carer"
LIVED_MANY = "people with lived experience or carers"
COMMUNITY_ONE = "a person from the community side (lived experience, carer or community member)"
COMMUNITY_MANY = "people from the community side (lived experience, carers and community members)"
PROFESSIONAL_MANY = "practitioners and commissioners"


def number(n: int) -> str:
    """3 -> "three"; 0 -> "no"; 11 -> "11"."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def uncapitalised(text: str) -> str:
    """For a sentence carried on after "but": "No action..." -> "no action..."."""
    return text[:1].lower() + text[1:]


def noun(perspective: str, n: int) -> str:
    one, many = _NOUNS[perspective]
    return one if n == 1 else many


def counted(perspective: str, n: int) -> str:
    """ "three practitioners", "one carer"."""
    return f"{number(n)} {noun(perspective, n)}"


def people_by_perspective(perspectives: Sequence[str]) -> str:
    """Describe a small group by perspective: ["practitioner"] * 3 -> "three practitioners";
    mixed -> "three people (two practitioners and one commissioner)"."""
    order: list[str] = []
    for p in perspectives:
        if p not in order:
            order.append(p)
    if len(order) == 1:
        return counted(order[0], len(perspectives))
    parts = [counted(p, perspectives.count(p)) for p in order]
    who = "person" if len(perspectives) == 1 else "people"
    return f"{number(len(perspectives))} {who} ({joined(parts)})"


def joined(parts: Iterable[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    items = list(parts)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


_SINGULAR = {
    "ideas": "idea",
    "projects": "project",
    "items": "item",
    "views": "view",
    "actions": "action",
    "comments": "comment",
    "answers": "answer",
    "voters": "voter",
}


def items(n: int, label: str) -> str:
    """A count with its label, in the singular for one: (1, "views agreeing in decisions") -> "1 view agreeing
    in decisions"."""
    if n == 1:
        words = label.split(" ")
        for i, word in enumerate(words):
            if word in _SINGULAR:
                words[i] = _SINGULAR[word]
                break
        label = " ".join(words)
    return f"{n} {label}"


def percent(part: int, whole: int) -> str:
    """Rounded down, so a share just short of a threshold never reads as reaching it: 2 of 3 -> "66 %"."""
    return f"{100 * part // whole} %" if whole else "0 %"


def day(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
