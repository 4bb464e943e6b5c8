"""Resources: who sees drafts, publishing, easy-read links on both pages, filters, the API (JSON and
multipart), the audit and the search's documents."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.api_client import Api

from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.resources import selectors, services
from coproduce.resources.models import Resource

from .conftest import HTML, PDF, png_bytes, stored_files, upload


def link(actor, title="Evaluation toolkit", **extra) -> Resource:
    extra.setdefault("summary", "How to measure what changed, step by step.")
    extra.setdefault("url", "https://example.org/toolkit")
    return services.resource_create(actor=actor, title=title, **extra)


@pytest.mark.parametrize(
    ("who", "draft_seen", "may_edit"),
    [
        ("member", 200, True),  # the author
        ("host", 404, False),
        ("outsider", 404, False),
        ("anonymous", 404, False),
        ("staff", 200, True),
    ],
)
def test_who_sees_a_draft_and_who_changes_it(persona, client_for, member, who, draft_seen, may_edit):
    resource = link(member)
    user = persona(who)
    assert client_for(user).get(f"/resources/{resource.pk}/").status_code == draft_seen
    if user is not None:
        edit = client_for(user).get(f"/resources/{resource.pk}/edit/").status_code
        assert edit == (200 if may_edit else 404)
    services.resource_publish(actor=member, resource=resource)
    assert client_for(user).get(f"/resources/{resource.pk}/").status_code == 200
    if user is not None and not may_edit:
        assert client_for(user).get(f"/resources/{resource.pk}/edit/").status_code == 403
        with pytest.raises(PermissionDenied):
            services.resource_edit(actor=user, resource=resource, title="Mine now")


def test_publishing_is_audited_once_and_told_to_search(member, django_capture_on_commit_callbacks):
    reindexed = []
    registry.register(
        registry.ModuleManifest(
            name="search-stub",
            label="s",
            description="",
            stages=(),
            hooks={"search_reindex": lambda k, p: reindexed.append((k, p))},
        )
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            resource = link(member)
            services.resource_publish(actor=member, resource=resource)
            services.resource_publish(actor=member, resource=resource)
    finally:
        registry.unregister("search-stub")
    assert AuditEvent.objects.filter(action="resource.published").count() == 1
    assert reindexed == [("resources.resource", [resource.pk])] * 2
    assert [d.pk for d in selectors.search_documents("resources.resource", None)] == [resource.pk]


def test_drafts_are_never_search_documents(member):
    link(member)
    assert list(selectors.search_documents("resources.resource", None)) == []
    assert list(selectors.search_documents("hub.post", None)) == []


def test_a_summary_is_required_and_short(member):
    with pytest.raises(ValidationError) as missing:
        link(member, summary="")
    assert "summary" in missing.value.message_dict
    with pytest.raises(ValidationError) as long:
        link(member, summary="x" * 301)
    assert "summary" in long.value.message_dict
    assert not Resource.objects.exists()


def test_easy_read_versions_link_both_ways(client_for, member):
    original = link(member)
    easy = link(member, title="Evaluation toolkit: easy read", easy_read_of=original)
    for r in (original, easy):
        services.resource_publish(actor=member, resource=r)
    original_page = client_for(None).get(f"/resources/{original.pk}/").content.decode()
    easy_page = client_for(None).get(f"/resources/{easy.pk}/").content.decode()
    assert f'href="/resources/{easy.pk}/"' in original_page and "Easy read" in original_page
    assert (
        "This is the easy-read version of" in easy_page and f'href="/resources/{original.pk}/"' in easy_page
    )
    with pytest.raises(ValidationError):
        link(member, title="Easy of easy", easy_read_of=easy)
    with pytest.raises(ValidationError):
        services.resource_edit(actor=member, resource=original, easy_read_of=original)


def test_filters_on_the_list(client_for, member):
    toolkit = link(member, tags="evaluation, Toolkit")
    guide = link(
        member, title="Housing guide", url="https://example.org/h", tags="housing", summary="Finding a home."
    )
    for r in (toolkit, guide):
        services.resource_publish(actor=member, resource=r)
    link(member, title="Draft thing")
    page = client_for(None).get("/resources/?tag=housing").content.decode()
    assert "Housing guide" in page and "Evaluation toolkit" not in page
    page = client_for(None).get("/resources/?words=measure").content.decode()
    assert "Evaluation toolkit" in page and "Housing guide" not in page
    assert "Draft thing" not in client_for(None).get("/resources/").content.decode()
    assert "Draft thing" in client_for(member).get("/resources/").content.decode()


def test_a_link_through_the_page(client_for, member):
    response = client_for(member).post(
        "/resources/new/",
        {
            "title": "Toolkit",
            "summary": "Measure what changed.",
            "url": "https://example.org/t",
            "tags": "a, A, b",
        },
    )
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/resources/{resource.pk}/"
    assert resource.tags == "a, b" and resource.status == "draft"
    empty = client_for(member).post("/resources/new/", {"title": "Nothing", "summary": "No link."})
    assert empty.status_code == 400 and "Give a link, or choose a file to upload." in empty.content.decode()


def test_the_api(member, outsider, media):
    api = Api(member)
    made = api.post(
        "/resources", {"title": "Toolkit", "summary": "Measure it.", "url": "https://example.org/t"}
    )
    assert made.status_code == 201, made.content
    rid = made.json()["id"]
    assert Api().get(f"/resources/{rid}").status_code == 404
    assert Api(outsider).patch(f"/resources/{rid}", {"title": "Mine"}).status_code == 404
    assert api.patch(f"/resources/{rid}", {"tags": "evaluation"}).json()["tags"] == ["evaluation"]
    assert api.post(f"/resources/{rid}/publish").json()["status"] == "published"
    assert [r["id"] for r in Api().get("/resources?tag=evaluation").json()] == [rid]

    uploaded = api.client.post(
        "/api/v1/resources/upload",
        {
            "title": "Poster",
            "summary": "The poster.",
            "file": upload("poster.png", png_bytes()),
            "easy_read_of_id": rid,
        },
        headers=api.headers,
    )
    assert uploaded.status_code == 201, uploaded.content
    body = uploaded.json()
    assert body["content_type"] == "image/png" and body["easy_read_of"] == rid
    assert body["download_url"] == f"/resources/{body['id']}/download/"

    refused = api.client.post(
        "/api/v1/resources/upload",
        {"title": "Report", "summary": "The report.", "file": upload("report.pdf", HTML)},
        headers=api.headers,
    )
    assert refused.status_code == 422
    assert "This file is not a PDF: it looks like HTML." in str(refused.json())
    assert Resource.objects.count() == 2 and len(stored_files(media)) == 1
    assert Api().post("/resources", {"title": "x", "summary": "y", "url": "https://e.org"}).status_code == 401


def test_hub_section_lists_published_resources(member):
    resource = link(member)
    assert selectors.hub_section(None).rows == ()
    services.resource_publish(actor=member, resource=resource)
    section = selectors.hub_section(None)
    assert section.title == "Resources" and [r.title for r in section.rows] == ["Evaluation toolkit"]


def test_pdf_upload_through_page_then_publish(client_for, member, media):
    response = client_for(member).post(
        "/resources/new/", {"title": "Guide", "summary": "A guide.", "file": upload("guide.pdf", PDF)}
    )
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert client_for(member).post(f"/resources/{resource.pk}/publish/").status_code == 302
    resource.refresh_from_db()
    assert resource.is_published
