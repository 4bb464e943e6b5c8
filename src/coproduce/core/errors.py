"""Errors that services raise and that the web pages and the API answer differently from a plain
ValidationError. Both are ValidationErrors, so a form shows them beside the field they name."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """The actor may not act for this person (see `spaces.access.can_act_for`). A field error on web
    pages; 403 from the API, with the messages by field."""


class Conflict(ValidationError):
    """Something the person did themself stands in the way (they voted online, for example): nothing is
    written. A field error on web pages; 409 from the API, with a plain message."""
