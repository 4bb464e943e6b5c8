"""Case studies: drafting from a space's records (through the registry only), who sees drafts, the publish
flow, filters, contacting the author without an email, the API, the audit and the search's documents."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.api_client import Api

from coproduce.casestudies import selectors, services
from coproduce.casestudies.drafting import draft_from_space
from coproduce.casestudies.models import CaseStudy
from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.notifications.models import Notification
from coproduce.people.models import Organisation


def write(actor, title="Peer support in Paisley", **extra) -> CaseStudy:
    extra.setdefault("what_happened", "People with lived experience ran the drop-in.")
    extra.setdefault("what_changed", "Waiting times halved.")
    return services.case_study_create(actor=actor, title=title, **extra)


def test_a_draft_from_a_space_s_records(filled, space, host, member):
    draft = draft_from_space(space, host)
    assert draft.facts["members"] == 4
    assert draft.facts["said"]["ideas.idea"] == 3
    assert draft.facts["decisions"] == 1
    assert draft.facts["actions"] == 2
    assert draft.facts["quality_level"]
    assert draft.place == "Paisley"
    assert {"lived_experience", "practitioner", "facilitator"} <= set(draft.perspectives)
    assert "Open on Saturdays." in draft.what_happened
    assert "Co-production quality check" in draft.evidence
    assert "quality check places the space at" in draft.what_changed
    # It names no one.
    for person in ("Lena Lived", "Hana Host", "Fergus Facilitator", "Pat"):
        assert person not in draft.what_happened + draft.what_changed + draft.evidence


def test_the_host_drafts_edits_and_publishes(
    filled, client_for, space, host, member, django_capture_on_commit_callbacks
):
    host_client = client_for(host)
    assert host_client.get(f"/case-studies/from-space/{space.slug}/").status_code == 200
    response = host_client.post(f"/case-studies/from-space/{space.slug}/")
    case_study = CaseStudy.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/case-studies/{case_study.pk}/edit/"
    assert case_study.generated and case_study.space == space and case_study.author == host
    assert case_study.status == "draft" and case_study.licence == "cc_by"
    # A draft: the public and members do not see it.
    assert client_for(None).get(f"/case-studies/{case_study.pk}/").status_code == 404
    assert client_for(member).get(f"/case-studies/{case_study.pk}/").status_code == 404
    edit = host_client.get(f"/case-studies/{case_study.pk}/edit/")
    assert edit.status_code == 200 and "made from the space&#x27;s records" in edit.content.decode()
    assert host_client.post(f"/case-studies/{case_study.pk}/publish/").status_code == 302
    case_study.refresh_from_db()
    assert case_study.is_published
    assert client_for(None).get(f"/case-studies/{case_study.pk}/").status_code == 200
    assert "Case study: Drop-in redesign" in client_for(None).get("/case-studies/").content.decode()
    assert AuditEvent.objects.filter(action="casestudy.created").count() == 1
    assert AuditEvent.objects.filter(action="casestudy.published").count() == 1


@pytest.mark.parametrize("who", ["facilitator", "member", "outsider"])
def test_only_hosts_draft_from_a_space(persona, client_for, space, who):
    response = client_for(persona(who)).post(f"/case-studies/from-space/{space.slug}/")
    assert response.status_code == 403
    assert not CaseStudy.objects.exists()


def test_the_space_page_offers_the_draft_to_hosts_only(space, host, member):
    stage = space.stages.get(kind="co_assessment")
    assert [i.title for i in selectors.items_for_stage(stage, host)] == ["Draft a case study from this space"]
    assert selectors.items_for_stage(stage, member) == []


@pytest.mark.parametrize(
    ("who", "draft_seen", "may_edit"),
    [
        ("member", 200, True),  # the author
        ("host", 404, False),  # not from their space
        ("outsider", 404, False),
        ("anonymous", 404, False),
        ("staff", 200, True),
    ],
)
def test_who_sees_a_draft_and_who_changes_it(persona, client_for, member, who, draft_seen, may_edit):
    case_study = write(member)
    user = persona(who)
    assert client_for(user).get(f"/case-studies/{case_study.pk}/").status_code == draft_seen
    services.case_study_publish(actor=member, case_study=case_study)
    assert client_for(user).get(f"/case-studies/{case_study.pk}/").status_code == 200
    if user is not None:
        assert client_for(user).get(f"/case-studies/{case_study.pk}/edit/").status_code == (
            200 if may_edit else 403
        )
    if user is not None and not may_edit:
        with pytest.raises(PermissionDenied):
            services.case_study_edit(actor=user, case_study=case_study, title="Mine now")


def test_hosts_of_the_space_see_its_drafts(space, host, member, client_for):
    case_study = write(member, space=space)
    assert client_for(host).get(f"/case-studies/{case_study.pk}/").status_code == 200


def test_publishing_needs_what_happened_and_what_changed(member):
    case_study = write(member, what_changed="")
    with pytest.raises(ValidationError):
        services.case_study_publish(actor=member, case_study=case_study)
    case_study.refresh_from_db()
    assert case_study.status == "draft"


def test_edits_are_audited_with_what_changed(member):
    case_study = write(member)
    services.case_study_edit(
        actor=member, case_study=case_study, title="New title", stages=["co_delivery", "co_design"]
    )
    case_study.refresh_from_db()
    assert case_study.stages == ",co_design,co_delivery,"
    event = AuditEvent.objects.get(action="casestudy.edited")
    assert set(event.changes) == {"title", "stages"}
    with pytest.raises(ValidationError):
        services.case_study_edit(actor=member, case_study=case_study, stages=["co_dreaming"])


def test_filters(client_for, member):
    one = write(
        member,
        place="Paisley",
        topics="mental health, peer support",
        stages=["co_design"],
        perspectives=["lived_experience"],
        what_changed="Waiting times halved.",
    )
    two = write(
        member,
        title="Housing repairs in Govan",
        place="Govan",
        topics="housing",
        stages=["co_delivery"],
        perspectives=["carer"],
        what_changed="Repairs done sooner.",
    )
    for c in (one, two):
        services.case_study_publish(actor=member, case_study=c)
    write(member, title="Still a draft")

    def titles(query: str) -> list[str]:
        page = client_for(None).get(f"/case-studies/?{query}").content.decode()
        return [
            t for t in ("Peer support in Paisley", "Housing repairs in Govan", "Still a draft") if t in page
        ]

    assert titles("") == ["Peer support in Paisley", "Housing repairs in Govan"]
    assert titles("stage=co_design") == ["Peer support in Paisley"]
    assert titles("perspective=carer") == ["Housing repairs in Govan"]
    assert titles("topic=housing") == ["Housing repairs in Govan"]
    assert titles("place=paisley") == ["Peer support in Paisley"]
    assert titles("outcome=repairs") == ["Housing repairs in Govan"]
    assert titles("stage=nonsense") == ["Peer support in Paisley", "Housing repairs in Govan"]


def test_contacting_the_author_sends_a_notification_and_shows_no_email(client_for, member, outsider):
    case_study = write(member)
    services.case_study_publish(actor=member, case_study=case_study)
    page = client_for(outsider).get(f"/case-studies/{case_study.pk}/").content.decode()
    assert "Contact the author" in page and member.email not in page
    empty = client_for(outsider).post(f"/case-studies/{case_study.pk}/contact/", {"message": ""})
    assert empty.status_code == 400
    sent = client_for(outsider).post(f"/case-studies/{case_study.pk}/contact/", {"message": "Could we talk?"})
    assert sent.status_code == 302
    (note,) = Notification.objects.filter(kind="casestudy_contact")
    assert note.recipient == member and note.text == "Could we talk?"
    assert AuditEvent.objects.filter(action="casestudy.contacted").count() == 1
    assert client_for(None).get(f"/case-studies/{case_study.pk}/contact/").status_code == 302  # sign in first


def test_search_documents_and_hub_section(member, django_capture_on_commit_callbacks):
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
            case_study = write(member, stages=["co_design"], place="Paisley")
            assert list(selectors.search_documents("casestudies.casestudy", None)) == []
            services.case_study_publish(actor=member, case_study=case_study)
            services.case_study_delete(actor=member, case_study=write(member, title="Gone"))
    finally:
        registry.unregister("search-stub")
    assert [k for k, _ in reindexed] == ["casestudies.casestudy"] * 4
    (doc,) = selectors.search_documents("casestudies.casestudy", None)
    assert doc.pk == case_study.pk and doc.place == "Paisley" and doc.stages == ("co_design",)
    section = selectors.hub_section(None)
    assert section.title == "New case studies" and [r.title for r in section.rows] == [case_study.title]


def test_the_api(filled, space, host, member, outsider):
    org = Organisation.objects.create(name="Strathbrae Council", slug="strathbrae-council", kind="council")
    api = Api(member)
    made = api.post(
        "/case-studies",
        {
            "title": "Peer support",
            "organisation_ids": [org.pk],
            "stages": ["co_design"],
            "perspectives": ["carer"],
            "what_happened": "We met.",
            "what_changed": "Things got better.",
        },
    )
    assert made.status_code == 201, made.content
    cid = made.json()["id"]
    assert made.json()["organisations"] == ["Strathbrae Council"] and made.json()["licence"] == "cc_by"
    assert Api().get(f"/case-studies/{cid}").status_code == 404
    assert Api(outsider).patch(f"/case-studies/{cid}", {"title": "x"}).status_code == 404
    assert api.patch(f"/case-studies/{cid}", {"licence": "cc_by_sa"}).json()["licence"] == "cc_by_sa"
    assert api.patch(f"/case-studies/{cid}", {"licence": "mine"}).status_code == 422
    assert api.post(f"/case-studies/{cid}/publish").json()["status"] == "published"
    assert [c["id"] for c in Api().get("/case-studies?stage=co_design").json()] == [cid]
    assert Api().get("/case-studies?stage=co_delivery").json() == []

    assert Api(member).post(f"/spaces/{space.slug}/case-studies/draft").status_code == 403
    drafted = Api(host).post(f"/spaces/{space.slug}/case-studies/draft")
    assert drafted.status_code == 201 and drafted.json()["generated"] is True
    assert drafted.json()["space"] == space.slug
