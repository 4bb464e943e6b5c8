"""Idea pages, by group: `ideas` (list, detail, support, co-authors), `comments`, `moderation`."""
