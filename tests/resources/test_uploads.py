"""Every upload check: the type comes from the content, never the name; a size limit with a plain message;
safe names; and a refused file leaves nothing behind (no row, no file on disk). Then the served headers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from coproduce.core.models import AuditEvent
from coproduce.lib import filetypes
from coproduce.resources import services
from coproduce.resources.models import Resource

from .conftest import HTML, PDF, docx_bytes, odt_bytes, png_bytes, stored_files, upload, zipped


def add(actor, name: str, data: bytes) -> Resource:
    return services.resource_create(
        actor=actor, title="Guide", summary="A short guide.", upload=upload(name, data)
    )


@pytest.mark.parametrize(
    ("name", "data", "content_type", "extension"),
    [
        ("guide.pdf", PDF, "application/pdf", "pdf"),
        ("photo.png", png_bytes(), "image/png", "png"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg", "jpg"),
        ("anim.gif", b"GIF89a" + b"\x00" * 20, "image/gif", "gif"),
        ("pic.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp", "webp"),
        (
            "report.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        ("report.odt", odt_bytes(), "application/vnd.oasis.opendocument.text", "odt"),
        # The content decides: a PNG named .jpg is stored and served as the PNG it is.
        ("photo.jpg", png_bytes(), "image/png", "png"),
    ],
)
def test_accepted_files_are_typed_from_their_content(member, media, name, data, content_type, extension):
    resource = add(member, name, data)
    assert resource.content_type == content_type
    assert resource.file_name.endswith(f".{extension}")
    assert len(stored_files(media)) == 1
    assert AuditEvent.objects.filter(action="resource.created").count() == 1


def test_html_named_pdf_is_refused_and_nothing_is_saved(member, media):
    with pytest.raises(ValidationError) as refused:
        add(member, "report.pdf", HTML)
    assert refused.value.message_dict["file"] == [
        "This file is not a PDF: it looks like HTML. Upload a PDF, Word, OpenDocument or image file."
    ]
    assert not Resource.objects.exists()
    assert stored_files(media) == []
    assert not AuditEvent.objects.filter(action="resource.created").exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "report.docx",
            zipped({"notes.txt": b"hello"}),
            "This file is not a Word document: it looks like a zip archive that is not a Word or OpenDocument file.",
        ),
        (
            "report.odt",
            zipped({"mimetype": b"application/zip"}),
            "This file is not an OpenDocument text: it looks like a zip archive",
        ),
        ("photo.png", b"MZ\x90\x00", "This file is not a PNG image: it looks like a program."),
        (
            "picture.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "This is not a file we accept: it looks like an SVG image.",
        ),
        ("page.html", HTML, "This is not a file we accept: it looks like HTML."),
        ("empty.pdf", b"", "This file is not a PDF: it looks like an empty file."),
    ],
)
def test_spoofed_and_unaccepted_files_are_refused(member, media, name, data, message):
    with pytest.raises(ValidationError) as refused:
        add(member, name, data)
    assert refused.value.message_dict["file"][0].startswith(message)
    assert not Resource.objects.exists() and stored_files(media) == []


def test_an_oversized_file_is_refused_with_its_size(member, media, settings):
    settings.RESOURCE_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    big = PDF + b"0" * (14 * 1024 * 1024 - len(PDF))
    with pytest.raises(ValidationError) as refused:
        add(member, "big.pdf", big)
    assert refused.value.message_dict["file"] == ["This file is 14 MB; the limit is 10 MB."]
    assert not Resource.objects.exists() and stored_files(media) == []


def test_a_file_just_over_the_limit_never_reads_as_the_limit():
    assert filetypes.size_in_mb(10 * 1024 * 1024 + 1) == "10.1"
    assert filetypes.size_in_mb(10 * 1024 * 1024) == "10"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\évaluation finale.PDF", "evaluation-finale.pdf"),
        ("Ünïcödé 報告.pdf", "unicode.pdf"),
        ("報告.pdf", "file.pdf"),
        (".pdf", "file.pdf"),
    ],
)
def test_file_names_are_made_safe(member, media, name, expected):
    resource = add(member, name, PDF)
    assert resource.file_name == expected
    stored = resource.file.name
    assert stored.startswith("resources/") and stored.endswith(f"-{expected}")
    assert ".." not in stored and "\\" not in stored
    (path,) = stored_files(media)
    assert path.resolve().is_relative_to(media.resolve())


def test_a_file_is_served_as_an_attachment_with_its_stored_type(client_for, member, media):
    resource = add(member, "../page.pdf", PDF)
    services.resource_publish(actor=member, resource=resource)
    response = client_for(None).get(f"/resources/{resource.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="page.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_draft_file_is_not_served_to_others(client_for, member, outsider, media):
    resource = add(member, "guide.pdf", PDF)
    assert client_for(outsider).get(f"/resources/{resource.pk}/download/").status_code == 404
    assert client_for(None).get(f"/resources/{resource.pk}/download/").status_code == 404
    assert client_for(member).get(f"/resources/{resource.pk}/download/").status_code == 200


def test_the_upload_page_refuses_a_spoofed_file_keeping_the_form(client_for, member, media):
    response = client_for(member).post(
        "/resources/new/",
        {
            "title": "Guide",
            "summary": "A short guide.",
            "file": upload("guide.pdf", HTML),
            "tags": "evaluation",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This file is not a PDF: it looks like HTML." in page
    assert 'value="Guide"' in page
    assert not Resource.objects.exists() and stored_files(media) == []


def test_deleting_a_file_resource_removes_the_file(member, media, django_capture_on_commit_callbacks):
    resource = add(member, "guide.pdf", PDF)
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_delete(actor=member, resource=resource)
    assert stored_files(media) == []
