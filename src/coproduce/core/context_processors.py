from django.conf import settings
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.http import url_has_allowed_host_and_scheme


def site(request):
    # Worked out only when a page shows it (the header, to someone not signed in).
    return {"network_name": settings.NETWORK_NAME, "return_to": _lazy_return_to(request)}


def _return_to(request) -> str:
    """Where "Sign in" and "Register" in the header bring people back to: the page they were on, or, on the
    sign-in and register pages themselves, the page those were asked to return to."""
    if request.method != "GET":
        return ""
    accounts = reverse("account_login").rsplit("/", 2)[0] + "/"
    if not request.path.startswith(accounts):
        return request.get_full_path()
    wanted = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=False)
    return wanted if wanted and safe else ""


_lazy_return_to = lazy(_return_to, str)
