"""The network hub: posts in every category by members of the demo network, a few with comments, replies and
"this helped"; one new member's post still waiting for a moderator and one report open, so that the
moderation page has something on it. Members are new accounts, so their posts are held and the network admin
lets them through, as would happen for real; the dates are then spread over the last weeks."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from coproduce.hub import services
from coproduce.hub.models import Category, Post

from .network import Cast

# author, category slug, kind, title, body
POSTS = [
    (
        "Morag",
        "general-chat",
        "discussion",
        "What does co-production mean where you are?",
        "We keep being asked for a one-line definition. Ours is: the people who use a service and the people "
        "who run it plan, decide, deliver and check it together, as equals.\n\nWhat would you add or change?",
    ),
    (
        "Jamie",
        "general-chat",
        "question",
        "Paying people for their time: vouchers, cash or time credits?",
        "Our group is split. Some people can't take cash because of benefits; others say vouchers are "
        "patronising. What have you tried, and what did people prefer?",
    ),
    (
        "Callum",
        "tools-methods",
        "event_report",
        "Notes from our first Community Conversation",
        "Twelve people, two hours, one big question: what would make the drop-in feel like yours?\n\nWhat "
        "worked: starting with food, small tables, a facilitator who had used the service. What didn't: "
        "a room with no step-free access. We have moved venue for next time.",
    ),
    (
        "Tariq",
        "tools-methods",
        "discussion",
        "Easy-read versions of everything, from the start",
        "We used to make easy-read versions at the end. Now we write the easy-read first and the long version "
        "from it. It is quicker, and the long version is clearer too.",
    ),
    (
        "Fiona",
        "evaluation-impact",
        "question",
        "Measuring what matters to people, not just what is easy to count",
        "Has anyone used Talking Points personal outcomes alongside a survey? We want to show the board what "
        "changed for people without turning conversations into forms.",
    ),
    (
        "Priya",
        "evaluation-impact",
        "news",
        "Our social return on investment report is out",
        "For every pound spent on the peer support service we estimate about four pounds of social value. "
        "The report sets out every assumption, so please pick holes in it: https://example.org/sroi-report",
    ),
    (
        "Aileen",
        "health-social-care",
        "discussion",
        "Carers at the table, not just consulted",
        "Carers are often asked for views after decisions are made. In the carers' voices space we asked to "
        "be on the commissioning panel instead, and it changed what was bought.",
    ),
    (
        "Euan",
        "health-social-care",
        "job",
        "Peer support worker, 21 hours a week",
        "Open Door Mental Health is looking for a peer support worker with lived experience of mental ill "
        "health. Supervision and training included. Closing date end of the month.",
    ),
    (
        "Kenny",
        "housing",
        "question",
        "Tenants' panels that actually change things",
        "Our housing association has a tenants' panel but it mostly gets told things. Has anyone moved theirs "
        "towards real decisions, like repairs priorities or the budget?",
    ),
    (
        "Helen",
        "housing",
        "news",
        "Repairs priorities decided with tenants this year",
        "For the first time, tenants scored the repairs programme with the housing team. Damp and mould came "
        "top, ahead of kitchens. The new programme starts in the spring.",
    ),
    (
        "Billy",
        "community",
        "event_report",
        "Co-production Week: our football and food day",
        "Sixty people came. The young people planned it, ran the stalls and counted the feedback cards. "
        "Next year they want a say in the sports budget.",
    ),
    (
        "Rachel",
        "community",
        "discussion",
        "Reaching people who never come to meetings",
        "We tried a stall at the Saturday market with three questions on a board and a jar of beans to vote. "
        "More people took part in one morning than in a year of evening meetings.",
    ),
]

COMMENTS = [
    # post index, author, body, replies [(author, body)], people who found the comment helped
    (
        1,
        "Eilidh",
        "We offer a choice each time. Most people take vouchers; a few take time credits.",
        [
            ("Jamie", "A choice each time is a good idea. Did the benefits advice help people decide?"),
        ],
        ["Jamie", "Aileen"],
    ),
    (1, "Sandy", "Time credits worked for us because they can be used at the leisure centre.", [], ["Grace"]),
    (
        2,
        "Mhairi",
        "Starting with food makes such a difference. We also book a BSL interpreter every time.",
        [],
        [],
    ),
    (
        4,
        "Kirsty",
        "We ran both for a year. The stories in Talking Points explained the survey numbers.",
        [
            ("Fiona", "That is exactly the argument I need. Could we talk?"),
        ],
        ["Fiona", "Priya"],
    ),
    (8, "Grace", "Ours started by choosing the order of the repairs list. Small, but real.", [], ["Kenny"]),
]

HELPED = {
    0: ["Jamie", "Callum", "Aileen"],
    2: ["Morag", "Tariq"],
    6: ["Grace", "Shona", "Zofia"],
    11: ["Billy"],
}


def load(cast: Cast, rng: random.Random) -> None:
    admin = cast.admin
    now = timezone.now()
    posts: list[Post] = []
    for i, (author, slug, kind, title, body) in enumerate(POSTS):
        post = services.post_create(
            actor=cast[author], category=Category.objects.get(slug=slug), kind=kind, title=title, body=body
        )
        if post.status == "held":
            post = services.post_publish(actor=admin, post=post)
        # Spread over the last five weeks, oldest first, so the lists and the feeds read like a real hub.
        Post.objects.filter(pk=post.pk).update(
            published_at=now - dt.timedelta(days=35 - i * 3, hours=rng.randint(0, 9))
        )
        posts.append(post)
    for index, author, body, replies, helped in COMMENTS:
        comment = services.comment_create(actor=cast[author], post=posts[index], body=body)
        for reply_author, reply_body in replies:
            services.comment_create(
                actor=cast[reply_author], post=posts[index], body=reply_body, parent=comment
            )
        for person in helped:
            services.helped_toggle(actor=cast[person], comment=comment)
    for index, people in HELPED.items():
        for person in people:
            services.helped_toggle(actor=cast[person], post=posts[index])
    # One new member's first post, waiting for a moderator; one report open.
    services.post_create(
        actor=cast["Catriona"],
        category=Category.objects.get(slug="community"),
        kind="event_report",
        title="Poetry evening at the library",
        body="We wrote poems about the places we love in Strathbrae. Everyone welcome next month.",
    )
    services.report_create(
        actor=cast["Ahmed"], post=posts[7], reason="The closing date is missing: could the author add it?"
    )
