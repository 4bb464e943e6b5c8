"""Pages every app shares: the error pages, and showing a service's ValidationError on a form.

The home page is the spaces app's (spaces/views/home.py): core imports nothing from the apps above it."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def healthz(request):
    """For a load balancer or a monitor: the process answers. Touches neither the database nor the session,
    so it stays up while they are slow (and is the baseline that bench/load.py measures pages against)."""
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "core/403.html", {"reason": str(exception or "")}, status=403)


def apply_errors(form, error, default_field: str | None = None) -> None:
    """Show a service's ValidationError on the form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(default_field if default_field in form.fields else None, error.messages)
