"""SQLite, as Django ships it, with writers that wait their turn instead of failing: see `base`."""
