"""Every page of the demo is translatable: crawled in a pseudo-language, no text of the site's own is left in
English (the machinery and the rest of the checks: tests/core/test_languages.py). Here because it uses the demo
loaded once for tests/demo."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.conf import settings
from django.test import Client
from tests.core.test_languages import (
    _FULL_WIDTH,
    NOT_LINKED,
    NOT_REACHED_YET,
    PER_KIND,
    PSEUDO,
    crawl,
    mark_peoples_words,
    once,
    pseudo_language,  # noqa: F401, F811 - a fixture
    url_names,
)


@pytest.fixture
def demo_in_peoples_words(demo, settings):
    mark_peoples_words()  # in this test's savepoint: the next test sees the demo as loaded
    settings.NETWORK_NAME = "coproduce".translate(_FULL_WIDTH)


@once
def test_every_page_is_translatable(pseudo_language, demo_in_peoples_words):  # noqa: F811
    from coproduce.demo.loader import DEMO_HOST_EMAIL
    from coproduce.people.models import User

    report: dict[str, list[str]] = defaultdict(list)
    reached: set[str] = set()
    posted: set[str] = set()
    requests = 0
    # The host sees most (PER_KIND of each kind of page); the network admin and a visitor add what they alone
    # see, and the same pages as they see them (a couple of each).
    # Jamie takes part with lived experience (ideas, a ballot, the timebank): the pages a plain member sees.
    people = [
        User.objects.get(email=DEMO_HOST_EMAIL),
        User.objects.filter(is_staff=True).first(),
        User.objects.get(email="jamie@demo.coproduce.scot"),
        None,
    ]
    for person, per_kind in zip(people, [PER_KIND, 2, 2, 2], strict=True):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = pseudo_language
        if person is not None:
            client.force_login(person, backend="coproduce.people.backends.ModelBackend")
        start = ["/", "/me/", "/network/", "/accounts/login/", "/accounts/signup/"]
        requests += crawl(client, start, PSEUDO, report, reached, posted, per_kind)

    gaps = {text: urls for text, urls in report.items() if text.startswith("(known gap")}
    print("\n".join(f"{text}: {len(urls)} texts" for text, urls in sorted(gaps.items())))
    problems = [
        f"{text!r} on {', '.join(sorted(set(urls))[:3])}"
        for text, urls in sorted(report.items())
        if text not in gaps
    ]
    assert not problems, f"{len(problems)} untranslated texts (mark them for translation):\n" + "\n".join(
        problems
    )
    print(f"{requests} requests, {len(reached)} kinds of page rendered")
    stale = NOT_REACHED_YET & (reached | posted)
    assert not stale, (
        f"Reached now: take them out of NOT_REACHED_YET in tests/core/test_languages.py: {sorted(stale)}"
    )
    missing = url_names() - reached - posted - set(NOT_LINKED) - NOT_REACHED_YET
    assert not missing, (
        f"Pages no link reaches (link them from a page, or list them in NOT_LINKED): {sorted(missing)}"
    )
