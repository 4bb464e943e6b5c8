from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login

from .. import access


def hub_reader(view):
    """Anyone when the hub is public; otherwise people signed in (others are sent to sign in)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.can_read(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
