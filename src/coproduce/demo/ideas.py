"""Ideas for the new drop-in, in the space at co-design: supports from members (one given with help, for
someone who takes part on paper), comments and a reply, a co-author, and three ideas decided on — one
adopted, one merged into another, one not taken forward — each with the reason everyone can read."""

from __future__ import annotations

import random

from coproduce.ideas import services as ideas
from coproduce.ideas.models import IdeaStatus

from .network import Cast

# key, author, title, body, share of members who support it
IDEAS = [
    (
        "evening",
        "Jamie",
        "Keep an evening drop-in, not just daytime",
        "Most of us who work, or who struggle most at night, can't come at 2pm on a Tuesday. The old drop-in "
        "was busiest after 5. Please keep at least two evenings a week, until 8 or 9.",
        0.7,
    ),
    (
        "peer",
        "Eilidh",
        "Peer workers on every shift",
        "The first person you meet at the door should be someone who has been there too. Paid peer workers, "
        "with proper supervision, on every session, not volunteers filling gaps.",
        0.6,
    ),
    (
        "quiet",
        "Ross",
        "A quiet room alongside the social space",
        "Some days you want company and some days you need to sit somewhere calm. A small room with soft "
        "light, no telly and nobody asking how you are unless you want them to.",
        0.45,
    ),
    (
        "cook",
        "Grace",
        "Cook and eat together on Fridays",
        "A shared meal once a week: people plan it, shop for it and cook it together. It brings in people "
        "who would never walk into a 'mental health service', and families can come too.",
        0.55,
    ),
    (
        "venue",
        "Kenny",
        "Move to the Abbey Close community centre",
        "The High Street building has stairs, no lift and one toilet. Abbey Close is step-free, on the bus "
        "routes and has a kitchen. The council lets rooms there already.",
        0.4,
    ),
    (
        "text",
        "Tariq",
        "A text message check-in for people who can't come in",
        "Not everyone can get out of the house. A weekly text from a named worker, and a number you can text "
        "back, would keep people connected between visits.",
        0.3,
    ),
    (
        "weekend",
        "Nadia",
        "Open at weekends",
        "Saturday and Sunday are the loneliest days and everything else is shut. Even one afternoon would "
        "make a difference.",
        0.35,
    ),
    (
        "app",
        "Billy",
        "Build an app for booking a slot",
        "An app where you book a time to come in, so nobody waits at the door.",
        0.1,
    ),
]

# idea key, commenter, text, replies: [(replier, text)]
COMMENTS = [
    (
        "evening",
        "Fiona",
        "Staff rotas can cover evenings if the daytime sessions start later. Worth testing.",
        [
            ("Jamie", "That would work for me. Later start, later finish."),
        ],
    ),
    ("evening", "Sandy", "The transport scheme could run a late lift home on drop-in evenings.", []),
    (
        "peer",
        "Kirsty",
        "As a peer worker: supervision every fortnight made all the difference in my last job.",
        [],
    ),
    (
        "cook",
        "Iain",
        "I'd help cook. I learned a lot of cheap recipes when money was tight.",
        [
            ("Grace", "Brilliant, Iain. We could write them up as a wee recipe book."),
        ],
    ),
    (
        "venue",
        "Douglas",
        "I've checked: Abbey Close has Tuesday to Friday evenings free from the autumn.",
        [],
    ),
    (
        "app",
        "Callum",
        "An app costs a lot to keep up. A phone number and walk-ins might do the same job.",
        [],
    ),
]


def load(cast: Cast, rng: random.Random) -> None:
    space, host = cast.drop_in, cast["Morag"]
    members = [
        m.user for m in space.memberships.select_related("user").order_by("pk") if not m.user.is_assisted
    ]
    made = {}
    for key, author, title, body, share in IDEAS:
        idea = ideas.idea_create(actor=cast[author], space=space, title=title, body=body)
        made[key] = idea
        others = [person for person in members if person.pk != idea.author_id]
        for person in rng.sample(others, round(share * len(others))):
            ideas.idea_support(actor=person, idea=idea)
    ideas.idea_co_author_add(actor=cast["Eilidh"], idea=made["peer"], user=cast["Kirsty"])
    # Margaret takes part on paper; her facilitator adds her support, and the audit log says so.
    ideas.idea_support(actor=host, idea=made["evening"], on_behalf_of=cast.assisted)
    ideas.idea_support(actor=host, idea=made["quiet"], on_behalf_of=cast.assisted)
    for key, who, text, replies in COMMENTS:
        comment = ideas.comment_create(actor=cast[who], idea=made[key], body=text)
        for replier, reply in replies:
            ideas.comment_create(actor=cast[replier], idea=made[key], body=reply, parent=comment)

    ideas.idea_set_status(
        actor=host,
        idea=made["cook"],
        status=IdeaStatus.ADOPTED,
        reason="Adopted at the second co-design workshop: a Friday cook-and-eat pilot for twelve weeks, "
        "planned by the people who come. The partnership pays for the food for the pilot.",
    )
    ideas.idea_set_status(
        actor=cast["Mhairi"],
        idea=made["weekend"],
        status=IdeaStatus.MERGED,
        merged_into=made["evening"],
        reason="Both ideas are about opening when people most need it; they are being worked on together.",
    )
    ideas.idea_set_status(
        actor=host,
        idea=made["app"],
        status=IdeaStatus.NOT_TAKEN_FORWARD,
        reason="People at the workshop preferred walk-ins and a phone number: an app would shut out people "
        "without a smartphone and cost more to run than it saves.",
    )
