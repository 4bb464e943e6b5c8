"""Uploaded files are never served as a page of the site: no URL serves the uploads folder, and every model's
file field is served by one view that sends a safe type, nosniff and a sandbox (an attachment, or a raster
image). A new file field fails here until it says how it is served. The resources' own download is tested in
tests/resources/test_uploads.py (an attachment with its stored type; HTML and SVG refused on upload)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.urls import Resolver404, resolve
from tests.budgets.conftest import add_projects, make_budget

# (app label, model, field) -> the URL name of the view that serves it (and tests that prove how).
SERVED_BY = {
    ("resources", "resource", "file"): "resources:download",  # tests/resources/test_uploads.py
    ("budgets", "project", "image"): "budgets:project_image",  # below
}


def test_every_file_field_is_served_by_a_known_view():
    fields = {
        (model._meta.app_label, model._meta.model_name, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert fields == set(SERVED_BY), (
        "A file field must be served by a view that sends it as an attachment (or a raster image type), "
        "with nosniff and a sandbox: add it to SERVED_BY in tests/core/test_uploads_served.py with its test"
    )


def test_no_url_serves_the_uploads_folder():
    for path in ("x.html", "resources/x.svg", "budgets/x.png"):
        with pytest.raises(Resolver404):
            resolve(f"{settings.MEDIA_URL}{path}")


HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


def test_a_project_image_that_is_really_html_is_never_a_page(
    settings, tmp_path, client_for, space, host, member
):
    settings.MEDIA_ROOT = tmp_path
    budget = make_budget(space, host)
    (project,) = add_projects(budget, member, host, [Decimal("100")])
    # Stored as it is, past the upload check (which would refuse it): as if it had got there another way.
    project.image.save("photo.png", ContentFile(HTML), save=False)
    type(project).objects.filter(pk=project.pk).update(image=project.image.name, image_description="A photo")
    response = client_for(member).get(
        f"/spaces/{space.slug}/budgets/{budget.pk}/projects/{project.pk}/image/"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
