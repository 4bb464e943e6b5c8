"""Helpers for the budgets tests."""

from __future__ import annotations

import re

from django.test import Client

from coproduce.people.services import api_token_create

API = "/api/v1"
PERSONAS = ["host", "facilitator", "member", "practitioner", "outsider", "anonymous"]
MEMBERS = {"host", "facilitator", "member", "practitioner"}
RUNNERS = {"host", "facilitator"}
HOSTS = {"host"}


class Api:
    """An API client that sends a person's bearer token, or nothing for anonymous."""

    def __init__(self, user=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            _token, raw = api_token_create(actor=user, name="tests")
            self.headers = {"Authorization": f"Bearer {raw}"}

    def _send(self, method, path, body=None):
        kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
        return getattr(self.client, method)(API + path, headers=self.headers, **kwargs)

    def get(self, path):
        return self._send("get", path)

    def post(self, path, body=None):
        return self._send("post", path, body if body is not None else {})

    def put(self, path, body):
        return self._send("put", path, body)

    def patch(self, path, body):
        return self._send("patch", path, body)


def text(response) -> str:
    """The page's visible words, tags stripped and spaces collapsed, for assertions on what people read."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
