"""Surveys in the space at co-assessment (the review of the peer support service).

People who used the service over the year joined the review to have their say. The facilitator asked them
what they thought in an anonymous survey, now closed, with its results published to members; five people
filled in the paper form, which the facilitator (a peer worker who joined) typed in for them, each having
asked for that help first. A round
of the Place Standard asked how good the place around the service is, by area of Johnstone.
"""

from __future__ import annotations

import random

from coproduce.people.models import User
from coproduce.spaces import services as spaces
from coproduce.spaces.models import JoinRequest, Perspective, Role, Space
from coproduce.surveys import services as surveys
from coproduce.surveys.models import Question, QuestionKind, ResultsTo, Survey

from .network import PEOPLE, Cast

HEARD = ["From my GP or nurse", "From a friend or family", "From another service", "A poster or leaflet"]
HOW_OFTEN = ["Every week", "Every month or so", "A few times", "Just once"]
PARTS = [
    "The Tuesday group",
    "One-to-one chats with a peer worker",
    "Phone check-ins",
    "Walks and outings",
    "Help with forms and appointments",
]
RECOMMEND = ["Yes", "Maybe", "No"]
BEST = [
    "Talking to someone who has been through it too.",
    "The Tuesday group. I look forward to it all week.",
    "Nobody judged me.",
    "Help filling in my benefits forms.",
    "I made a friend.",
    "The walks got me out of the house.",
    "Being listened to without being rushed.",
    "The peer worker phoned when I missed a week.",
]
CHANGE = [
    "Evening sessions for people who work.",
    "It was hard to find out it existed.",
    "More groups in Spateston, not just the town centre.",
    "Somewhere quieter for one-to-one chats.",
    "Keep the same peer worker; changing was hard.",
    "Help with the bus fare to get there.",
    "Nothing. Keep it going.",
    "Longer than a year, please.",
]
AREAS = ["Johnstone town centre", "Spateston", "Quarrelton"]
GOOD_NOW = ["The park by the river", "Friendly neighbours", "The community centre", "Good bus to Paisley"]
BETTER = ["More street lights", "Fix the pavements", "Somewhere for young people", "Fewer empty shops"]


def _join_everyone(space: Space, host: User) -> list[User]:
    """Everyone in the network not yet in the space (and not waiting for an answer) joins it."""
    perspective = {name: row_perspective for name, _p, row_perspective, _o, _s in PEOPLE}
    waiting = set(JoinRequest.objects.filter(space=space, status="pending").values_list("user_id", flat=True))
    inside = set(space.memberships.values_list("user_id", flat=True))
    for person in User.objects.filter(is_superuser=False, email__isnull=False).order_by("id"):
        if person.pk in inside or person.pk in waiting or person.display_name not in perspective:
            continue
        asked = spaces.join_request_create(
            actor=person, space=space, perspective=perspective[person.display_name]
        )
        spaces.join_request_decide(actor=host, join_request=asked, approve=True)
    if not space.memberships.filter(role=Role.FACILITATOR).exists():
        # A peer worker who joined runs the surveys with the host.
        peer_worker = (
            space.memberships.filter(role=Role.MEMBER, perspective=Perspective.FACILITATOR)
            .order_by("user__display_name")
            .first()
        )
        if peer_worker is not None:
            spaces.membership_update(actor=host, membership=peer_worker, role=Role.FACILITATOR)
    return [
        m.user
        for m in space.memberships.filter(role=Role.MEMBER)
        .select_related("user")
        .order_by("user__display_name")
    ]


def _review_survey(space: Space, facilitator: User, members: list[User], rng: random.Random) -> Survey:
    survey = surveys.survey_create(
        actor=facilitator,
        space=space,
        title="A year of peer support: what did you think?",
        intro="Tell us what the peer support service was like for you. Nobody will know which answers are "
        "yours. It takes about five minutes.",
        anonymous=True,
        results_to=ResultsTo.MEMBERS,
    )
    first = survey.sections.get()
    q: dict[str, Question] = {}

    def add(key, section, kind, text, **extra):
        q[key] = surveys.question_add(
            actor=facilitator, survey=survey, section=section, kind=kind, text=text, **extra
        )

    add("heard", first, QuestionKind.SINGLE, "How did you first hear about peer support?", options=HEARD)
    add("often", first, QuestionKind.SINGLE, "How often did you use it in the last year?", options=HOW_OFTEN)
    add(
        "parts",
        first,
        QuestionKind.MULTIPLE,
        "Which parts did you use?",
        hint="Choose all that apply.",
        options=PARTS,
    )
    add(
        "easy",
        first,
        QuestionKind.SCALE5,
        "How easy was it to get support when you needed it?",
        hint="1 means very hard, 5 means very easy.",
    )
    changed = surveys.section_add(actor=facilitator, survey=survey, title="What changed for you")
    add(
        "helped",
        changed,
        QuestionKind.SCALE5,
        "How much has peer support helped you?",
        hint="1 means not at all, 5 means a lot.",
    )
    add(
        "connected",
        changed,
        QuestionKind.SCALE7,
        "How connected to other people do you feel now?",
        hint="1 means not at all, 7 means very connected.",
    )
    add(
        "recommend",
        changed,
        QuestionKind.SINGLE,
        "Would you tell someone in a similar situation to try it?",
        options=RECOMMEND,
    )
    add("best", changed, QuestionKind.TEXT, "What was the best thing about it?", required=False)
    add("change", changed, QuestionKind.TEXT, "What should change?", required=False)
    surveys.survey_set_status(actor=facilitator, survey=survey, status="open")

    options = {key: [o.pk for o in question.options.all()] for key, question in q.items()}
    # Five people filled in the paper form; they asked the facilitator to type it in for them.
    on_paper = set(rng.sample(range(len(members)), 5))
    for index, person in enumerate(members):
        keen = rng.random() < 0.75  # most found it helped; some did not
        sent = {
            q["heard"].pk: rng.choice(options["heard"]),
            q["often"].pk: options["often"][rng.choice([0, 0, 1, 1, 2, 3] if keen else [1, 2, 3, 3])],
            q["parts"].pk: rng.sample(options["parts"], rng.randint(1, 3)),
            q["easy"].pk: rng.choice([3, 4, 4, 5] if keen else [1, 2, 3]),
            q["helped"].pk: rng.choice([4, 4, 5, 5, 3] if keen else [1, 2, 2, 3]),
            q["connected"].pk: rng.choice([4, 5, 5, 6, 7] if keen else [2, 3, 3, 4]),
            q["recommend"].pk: options["recommend"][0 if keen else rng.choice([1, 1, 2])],
        }
        if rng.random() < 0.7:
            sent[q["best"].pk] = rng.choice(BEST)
        if rng.random() < 0.6:
            sent[q["change"].pk] = rng.choice(CHANGE)
        if index in on_paper:
            spaces.help_consent_set(actor=person, space=space, accepts=True)
            surveys.response_create(actor=facilitator, survey=survey, sent=sent, on_behalf_of=person)
        else:
            surveys.response_create(actor=person, survey=survey, sent=sent)
    return surveys.survey_set_status(actor=facilitator, survey=survey, status="closed")


def _place_standard(space: Space, host: User, members: list[User], rng: random.Random) -> Survey:
    survey = surveys.place_standard_create(
        actor=host, space=space, title="The Place Standard: how good is Johnstone?", areas=AREAS
    )
    surveys.survey_set_status(actor=host, survey=survey, status="open")
    questions = list(survey.questions.prefetch_related("options").order_by("section__position", "position"))
    area = next(question for question in questions if question.code == "area")
    where = {option.label: option.pk for option in area.options.all()}
    # Eight in the town centre, six each in Spateston and Quarrelton: every area has enough to be shown.
    homes = [AREAS[0]] * 8 + [AREAS[1]] * 6 + [AREAS[2]] * 6
    # Each area scores half the themes higher than the other half, and not the same half everywhere.
    lean = {AREAS[0]: (5, 3), AREAS[1]: (3, 5), AREAS[2]: (4, 4)}
    for person, home in zip(rng.sample(members, len(homes)), homes, strict=True):
        sent: dict[int, object] = {area.pk: where[home]}
        for number, question in enumerate(q for q in questions if q.kind == QuestionKind.SCALE7):
            base = lean[home][number % 2]
            sent[question.pk] = max(1, min(7, base + rng.choice([-1, 0, 0, 1])))
        for question in questions:
            if question.kind == QuestionKind.TEXT and rng.random() < 0.08:
                pool = GOOD_NOW if question.code.endswith("_good") else BETTER
                sent[question.pk] = rng.choice(pool)
        surveys.response_create(actor=person, survey=survey, sent=sent)
    return surveys.survey_set_status(actor=host, survey=survey, status="closed")


def load(cast: Cast, rng: random.Random) -> None:
    space = cast.spaces[3]
    host = space.memberships.get(role=Role.HOST).user
    members = _join_everyone(space, host)
    facilitator_membership = space.memberships.filter(role=Role.FACILITATOR).select_related("user").first()
    facilitator = facilitator_membership.user if facilitator_membership else host
    _review_survey(space, facilitator, members, rng)
    _place_standard(space, host, members, rng)
