"""Sign-up codes for people who take part with help: the code itself, how it is stored, that it expires and
works once (also when two people use it at once), the page that takes it and its limit, and the handout."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.budgets.test_concurrency import run_threads, shared_database  # noqa: F401 (a fixture)

from coproduce.core.models import AuditEvent
from coproduce.lib import codes
from coproduce.people import selectors, services
from coproduce.people.models import CLAIM_LIFETIME, ClaimCode, User, hash_code
from coproduce.spaces import services as space_services

PASSWORD = "a-long-test-password-1"
LOOK_ALIKES = "0OQD1IL2Z5S6G8BUV"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def fast_passwords(settings):
    """Argon2 is slow on purpose: hash quickly here. The personas' shared hash is made first, with the real
    hashers, so that later tests still check it."""
    from tests.conftest import _password_hash

    _password_hash()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


# --- The code ----------------------------------------------------------------------------------------


def test_the_alphabet_has_no_look_alikes_and_is_upper_case():
    assert not set(LOOK_ALIKES) & set(codes.ALPHABET)
    assert codes.ALPHABET.upper() == codes.ALPHABET
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 19


def test_a_code_has_eight_characters_from_the_alphabet_and_is_shown_in_two_groups():
    drawn = {codes.generate() for _ in range(200)}
    assert len(drawn) == 200  # random, not a sequence
    for code in drawn:
        assert len(code) == 8 and set(code) <= set(codes.ALPHABET)
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", codes.grouped(code))


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("HMKP-3R7X", "HMKP3R7X"),
        ("hmkp3r7x", "HMKP3R7X"),
        ("  hmkp 3r7x ", "HMKP3R7X"),
        ("Hm-Kp 3R-7x", "HMKP3R7X"),
        ("HMKP–3R7X", "HMKP3R7X"),  # an en dash, as phones type
        ("HMKP-3R7", None),  # too short
        ("HMKP-3R7XA", None),  # too long
        ("HMKP-3R70", None),  # 0 is never in a code
        ("", None),
    ],
)
def test_what_people_type_is_read_as_the_code_they_mean(typed, found):
    assert codes.normalise(typed) == found


# --- Made and stored ---------------------------------------------------------------------------------


def test_only_hashes_are_stored_and_the_code_finds_the_person(margaret, facilitator):
    issued = space_services.claim_link_create(actor=facilitator, person=margaret)
    claim = ClaimCode.objects.get(person=margaret)
    stored = " ".join(str(v) for v in ClaimCode.objects.filter(pk=claim.pk).values().get().values())
    assert issued.code not in stored and issued.token not in stored
    assert claim.code_hash == hash_code(issued.code) != hash_code(codes.generate())
    # Keyed with the site's secret: a bare SHA-256 of the code would let anyone with the table try them all.
    import hashlib

    assert claim.code_hash != hashlib.sha256(issued.code.encode()).hexdigest()
    assert selectors.claim_for_code(issued.code_grouped.lower().replace("-", " ")) == claim
    assert claim.made_by == facilitator and claim.expires_at == claim.created_at + CLAIM_LIFETIME


def test_making_a_code_is_audited_with_when_it_stops_working(margaret, facilitator):
    issued = space_services.claim_link_create(actor=facilitator, person=margaret)
    event = AuditEvent.objects.get(action="person.claim_link_created")
    assert event.actor == facilitator and event.on_behalf_of == margaret
    assert f"working until {issued.expires_at.day} " in event.summary
    assert issued.code not in event.summary and issued.token not in str(event.changes)


def test_a_new_code_ends_the_old_one(margaret, facilitator):
    old = space_services.claim_link_create(actor=facilitator, person=margaret)
    space_services.claim_link_create(actor=facilitator, person=margaret)
    assert not selectors.claim_for_code(old.code).is_open()
    with pytest.raises(ValidationError, match="expired or has already been used"):
        services.account_claim(
            claim_id=selectors.claim_for_code(old.code).pk, email="m@example.org", password=PASSWORD
        )


# --- Expiry and single use ---------------------------------------------------------------------------


def test_a_code_expires(margaret, facilitator, fast_passwords):
    issued = space_services.claim_link_create(actor=facilitator, person=margaret)
    claim = selectors.claim_for_code(issued.code)
    with time_machine.travel(issued.expires_at + timedelta(seconds=1)):
        assert not claim.is_open()
        with pytest.raises(ValidationError, match="expired"):
            services.account_claim(claim_id=claim.pk, email="m@example.org", password=PASSWORD)
        response = Client().post(reverse("people:claim_code"), {"code": issued.code_grouped})
        assert response.status_code == 410
        assert "It stopped working on" in html(response) and "Ask your facilitator for a new one." in html(
            response
        )
    with time_machine.travel(issued.expires_at - timedelta(seconds=5)):
        assert services.account_claim(claim_id=claim.pk, email="m@example.org", password=PASSWORD).email


def test_a_code_works_once_and_its_use_is_audited(margaret, facilitator, fast_passwords):
    issued = space_services.claim_link_create(actor=facilitator, person=margaret)
    claim = selectors.claim_for_code(issued.code)
    services.account_claim(claim_id=claim.pk, email="margaret@example.org", password=PASSWORD)
    event = AuditEvent.objects.get(action="person.claimed_account")
    assert event.actor == margaret and "with the code" in event.summary
    assert event.changes == {"claim_code": [claim.pk, None]}
    with pytest.raises(ValidationError, match="already been used"):
        services.account_claim(claim_id=claim.pk, email="other@example.org", password=PASSWORD)
    # The link made with it stops working too: it was one way in, now used.
    assert selectors.person_for_claim(issued.token) is None


@pytest.mark.django_db(transaction=True)
def test_two_people_using_one_code_at_once_one_wins(shared_database, fast_passwords):  # noqa: F811
    from tests.conftest import make_person

    from coproduce.spaces.models import Perspective

    host = make_person("Hana Host")
    space = space_services.space_create(actor=host, title="Drop-in", purpose="Decide together.")
    person = space_services.assisted_person_add(
        actor=host, space=space, display_name="Margaret", perspective=Perspective.CARER
    ).user
    claim_id = selectors.claim_for_token(space_services.claim_link_create(actor=host, person=person).token).pk
    won: list[int] = []

    def use(n):
        try:
            services.account_claim(claim_id=claim_id, email=f"person{n}@example.org", password=PASSWORD)
        except ValidationError as error:
            assert "already been used" in " ".join(error.messages)
        else:
            won.append(n)

    errors = run_threads(use)

    assert not errors, errors
    assert len(won) == 1
    assert User.objects.get(pk=person.pk).email == f"person{won[0]}@example.org"
    assert AuditEvent.objects.filter(action="person.claimed_account").count() == 1


# --- The page that takes the code --------------------------------------------------------------------


def test_the_sign_in_page_leads_to_the_code_page(client_for):
    page = html(client_for(None).get(reverse("account_login")))
    assert f'href="{reverse("people:claim_code")}"' in page and "Have a code from a facilitator?" in page


def test_typing_the_code_leads_to_setting_up_a_sign_in(margaret, facilitator, fast_passwords):
    issued = space_services.claim_link_create(actor=facilitator, person=margaret)
    visitor = Client()
    page = visitor.get(reverse("people:claim_code"))
    assert page.status_code == 200 and '<label for="id_code"' in html(page)
    typed = " ".join(issued.code_grouped.lower())  # lower case, spaces everywhere
    response = visitor.post(reverse("people:claim_code"), {"code": typed})
    assert response.status_code == 302 and response.url == reverse("people:claim_code_continue")
    assert "Hello Margaret Brown" in html(visitor.get(response.url))
    response = visitor.post(
        response.url, {"email": "margaret@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("people:on_my_behalf")
    assert User.objects.get(pk=margaret.pk).email == "margaret@example.org"

    again = Client().post(reverse("people:claim_code"), {"code": issued.code})
    assert again.status_code == 410
    assert "It has already been used" in html(again) and "Ask your facilitator for a new one." in html(again)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "This field is required."),
        ("HMKP-3R7", "That does not look like a code"),
        ("HMKP-3R7X", "We could not find this code"),
    ],
)
def test_a_bad_code_is_explained_beside_the_field(db, typed, message):
    response = Client().post(reverse("people:claim_code"), {"code": typed})
    assert response.status_code == 400
    page = html(response)
    beside = re.search(r'<p class="error-message" id="([^"]+)">(.*?)</p>', page, re.S)
    assert beside and message in beside.group(2)  # beside the field, which points at it
    assert 'aria-describedby="' in page and beside.group(1) in re.search(
        r"<input[^>]*id_code[^>]*>", page
    ).group(0)
    assert f'value="{typed}"' in page or not typed  # what was typed is kept


def test_wrong_codes_are_limited_like_sign_in(margaret, facilitator, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}  # allauth's default, stated
    issued = space_services.claim_link_create(actor=facilitator, person=margaret)
    wrong = "HMKP-3R7X" if issued.code != "HMKP3R7X" else "HMKP-3R7Y"
    for _ in range(5):
        response = Client().post(reverse("people:claim_code"), {"code": wrong})
        assert response.status_code == 400
    response = Client().post(reverse("people:claim_code"), {"code": issued.code})  # even the right one
    assert response.status_code == 429 and "Too many wrong codes" in html(response)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert Client().post(reverse("people:claim_code"), {"code": issued.code}).status_code == 302


def test_codes_that_cannot_exist_do_not_count_against_the_limit(margaret, facilitator, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
    issued = space_services.claim_link_create(actor=facilitator, person=margaret)
    for _ in range(6):
        Client().post(reverse("people:claim_code"), {"code": "not a code"})
    assert Client().post(reverse("people:claim_code"), {"code": issued.code}).status_code == 302


# --- The handout -------------------------------------------------------------------------------------


def test_the_handout_shows_the_code_link_and_a_qr_code_with_a_text_alternative(
    client_for, space, margaret, facilitator
):
    membership = space.memberships.get(user=margaret)
    client = client_for(facilitator)
    response = client.post(reverse("spaces:claim_link", args=[space.slug, membership.pk]))
    assert response.url == reverse("spaces:claim_handout", args=[space.slug, membership.pk])
    page = html(client.get(response.url))
    claim = ClaimCode.objects.get(person=margaret)
    code = re.search(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>", page).group(1)
    assert hash_code(code.replace("-", "")) == claim.code_hash
    link = re.search(r"http://testserver/claim/[^/<\s]+/", page).group(0)
    assert selectors.person_for_claim(link.rsplit("/", 2)[1]) == margaret
    svg = re.search(r"<svg [^>]*>", page).group(0)
    assert 'role="img"' in svg and 'aria-label="QR code: scan it with a phone camera' in svg
    assert "<title>QR code: scan it" in page and "<path" in page
    assert "http://testserver/signup/code/" in page
    assert f"until {claim.expires_at:%A} " in page and "(in 14 days)" in page
    assert "Fergus Facilitator" in page  # whom to ask for a new one
    # The member's page says that a code works and until when, never the code.
    edit = html(client.get(reverse("spaces:member_edit", args=[space.slug, membership.pk])))
    assert "A sign-up code made for them works until" in edit and code not in edit


def test_the_handout_is_only_the_facilitators_who_made_it(client_for, space, margaret, facilitator, host):
    membership = space.memberships.get(user=margaret)
    client_for(facilitator).post(reverse("spaces:claim_link", args=[space.slug, membership.pk]))
    response = client_for(host).get(reverse("spaces:claim_handout", args=[space.slug, membership.pk]))
    assert response.status_code == 302  # the host's session holds no code: back to the member's page


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_gives_the_facilitator_a_code_and_link_and_never_an_email(
    api_for, space, margaret, facilitator
):
    membership = space.memberships.get(user=margaret)
    response = api_for(facilitator).post(f"/spaces/{space.slug}/members/{membership.pk}/sign-up-code")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"person_id", "display_name", "code", "code_url", "url", "expires_at"}
    assert "email" not in str(body)
    assert body["person_id"] == margaret.pk and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", body["code"])
    assert selectors.claim_for_code(body["code"]).person == margaret
    assert body["url"].startswith("http://testserver/claim/")
