"""Schemathesis over /api/v1/openapi.json, through the Django WSGI app (no server): as an anonymous person and
as a signed-in member with a token. No answer may be a server error, and every answer must be one the document
describes (status, content type and body)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coproduce.people.services import api_token_create

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _load():
    from coproduce.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


# Loaded when the module is collected: the document needs no database. The coverage phase (hundreds of
# boundary cases per operation) is off to keep the run to a minute or two per database; fuzzing still sends
# invalid data as well as valid, and tests/core/test_api.py holds the boundary cases that matter here.
schema = _load()
schema.config.phases.coverage.enabled = False
# Anonymous writes all stop at sign-in (tests/core/test_api.py checks each is a 401): read operations only.
public_reads = schema.include(method="GET")


@pytest.fixture
def member_token(space, member):
    return api_token_create(actor=member, name="schemathesis")[1]


@pytest.fixture(autouse=True)
def _static_files_not_scanned(settings):
    settings.WHITENOISE_USE_FINDERS = False


@pytest.fixture(autouse=True)
def _connection_kept_for_the_test():
    """The real WSGI handler closes a connection that is inside a transaction when a request ends, which would
    end the test's transaction on PostgreSQL; Django's test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


RUN = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.django_db
@public_reads.parametrize()
@RUN
def test_api_as_anonymous(case, space):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@RUN
def test_api_as_member(case, member_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {member_token}"}, checks=CHECKS)
