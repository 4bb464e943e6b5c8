"""The one API client the tests use (tests/conftest.py offers it as the `api_for` fixture).

`Api(user)` sends a fresh bearer token of `user`; `Api()` sends nothing (anonymous); `Api(raw="cp_...")` sends
the given token as it is (a wrong or revoked one, say). Paths are relative to `prefix` (/api/v1 unless told);
bodies are sent as JSON.
"""

from __future__ import annotations

from typing import Any

from django.test import Client

from coproduce.people.services import api_token_create

API = "/api/v1"


class Api:
    """An API client that sends a person's bearer token, a given raw token, or nothing for anonymous."""

    def __init__(self, user=None, *, raw: str | None = None, prefix: str = API):
        self.client = Client()
        self.prefix = prefix
        if user is not None and raw is None:
            _token, raw = api_token_create(actor=user, name="tests")
        self.raw = raw
        self.headers = {"Authorization": f"Bearer {raw}"} if raw else {}

    def send(self, method: str, path: str, body: Any = None):
        """`method` is a lower-case HTTP method; a body (even `{}`) goes as JSON, no body sends none."""
        kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
        return getattr(self.client, method)(self.prefix + path, headers=self.headers, **kwargs)

    def get(self, path: str):
        return self.send("get", path)

    def post(self, path: str, body: Any = None):
        return self.send("post", path, body if body is not None else {})

    def put(self, path: str, body: Any):
        return self.send("put", path, body)

    def patch(self, path: str, body: Any):
        return self.send("patch", path, body)

    def delete(self, path: str):
        return self.send("delete", path)
