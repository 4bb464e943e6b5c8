"""The demo's search index: built once everything else is loaded, from every module's documents."""

from __future__ import annotations

import random

from coproduce.search.services import reindex_all

from .network import Cast


def load(cast: Cast, rng: random.Random) -> None:
    reindex_all()
