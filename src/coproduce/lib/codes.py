"""Short codes that people read out, copy from paper and type: no Django here.

A code is 8 characters from an alphabet with no look-alikes, shown in two groups ("HMKP-3R7X"). Left out,
because people confuse them when reading aloud or writing by hand: 0 O Q D (round shapes), 1 I L (strokes),
2 Z, 5 S, 6 G, 8 B, U V. 19 characters to the power of 8 is about 1.7 × 10¹⁰ codes, enough when the page
that takes them limits how many wrong guesses one place may make.
"""

from __future__ import annotations

import secrets

ALPHABET = "ACEFHJKMNPRTWXY3479"
LENGTH = 8
GROUP = 4
_SEPARATORS = str.maketrans("", "", " -_.\t\n\u00a0\u2010\u2011\u2012\u2013\u2014")


def generate() -> str:
    """A new code, ungrouped ("HMKP3R7X"), from the operating system's secure random source."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def grouped(code: str) -> str:
    """ "HMKP3R7X" -> "HMKP-3R7X", for reading out and writing down."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str | None:
    """What a person typed as the code it means, or None when it cannot be one: lower case, spaces and
    dashes are accepted ("hmkp 3r7x", "HMKP-3R7X")."""
    code = typed.translate(_SEPARATORS).upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code
