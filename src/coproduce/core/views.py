from django.shortcuts import render

from coproduce.spaces import selectors as space_selectors
from coproduce.spaces.models import StageKind


def home(request):
    spaces = space_selectors.space_directory(request.user)
    open_spaces = [s for s in spaces[:12] if any(stage.status == "open" for stage in s.stages.all())] or list(
        spaces[:6]
    )
    return render(request, "core/home.html", {"spaces": open_spaces[:6], "stages": StageKind.choices})


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
