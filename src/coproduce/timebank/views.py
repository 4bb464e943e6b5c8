"""Timebank pages. Each view: parse → access → service → render."""

from __future__ import annotations

from django.shortcuts import render


def home(request):
    return render(request, "timebank/home.html", {})
