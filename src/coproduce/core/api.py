"""The API's ground floor: who is calling, the one error shape, and the guard every operation passes.

Apps build their routers with `AUTH` (signed in) or `PUBLIC` (anyone may read) from here;
`coproduce/api.py` builds the `CoproduceAPI` and adds the routers. Core imports no capability app: the API
token is looked up through the dotted path in the `COPRODUCE_API_TOKEN_LOOKUP` setting (by default the people
app's `user_for_api_token`), imported on first use: it is called with the token and `ahead=`, what the
operation reads first (core/ahead.py), which it may ignore.

Every error answers `{"detail": ...}` (`ErrorOut`): a sentence, or sentences by the field *as it was sent*
(`confirm_eligibility`, not the service's `confirm`). Every operation passes `guard`:
- numbers outside what the database stores (64-bit) and text with a NUL character are refused with 422
  before the view runs, wherever they come from (path, query or body);
- the whole operation runs in one transaction, so a refused or failed request writes nothing (reads, which
  write nothing, run without one);
- a database error about the data itself (a value out of range, a character the database refuses) is a
  400 with a message, never a server error.

`null` in a PATCH body (`PatchSchema`): clears a text field that may be blank (to "") and a list (to []);
leaves `null` for dates and numbers, which the model accepts where the field is optional and refuses with a
message where it is not; and is refused with 422 for a text field that may not be empty, a choice or a yes/no.
Leave a field out to keep its value.
"""

from __future__ import annotations

import enum
import functools
import logging
import types
import typing
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, transaction
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.openapi.docs import Swagger
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from pydantic import BaseModel, field_validator

from . import ahead, ratelimit
from .errors import Conflict, Refused

logger = logging.getLogger(__name__)

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
ERROR_STATUSES = {
    400: "The request cannot be read, or a value is out of range",
    401: "Not signed in: send `Authorization: Bearer <token>`",
    403: "Signed in, but you may not do this",
    404: "Not found, or not yours to see",
    409: "It conflicts with the current state",
    422: "A value is not valid; the messages name the field as sent",
    429: "Too many requests; try again later",
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_TOKEN_LOOKUP = "coproduce.people.services.user_for_api_token"  # noqa: S105 - a dotted path


class ErrorOut(Schema):
    """Every error the API answers."""

    detail: str | dict[str, list[str]] = Field(
        ..., description="What went wrong: one sentence, or sentences by the field as it was sent"
    )


# --- Who is calling ------------------------------------------------------------------------------------------


@functools.cache
def _token_lookup():
    return import_string(getattr(settings, "COPRODUCE_API_TOKEN_LOOKUP", DEFAULT_TOKEN_LOOKUP))


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cp_...` with a token made on the "API tokens" page."""

    def authenticate(self, request, token):
        # Guessing tokens from one address stops at its limit, before any lookup (core/ratelimit.py).
        ratelimit.consume(request, "token_failed", dry_run=True)
        # What the operation reads first is asked with the token when its person can be guessed (core/ahead.py).
        user = _token_lookup()(token, ahead=ahead.planned(request))
        if user is None:
            ratelimit.consume(request, "token_failed")
            # A wrong token is an error, not a silent fall-back to anonymous access.
            raise AuthenticationError(401, _("This API token is not valid. Make a new one on your profile."))
        ratelimit.consume(request, "token", user=user)
        request.user = user
        request.auth_by_token = True  # core/shared.py: no session to note this person's changes in
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser session. Checks CSRF only for someone signed in: a person not signed in is told so (401),
    not "CSRF check Failed"."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class Anonymous(APIKeyHeader):
    """Lets a request with no credentials through as an anonymous person (public reads only)."""

    param_name = "X-Anonymous"  # never sent; used only to appear in the OpenAPI document

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None
        if request.user.is_authenticated:
            return None  # a session must pass SessionAuth, which checks CSRF on writes
        return AnonymousUser()

    def authenticate(self, request, key):  # pragma: no cover - __call__ decides
        return None


AUTH = [TokenAuth(), SessionAuth()]
PUBLIC = [TokenAuth(), SessionAuth(), Anonymous()]


# --- PATCH bodies ----------------------------------------------------------------------------------------------


def _without_none(annotation):
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(annotation) if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


class PatchSchema(Schema):
    """A PATCH body: fields left out keep their value; an explicit `null` is read as the module says."""

    @field_validator("*", mode="after")
    @classmethod
    def _explicit_null(cls, value, info):
        if value is not None:
            return value
        field = cls.model_fields[info.field_name]
        kind = _without_none(field.annotation)
        origin = typing.get_origin(kind) or kind
        if origin is str:
            if any(getattr(m, "min_length", 0) for m in field.metadata):
                raise ValueError(_("This cannot be empty. Leave it out to keep it as it is."))
            return ""
        if origin is list:
            return []
        if isinstance(origin, type) and issubclass(origin, bool | enum.Enum):
            raise ValueError(_("Choose a value, or leave it out to keep it as it is."))
        return None


# --- The guard every operation passes ------------------------------------------------------------------------


def _scan(value, name: str, problems: dict[str, list[str]]) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            problems.setdefault(name, []).append(_("This number is too large."))
    elif isinstance(value, str):
        if "\x00" in value:
            problems.setdefault(name, []).append(
                _("This text contains a NUL character, which is not allowed.")
            )
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            _scan(getattr(value, field), f"{name}.{field}" if name else field, problems)
    elif isinstance(value, list | tuple | set):
        for i, item in enumerate(value):
            _scan(item, f"{name}.{i}", problems)
    elif isinstance(value, dict):
        for key, item in value.items():
            _scan(key, name, problems)
            _scan(item, f"{name}.{key}", problems)


def _sent_fields(values: dict) -> set[str]:
    fields: set[str] = set()
    for name, value in values.items():
        if isinstance(value, BaseModel):
            fields.update(type(value).model_fields)
        else:
            fields.add(name)
    return fields


def _renames(values: dict) -> dict[str, str]:
    renames: dict[str, str] = {}
    for value in values.values():
        renames.update(getattr(type(value), "error_fields", {}))
    return renames


def as_sent(error: ValidationError, values: dict) -> ValidationError:
    """The same errors, keyed by the fields as the caller sent them.

    A key that is not a field sent is renamed by the input schema's `error_fields`, or else to the one sent
    field that starts with it (`confirm` → `confirm_eligibility`, `owner` → `owner_id`,
    `min_balance` → `min_balance_minutes`)."""
    if not hasattr(error, "error_dict"):
        return error
    sent, renames = _sent_fields(values), _renames(values)
    out: dict[str, list] = {}
    for key, messages in error.error_dict.items():
        name = key
        if key in renames:
            name = renames[key]
        elif key not in sent and key != "__all__":
            candidates = [f for f in sent if f.startswith(f"{key}_")]
            if len(candidates) == 1:
                name = candidates[0]
        out.setdefault(name, []).extend(messages)
    return type(error)(out)  # a Refused or a Conflict stays one


def guard(view_func):
    @functools.wraps(view_func)
    def guarded(request, *args, **values):
        problems: dict[str, list[str]] = {}
        for name, value in values.items():
            _scan(value, "" if isinstance(value, BaseModel) else name, problems)
        if problems:
            raise ValidationError(problems)
        try:
            if request.method in SAFE_METHODS:
                # A read needs no transaction: on SQLite (BEGIN IMMEDIATE) one would take the database's write
                # lock, so every API read waited for every write and for every other read (bench/load.py).
                return view_func(request, *args, **values)
            with transaction.atomic():
                return view_func(request, *args, **values)
        except ValidationError as error:
            raise as_sent(error, values) from None

    return guarded


# --- Errors ----------------------------------------------------------------------------------------------------


def _messages(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def _field(loc: tuple) -> str:
    """ninja's error location ("body", "payload", "choices", 0) as the field sent ("choices.0")."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]  # the name of the view's argument, which nobody sends
    return ".".join(parts) or "__all__"


def _request_messages(errors: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in errors:
        ctx_error = (error.get("ctx") or {}).get("error")
        message = error.get("msg", "")
        if ctx_error and error.get("type") == "value_error":
            message = str(ctx_error)
        out.setdefault(_field(tuple(error.get("loc", ()))), []).append(message)
    return out


class CoproduceDocs(Swagger):
    """The /docs page, with the page language set (ninja's own template has none)."""

    template = "core/api_docs.html"


class CoproduceAPI(NinjaAPI):
    """A NinjaAPI with the one error shape, the guard on every operation, and the errors documented."""

    error_statuses: ClassVar[dict[int, str]] = ERROR_STATUSES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("docs", CoproduceDocs())
        super().__init__(*args, **kwargs)
        self.add_decorator(guard, mode="operation")
        self.add_exception_handler(ValidationError, self._validation_error)
        self.add_exception_handler(RequestValidationError, self._request_validation_error)
        self.add_exception_handler(PermissionDenied, self._permission_denied)
        self.add_exception_handler(Refused, self._refused)
        self.add_exception_handler(Conflict, self._conflict)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(AuthenticationError, self._not_signed_in)
        self.add_exception_handler(HttpError, self._http_error)
        self.add_exception_handler(DataError, self._bad_data)
        self.add_exception_handler(OverflowError, self._bad_data)
        self.add_exception_handler(ratelimit.RateLimited, self._rate_limited)

    def _error(self, request, detail, status: int):
        return self.create_response(request, {"detail": detail}, status=status)

    def _validation_error(self, request, exc):
        return self._error(request, _messages(exc), 422)

    def _request_validation_error(self, request, exc):
        return self._error(request, _request_messages(exc.errors), 422)

    def _refused(self, request, exc):
        """Acting for someone one may not act for: forbidden, with the reason by the field as sent."""
        return self._error(request, _messages(exc), 403)

    def _conflict(self, request, exc):
        """What the person did themself stands in the way (they voted online): a plain message."""
        return self._error(request, " ".join(str(m) for m in exc.messages), 409)

    def _permission_denied(self, request, exc):
        return self._error(request, str(exc) or _("You may not do this."), 403)

    def _not_found(self, request, exc):
        return self._error(request, _("Not found."), 404)

    def _not_signed_in(self, request, exc):
        message = exc.message if exc.message != "Unauthorized" else ""
        response = self._error(
            request,
            message
            or _(
                "Sign in first: send the header `Authorization: Bearer <token>` with a token from your profile."
            ),
            401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    def _http_error(self, request, exc):
        return self._error(request, str(exc.message), exc.status_code)

    def _rate_limited(self, request, exc):
        response = self._error(request, exc.message, 429)
        response["Retry-After"] = str(exc.retry_after)
        return response

    def _bad_data(self, request, exc):
        logger.warning("API request refused by the database: %s", exc)
        return self._error(
            request, _("A value is out of range or contains a character that is not allowed."), 400
        )

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for status, description in self.error_statuses.items():
                    responses.setdefault(status, {"description": description, **error})
        return schema
