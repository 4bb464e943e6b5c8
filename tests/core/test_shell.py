"""The header and footer kept per process (core/shell.py): each person's own values, the same page kept or not."""

import re

import pytest
from django.test import Client

from coproduce.core import shell
from coproduce.notifications import services as notifications

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")|("X-CSRFToken": ")[^"]+(")')


@pytest.fixture(autouse=True)
def _fresh():
    shell.forget_all()
    yield
    shell.forget_all()


def _told(person, space, host, n: int) -> None:
    for i in range(n):
        notifications.notify(
            kind="join_request_approved",
            recipients=[person],
            params={},
            url=space.get_absolute_url(),
            space=space,
            actor=host,
            key=f"shell-test:{person.pk}:{i}",
        )


def test_each_person_sees_their_own_count_and_can_sign_out_with_the_token_given(
    space, host, member, practitioner
):
    _told(member, space, host, 3)
    for person, count in ((member, " (3)"), (practitioner, ""), (member, " (3)")):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person, backend="coproduce.people.backends.ModelBackend")
        page = client.get(space.get_absolute_url()).content.decode()
        assert re.search(
            rf'>Notifications{re.escape(count)}(<span class="visually-hidden"> unread</span>)?</a>', page
        )
        assert shell._MARK not in page
        token = re.search(
            r'action="/accounts/logout/" class="inline"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
            page,
        )
        assert token, "the sign-out form has its token"
        signed_out = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)})
        assert signed_out.status_code == 302, "the token in the kept header is this person's"


def test_a_visitor_is_brought_back_to_the_page_they_were_on(db):
    client = Client()
    page = client.get("/spaces/?q=a%26b").content.decode()
    assert 'href="/accounts/login/?next=/spaces/%3Fq%3Da%2526b"' in page
    assert 'href="/accounts/signup/?next=/spaces/%3Fq%3Da%2526b"' in page
    other = client.get("/timebank/").content.decode()
    assert "next=/timebank/" in other and "q%3D" not in other


def test_a_value_that_looks_like_a_marker_is_shown_as_it_is(db, settings):
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]  # the footer's switcher, with its address
    looks_like = f"{shell._MARK}-csrf-"
    page = Client().get(f"/spaces/?q={looks_like}").content.decode()
    assert f'name="next" value="/spaces/?q={looks_like}"' in page, "filled in one pass: never searched again"


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_page_is_the_same_kept_or_rendered_from_the_template(space, member, settings, signed_in):
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
    client = Client()
    if signed_in:
        client.force_login(member, backend="coproduce.people.backends.ModelBackend")

    def page(path: str) -> str:
        return TOKEN.sub(r"\1TOKEN\2\3TOKEN\4", client.get(path).content.decode())

    paths = [space.get_absolute_url(), "/spaces/", "/timebank/", "/notifications/", "/hub/", "/search/"]
    kept = [page(p) for p in paths for _ in (1, 2)]  # the second of each from what the first kept
    settings.DEBUG = True  # templates reloaded: nothing kept, the header and footer rendered each time
    shell.forget_all()
    fresh = [page(p) for p in paths for _ in (1, 2)]
    assert kept == fresh
    assert any('aria-current="page">Spaces' in p for p in kept)


def test_the_token_is_masked_as_django_masks_it_and_anew_each_time():
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _get_new_csrf_string, _unmask_cipher_token

    secret = _get_new_csrf_string()
    tokens = {shell.masked(secret) for _ in range(200)}
    assert len(tokens) == 200, "a new mask each time"
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
    # Every allowed character is drawn for the mask, none more often than by chance.
    drawn = "".join(token[:32] for token in tokens)
    counts = [drawn.count(char) for char in CSRF_ALLOWED_CHARS]
    assert min(counts) > 0 and max(counts) < 3 * len(drawn) / len(CSRF_ALLOWED_CHARS)
