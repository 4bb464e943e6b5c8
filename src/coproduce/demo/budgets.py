"""Participatory budgets of the carers' space, open to anyone who lives or works in Strathbrae.

- "Strathbrae Carers' Fund 2026" (£20,000, approval ballot, Method of Equal Shares) went through every phase
  and shows its results: projects proposed by carers, reviewed (one found not feasible, one cost corrected),
  and about thirty ballots. A group of Polish- and Urdu-speaking carers backs one small project that few
  others chose; Equal Shares funds it with their share of the budget, where a count by votes would not.
- "Short breaks 2027" (£120,000, knapsack ballot) is open for voting, with some ballots already cast, so
  the demo host can try the ballot.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from coproduce.budgets import services as budgets
from coproduce.budgets.models import BallotType, Phase

from .network import Cast

AREA = "Strathbrae"

# key, submitter, title, cost, category, area, description
FUND_PROJECTS = [
    (
        "cafe",
        "Grace",
        "Friday respite café at Renfrew Town Hall",
        6500,
        "Breaks",
        "Renfrew",
        "A café every Friday where carers have lunch and a blether while trained volunteers sit with the person "
        "they care for in the next room. Forty Fridays.",
    ),
    (
        "sitting",
        "Helen",
        "Emergency sitting service",
        7500,
        "Breaks",
        "Strathbrae",
        "Trained sitters on call at a day's notice, so that a carer can go to their own hospital appointment, "
        "a funeral or a job interview.",
    ),
    (
        "languages",
        "Zofia",
        "Polish and Urdu-speaking carers' group",
        2400,
        "Support",
        "Paisley",
        "A monthly group in Polish and in Urdu, with an interpreter for the benefits adviser and a crèche. "
        "Many carers in these communities do not know what support there is.",
    ),
    (
        "first-aid",
        "Shona",
        "First aid and moving-and-handling training",
        1900,
        "Learning",
        "Strathbrae",
        "Four Saturday courses with a St Andrew's First Aid trainer, and a safe moving-and-handling session.",
    ),
    (
        "caravan",
        "Anne",
        "Caravan breaks at Wemyss Bay",
        8400,
        "Breaks",
        "Wemyss Bay",
        "Ten week-long breaks in an accessible static caravan, for a carer alone or with the person they care for.",
    ),
    (
        "allotment",
        "Hamish",
        "Carers' allotment plot at Barshaw Park",
        1600,
        "Wellbeing",
        "Paisley",
        "Rent, tools and seeds for a shared plot, and a shed with a kettle.",
    ),
    (
        "outings",
        "Stuart",
        "Young carers' summer outings",
        3600,
        "Young carers",
        "Strathbrae",
        "Six days out in the summer holidays for young carers aged 8 to 18: the beach, a climbing wall, a "
        "football match.",
    ),
    (
        "yoga",
        "Aileen",
        "Yoga and massage evenings for carers",
        2800,
        "Wellbeing",
        "Renfrew",
        "Twenty evenings of gentle yoga and hand massage at the Carers Together centre.",
    ),
    (
        "minibus",
        "Hamish",
        "A minibus for carers' outings",
        38000,
        "Transport",
        "Strathbrae",
        "Our own accessible minibus for trips and breaks.",
    ),
]
REVIEWS = {
    "cafe": (
        True,
        "Renfrew Town Hall offered the room free of charge, so the cost comes down by the room hire.",
        5200,
    ),
    "minibus": (
        False,
        "It costs almost twice the whole fund, and a minibus needs insurance, a driver and "
        "maintenance every year. The community transport scheme has offered its minibus for outings "
        "at cost.",
        None,
    ),
}
# How likely the majority of voters are to approve each project; the language group votes as a bloc.
MAJORITY = {
    "cafe": 0.6,
    "sitting": 0.6,
    "caravan": 0.55,
    "outings": 0.4,
    "yoga": 0.3,
    "allotment": 0.2,
    "first-aid": 0.2,
    "languages": 0.03,
}
LANGUAGE_GROUP = ["Zofia", "Nadia", "Ahmed", "Tariq", "Lorna"]

BREAKS_PROJECTS = [
    (
        "Anne",
        "Week-long breaks at a Highland lodge",
        42000,
        "Breaks",
        "Aviemore",
        "Accessible lodges near Aviemore for twenty carers and the people they care for, with support on site.",
    ),
    (
        "Helen",
        "Saturday sitting service across Strathbrae",
        36000,
        "Breaks",
        "Strathbrae",
        "Four hours every Saturday for forty carers, from sitters they get to know.",
    ),
    (
        "Aileen",
        "Short-break grants that carers choose themselves",
        30000,
        "Breaks",
        "Strathbrae",
        "Grants of up to £300 for whatever break works for you: a gym pass, a concert, a night away.",
    ),
    (
        "Stuart",
        "Residential weekend for young carers at Ardentinny",
        18000,
        "Young carers",
        "Argyll",
        "Two weekends of outdoor activities for young carers, with their own support workers.",
    ),
    (
        "Shona",
        "Accessible coach day trips",
        14000,
        "Breaks",
        "Strathbrae",
        "Eight day trips on an accessible coach: Loch Lomond, Edinburgh, Largs.",
    ),
    ("Grace", "Carers' spa days", 9000, "Wellbeing", "Strathbrae", "Sixty spa days with transport."),
    (
        "Hamish",
        "Overnight respite beds at Ferguslie Park",
        55000,
        "Breaks",
        "Paisley",
        "Two beds kept for planned overnight respite, booked by carers through Carers Together.",
    ),
]


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _vote(budget, voter, project_ids) -> None:
    budgets.ballot_submit(
        actor=voter, budget=budget, choices=[[pk, 1] for pk in project_ids], confirmed_eligibility=True
    )


def _carers_fund(cast: Cast, rng: random.Random, voters: list) -> None:
    host = cast["Aileen"]
    budget = budgets.budget_create(
        actor=host,
        space=cast.carers,
        title="Strathbrae Carers' Fund 2026",
        amount=Decimal(20000),
        description="Small grants for projects that give unpaid carers a break, support or a night out. "
        "Carers proposed the projects; anyone who lives or works in Strathbrae could vote for up to four.",
        collect_from=_days(-110),
        review_from=_days(-80),
        vote_from=_days(-60),
        results_from=_days(-30),
        eligibility="residents",
        area=AREA,
        ballot_type=BallotType.APPROVAL,
        min_projects=1,
        max_projects=4,
    )
    projects = {}
    for key, who, title, cost, category, area, description in FUND_PROJECTS:
        projects[key] = budgets.project_submit(
            actor=cast[who],
            budget=budget,
            title=title,
            cost=Decimal(cost),
            category=category,
            area=area,
            description=description,
        )
    budgets.budget_advance_phase(actor=host, budget=budget, to=Phase.REVIEW)
    for key, project in projects.items():
        feasible, reason, corrected = REVIEWS.get(key, (True, "", None))
        budgets.project_review(
            actor=host,
            project=project,
            feasible=feasible,
            reason=reason,
            cost=Decimal(corrected) if corrected is not None else None,
        )
    budgets.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE)
    group = [cast[name] for name in LANGUAGE_GROUP]
    for voter in voters:
        if voter in group:
            chosen = ["languages", *rng.sample(["first-aid", "sitting", "cafe"], rng.randint(0, 1))]
        else:
            chosen = [key for key, share in MAJORITY.items() if rng.random() < share][:4]
            if not chosen:
                chosen = [rng.choice(["cafe", "sitting", "caravan"])]
        _vote(budget, voter, [projects[key].pk for key in chosen])
    budgets.budget_advance_phase(actor=host, budget=budget, to=Phase.CLOSED, confirm=True)
    budgets.budget_advance_phase(actor=host, budget=budget, to=Phase.RESULTS)


def _short_breaks(cast: Cast, rng: random.Random, voters: list) -> None:
    host = cast["Aileen"]
    budget = budgets.budget_create(
        actor=host,
        space=cast.carers,
        title="Short breaks 2027",
        amount=Decimal(120000),
        description="£120,000 for short breaks for unpaid carers in 2027. Choose the projects you would fund, "
        "up to the whole budget.",
        collect_from=_days(-50),
        review_from=_days(-25),
        vote_from=_days(-4),
        results_from=_days(17),
        eligibility="residents",
        area=AREA,
        ballot_type=BallotType.KNAPSACK,
    )
    projects = [
        budgets.project_submit(
            actor=cast[who],
            budget=budget,
            title=title,
            cost=Decimal(cost),
            category=category,
            area=area,
            description=description,
        )
        for who, title, cost, category, area, description in BREAKS_PROJECTS
    ]
    budgets.budget_advance_phase(actor=host, budget=budget, to=Phase.REVIEW)
    for project in projects:
        budgets.project_review(actor=host, project=project, feasible=True)
    budgets.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE)
    for voter in voters:
        left, chosen = budget.amount, []
        for project in rng.sample(projects, len(projects)):
            if project.cost <= left and rng.random() < 0.7:
                chosen.append(project.pk)
                left -= project.cost
        _vote(budget, voter, chosen or [projects[-2].pk])


def load(cast: Cast, rng: random.Random) -> None:
    # The demo host is left out, so that she can try voting in the open budget herself.
    everyone = [person for name, person in sorted(cast.people.items()) if name != "Morag"]
    others = [person for person in everyone if person.display_name.split()[0] not in LANGUAGE_GROUP]
    fund_voters = rng.sample(others, 30 - len(LANGUAGE_GROUP)) + [cast[name] for name in LANGUAGE_GROUP]
    rng.shuffle(fund_voters)
    _carers_fund(cast, rng, fund_voters)
    _short_breaks(cast, rng, rng.sample(everyone, 14))
