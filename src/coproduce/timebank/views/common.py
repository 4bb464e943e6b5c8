"""What the timebank's pages share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from coproduce.core.views import apply_errors


def csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def show_errors(form: forms.Form, error: ValidationError, default_field: str | None = None) -> None:
    """Show a service's errors on the form; services say `minutes`, forms ask for `hours`."""
    if hasattr(error, "error_dict"):
        renamed = {
            ("hours" if name == "minutes" else name): messages
            for name, messages in error.message_dict.items()
        }
        error = ValidationError(renamed)
    apply_errors(form, error, default_field)
