from django.shortcuts import render

from coproduce.spaces import selectors as space_selectors
from coproduce.spaces.models import StageKind


def home(request):
    spaces = space_selectors.space_directory(request.user)
    # A space between stages (one closed, the next not yet open) is still under way: show it, marked as such,
    # rather than let it vanish the moment a host closes a stage.
    active = [s for s in spaces[:12] if s.phase.is_active] or list(spaces[:6])
    return render(request, "core/home.html", {"spaces": active[:6], "stages": StageKind.choices})


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
