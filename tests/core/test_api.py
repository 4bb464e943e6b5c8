"""The API's ground floor (coproduce.core.api): sign-in errors, the one error shape, the guard against values the
database cannot hold, explicit nulls in PATCH, and the OpenAPI document."""

from __future__ import annotations

import inspect
import json
import re

import pytest
from django.test import Client
from ninja import Schema
from tests.api_client import Api

from coproduce.people.models import Organisation, User
from coproduce.people.services import organisation_create
from coproduce.spaces.models import Space

API = "/api/v1"
HUGE = 2**63
ERROR_STATUSES = {"400", "401", "403", "404", "409", "422", "429"}


@pytest.fixture(autouse=True)
def _static_files_not_scanned(settings):
    settings.WHITENOISE_USE_FINDERS = False


@pytest.fixture
def document(db):
    return json.loads(Client().get(f"{API}/openapi.json").content)


# --- Point 18: who is calling ----------------------------------------------------------------------------------


def test_every_write_answers_401_with_a_message_to_someone_not_signed_in(document):
    wrong = []
    for path, operations in document["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path.removeprefix(API))
        for method in operations:
            if method == "get":
                continue
            response = Api().send(method, url, {})
            detail = json.loads(response.content).get("detail", "")
            if response.status_code != 401 or "Authorization: Bearer" not in detail:
                wrong.append(f"{method.upper()} {path}: {response.status_code} {detail}")
            elif response["WWW-Authenticate"] != "Bearer":
                wrong.append(f"{method.upper()} {path}: no WWW-Authenticate")
    assert not wrong, "\n".join(wrong)


def test_a_signed_in_browser_session_still_needs_its_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member, backend="coproduce.people.backends.ModelBackend")
    response = client.post(
        f"{API}/spaces", data={"title": "x", "purpose": "y"}, content_type="application/json"
    )
    assert response.status_code == 403 and not Space.objects.filter(title="x").exists()


def test_a_wrong_token_is_a_401_that_says_so(db):
    response = Api(raw="cp_nonsense").get("/me")
    assert response.status_code == 401 and "not valid" in response.json()["detail"]


def test_request_errors_name_the_field_as_sent(member):
    response = Api(member).post("/spaces", {"title": "x" * 121, "purpose": "Why"})
    assert response.status_code == 422
    assert list(response.json()["detail"]) == ["title"], response.content
    response = Api().get("/spaces/anything/ideas?limit=many")
    assert response.status_code == 422 and list(response.json()["detail"]) == ["limit"]


# --- Point 4: values the database cannot hold -------------------------------------------------------------------


@pytest.mark.parametrize("param", ["offset", "limit"])
@pytest.mark.parametrize("listing", ["ideas", "actions"])
def test_list_offsets_and_limits_beyond_64_bits_are_refused_for_anyone(space, param, listing):
    response = Api().get(f"/spaces/{space.slug}/{listing}?{param}={HUGE}")
    assert response.status_code == 422 and param in response.json()["detail"], response.content
    assert Api().get(f"/spaces/{space.slug}/{listing}?{param}={-HUGE - 1}").status_code == 422


def test_ids_beyond_64_bits_in_a_path_are_refused(member):
    for path in (f"/meetings/{HUGE}", f"/ideas/{HUGE}", f"/timebank/accounts/{HUGE}", f"/budgets/{HUGE}"):
        response = Api(member).get(path)
        assert response.status_code == 422, (path, response.content)


@pytest.mark.parametrize("text", ["\x00", "a\x00b"])
def test_nul_characters_in_a_query_are_refused_for_anyone(db, text):
    response = Client().get(f"{API}/spaces", {"q": text})
    assert response.status_code == 422 and "q" in response.json()["detail"]


def test_nul_characters_in_a_path_or_a_body_are_refused_and_nothing_is_written(space, member):
    assert Api().get("/spaces/a%00b").status_code == 422
    response = Api(member).post("/spaces", {"title": "Nul\x00title", "purpose": "Why"})
    assert response.status_code == 422 and "title" in response.json()["detail"]
    response = Api(member).patch("/me", {"bio": "ok", "skills": ["a\x00"]})
    assert response.status_code == 422 and "skills.0" in response.json()["detail"]
    member.refresh_from_db()
    assert member.bio == "" and not Space.objects.filter(title__startswith="Nul").exists()


def test_a_database_error_about_the_data_is_a_400_not_a_server_error(member, monkeypatch):
    from django.db import DataError

    from coproduce.people import api as people_api

    def refuse(**kwargs):
        raise DataError("value out of range")

    monkeypatch.setattr(people_api.services, "profile_update", refuse)
    response = Api(member).patch("/me", {"bio": "hello"})
    assert response.status_code == 400 and "out of range" in response.json()["detail"]


# --- Point 4: explicit null in PATCH ------------------------------------------------------------------------------


def test_null_clears_profile_text_and_lists_but_not_a_name_or_a_choice(member):
    member.bio = "Carer"
    member.save()
    response = Api(member).patch("/me", {"bio": None, "skills": None})
    assert response.status_code == 200, response.content
    assert response.json()["bio"] == "" and response.json()["skills"] == []
    for field in ("display_name", "contact_preference"):
        response = Api(member).patch("/me", {field: None, "pronouns": "she/her"})
        assert response.status_code == 422 and field in response.json()["detail"], response.content
    member.refresh_from_db()
    assert member.display_name == "Lena Lived" and member.pronouns == ""


def test_null_clears_a_space_place_organisations_and_a_stage_summary(space, host):
    org = organisation_create(actor=host, name="Open Door", kind="charity")
    space.organisations.add(org)
    response = Api(host).patch(f"/spaces/{space.slug}", {"place": None, "organisations": None})
    assert response.status_code == 200, response.content
    assert response.json()["place"] == "" and response.json()["organisations"] == []
    stage = response.json()["stages"][0]["kind"]
    response = Api(host).patch(f"/spaces/{space.slug}/stages/{stage}", {"summary": None})
    assert response.status_code == 200 and response.json()["summary"] == ""
    for body in ({"title": None}, {"visibility": None}):
        assert Api(host).patch(f"/spaces/{space.slug}", body).status_code == 422


def test_null_clears_an_organisation_place_and_description(host):
    org = organisation_create(actor=host, name="Open Door", kind="charity", place="Paisley", description="Hi")
    response = Api(host).patch(f"/organisations/{org.slug}", {"place": None, "description": None})
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert org.place == "" and org.description == ""
    assert Api(host).patch(f"/organisations/{org.slug}", {"name": None}).status_code == 422
    assert Organisation.objects.get(pk=org.pk).name == "Open Door"


# --- Point 5: the OpenAPI document --------------------------------------------------------------------------------


def _schema_of(document, path, method="get", status="200"):
    content = document["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    ref = content.get("items", content)["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_the_space_member_list_is_documented_with_its_own_schema(document):
    members = _schema_of(document, f"{API}/spaces/{{slug}}/members")
    assert "safeguarding_note" not in members["properties"] and "role" in members["properties"]
    timebank = _schema_of(document, f"{API}/timebank/members")
    assert "safeguarding_note" in timebank["properties"]


def test_no_two_api_schemas_share_a_name():
    import coproduce.api  # noqa: F401 - imports every app's api module

    seen: dict[str, str] = {}
    clashes = []
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("coproduce."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append(f"{cls.__name__}: {seen[cls.__name__]} and {where}")
        seen.setdefault(cls.__name__, where)
    assert not clashes, clashes


def test_every_operation_documents_its_errors_with_the_one_error_schema(document):
    assert set(document["components"]["schemas"]["ErrorOut"]["properties"]) == {"detail"}
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ERROR_STATUSES:
                response = operation["responses"].get(status, {})
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                if schema.get("$ref") != "#/components/schemas/ErrorOut":
                    missing.append(f"{method.upper()} {path} {status}")
    assert not missing, missing


def test_the_docs_page_says_its_language(db):
    page = Client().get(f"{API}/docs").content.decode()
    assert re.search(r'<html lang="en', page), page[:200]


def test_apps_take_authentication_from_core():
    from coproduce import api as top

    source = inspect.getsource(top)
    assert "class TokenAuth" not in source and "exception_handler" not in source
    from coproduce.core import api as core

    assert "coproduce.people" not in "".join(
        line for line in inspect.getsource(core).splitlines() if line.startswith(("import", "from"))
    )


def test_a_person_for_the_token_is_found_through_the_setting(member, settings):
    from coproduce.core import api as core

    core._token_lookup.cache_clear()
    settings.COPRODUCE_API_TOKEN_LOOKUP = "tests.core.test_api._always_member"
    try:
        response = Api(raw="anything").get("/me")
        assert response.status_code == 200 and response.json()["display_name"] == "Lena Lived"
    finally:
        core._token_lookup.cache_clear()


def _always_member(token, ahead=None):
    return User.objects.get(display_name="Lena Lived")
