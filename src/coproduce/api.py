"""The REST API at /api/v1/: token authentication (or the browser session), the same access rules
and services as the web pages."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from coproduce.people.services import user_for_api_token
from coproduce.spaces.access import Conflict, Refused


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cp_...` with a token made on the "API tokens" page."""

    def authenticate(self, request, token):
        user = user_for_api_token(token)
        if user is None:
            # A wrong token is an error, not a silent fall-back to anonymous access.
            raise AuthenticationError
        request.user = user
        return user


class Anonymous(APIKeyHeader):
    """Lets a request with no credentials through as an anonymous person (public reads only)."""

    param_name = "X-Anonymous"  # never sent; used only to appear in the OpenAPI document

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None
        if request.user.is_authenticated:
            return None  # a session must pass django_auth, which checks CSRF on writes
        return AnonymousUser()

    def authenticate(self, request, key):  # pragma: no cover - __call__ decides
        return None


AUTH = [TokenAuth(), django_auth]
PUBLIC = [TokenAuth(), django_auth, Anonymous()]

api = NinjaAPI(
    title="coproduce API",
    version="1",
    description="Spaces, memberships, stages, organisations and your own profile. "
    "Authenticate with `Authorization: Bearer <token>` (make a token on your profile page).",
    auth=AUTH,
    urls_namespace="api",
)


def _messages(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return api.create_response(request, {"detail": _messages(exc)}, status=422)


@api.exception_handler(Refused)
def refused(request, exc):
    """Acting for someone one may not act for: forbidden, with the field and the reason."""
    return api.create_response(request, {"detail": _messages(exc)}, status=403)


@api.exception_handler(Conflict)
def conflict(request, exc):
    """What the person did themself stands in the way (they voted online): a plain message."""
    return api.create_response(request, {"detail": " ".join(str(m) for m in exc.messages)}, status=409)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "You may not do this."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


from coproduce.people.api import router as people_router  # noqa: E402
from coproduce.spaces.api import router as spaces_router  # noqa: E402

api.add_router("/", people_router)
api.add_router("/spaces", spaces_router)

from coproduce.timebank.api import router as timebank_router  # noqa: E402

api.add_router("/timebank", timebank_router)

from coproduce.actions.api import router as actions_router  # noqa: E402
from coproduce.ideas.api import router as ideas_router  # noqa: E402
from coproduce.meetings.api import router as meetings_router  # noqa: E402

api.add_router("/", ideas_router)
api.add_router("/", meetings_router)
api.add_router("/", actions_router)

from coproduce.budgets.api import router as budgets_router  # noqa: E402

api.add_router("/", budgets_router)
