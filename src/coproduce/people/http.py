"""Typing for pages: a request whose user is signed in."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class SignedInRequest(HttpRequest):
    """The request a `login_required` page receives: its user is a `User`, never anonymous. For the type
    checker only; Django passes an ordinary HttpRequest."""

    user: User
