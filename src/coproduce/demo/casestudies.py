"""The hub's case studies and resources: one case study drafted from the peer support review's own records
(as its host would, then finished and published), two written by hand, and resources — links, a small
generated PNG poster, and an easy-read version of a guide."""

from __future__ import annotations

import random
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.casestudies import services as case_studies
from coproduce.people.models import Organisation
from coproduce.resources import services as resources
from coproduce.spaces.models import Role

from .network import Cast


def _poster_png(width: int = 48, height: int = 32) -> bytes:
    """A small two-colour PNG (the network's teal over white), made here so the demo ships no binary."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(b"\x00\x6e\x6e" if y < height // 2 else b"\xff\xff\xff" for _x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def load(cast: Cast, rng: random.Random) -> None:
    review = cast.spaces[3]
    host = review.memberships.get(role=Role.HOST).user
    generated = case_studies.case_study_generate(actor=host, space=review)
    case_studies.case_study_edit(
        actor=host,
        case_study=generated,
        title="Peer support in Johnstone: a year on",
        topics="mental health, peer support, evaluation",
        what_was_hard=(
            "Keeping people with lived experience involved after the service changed hands. Surveys on paper "
            "took longer to count than we planned."
        ),
        what_it_cost="Two part-time peer workers and room hire, about £24,000 for the year, and 420 volunteer hours.",
    )
    case_studies.case_study_publish(actor=host, case_study=generated)

    council = Organisation.objects.filter(name="Strathbrae Council").first()
    people = list(cast.people.values())
    author = people[rng.randrange(1, 10)]
    transport = case_studies.case_study_create(
        actor=author,
        title="Volunteer lifts to hospital appointments",
        place="Johnstone",
        organisations=[council] if council else [],
        organisations_text="Johnstone Community Car Club",
        stages=["co_design", "co_delivery"],
        perspectives=["lived_experience", "community", "practitioner"],
        topics="transport, health, volunteering",
        what_happened=(
            "Patients who missed appointments for want of a lift designed a booking line with volunteer "
            "drivers and the clinic's reception staff. Drivers and patients now run the rota together."
        ),
        what_changed="- Missed appointments at the clinic fell from 1 in 9 to 1 in 20.\n- 31 volunteer drivers signed up.",
        evidence="The clinic's attendance records, January to June, before and after the lifts began.",
        what_was_hard="Insurance for volunteer drivers, and reaching people who do not use the phone.",
        what_it_cost="£6,500 for mileage and a part-time coordinator; drivers gave about 900 hours.",
    )
    case_studies.case_study_publish(actor=author, case_study=transport)
    other = people[rng.randrange(10, 20)]
    housing = case_studies.case_study_create(
        actor=other,
        title="Tenants and the council redesign the repairs service",
        place="Renfrew",
        organisations_text="Renfrew Tenants' Forum",
        stages=["co_commissioning", "co_design", "co_assessment"],
        perspectives=["community", "commissioner", "practitioner"],
        topics="housing, repairs",
        what_happened="Tenants chose what to fix first and wrote the repair standards with council officers.",
        what_changed="- Urgent repairs done within 48 hours rose from 61% to 88%.",
        evidence="The council's repairs dashboard and a tenants' survey of 212 households.",
        what_was_hard="Agreeing what 'urgent' means.",
        what_it_cost="Officer time and £1,200 for meeting rooms and travel.",
        licence="cc_by_sa",
    )
    case_studies.case_study_publish(actor=other, case_study=housing)

    guide = resources.resource_create(
        actor=host,
        title="Co-production Star: a short guide",
        summary="The four stages of co-production, what each one means, with examples from Scotland.",
        url="https://www.govint.org/our-services/co-production/",
        tags="co-production star, getting started",
    )
    easy = resources.resource_create(
        actor=host,
        title="Co-production Star: easy read",
        summary="The four stages of working together, in short sentences with pictures.",
        url="https://www.govint.org/our-services/co-production/",
        tags="easy read, co-production star",
        easy_read_of=guide,
    )
    standards = resources.resource_create(
        actor=author,
        title="National Standards for Community Engagement",
        summary="Seven standards for good community engagement, with indicators for each.",
        url="https://www.voicescotland.org.uk/",
        tags="standards, evaluation",
    )
    poster = resources.resource_create(
        actor=author,
        title="Co-production Week poster",
        summary="A small poster to put up in a waiting room or a community centre.",
        upload=SimpleUploadedFile("co-production week poster.png", _poster_png(), content_type="image/png"),
        tags="co-production week, poster",
    )
    for r, who in ((guide, host), (easy, host), (standards, author), (poster, author)):
        resources.resource_publish(actor=who, resource=r)
