"""Telling people about what happens in spaces, through the notifications app's "notify" hook.

`spaces` sits below `notifications` and so does not import it (docs/ARCHITECTURE.md): the hook is
`notifications.services.notify`, called in the caller's transaction, after the write. On a site without the
notifications app (the hook is None) nobody is told and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from coproduce.core import registry
from coproduce.people.models import User

from ..models import Membership, Role, Space


def tell(
    *, kind: str, recipients: Iterable[User], params: dict[str, Any], url: str, key: str, **extra: Any
) -> None:
    notify = registry.hook("notify")
    if notify is not None:
        notify(kind=kind, recipients=list(recipients), params=params, url=url, key=key, **extra)


def hosts(space: Space) -> list[User]:
    return [m.user for m in Membership.objects.filter(space=space, role=Role.HOST).select_related("user")]


def members(space: Space) -> list[User]:
    return [m.user for m in Membership.objects.filter(space=space).select_related("user")]
