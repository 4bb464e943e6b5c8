"""The demo's timebank: members welcomed by a coordinator, offers and requests, exchanges confirmed by the
other side (so balances move and the ledger verifies), a group exchange for a charity's fun day, one
exchange waiting for the demo host to confirm, and hours given to the community pot."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from coproduce.timebank import services as timebank
from coproduce.timebank.models import Category, ListingKind, ShareBalance

from .network import Cast

HOUR = 60

# first name, area, a few words
MEMBERS = [
    ("Moira", "Paisley", "Retired home help. I knit, I listen and I make a good pot of tea."),
    ("Morag", "Paisley", "I facilitate for the partnership and I'm hopeless in the garden."),
    ("Sandy", "Johnstone", "I drive for the community transport scheme and grow too many tatties."),
    ("Kenny", "Paisley", "Joiner, retired. Shelves, curtain rails and flat-packs."),
    ("Ahmed", "Renfrew", "I fix phones and laptops for a living."),
    ("Nadia", "Paisley", "I speak Urdu and Punjabi and help people with letters."),
    ("Grace", "Renfrew", "Carer for my mum. I cook in big batches."),
    ("Hamish", "Johnstone", "Gardener. Happy to help with a tidy-up."),
    ("Helen", "Renfrew", "I look after my dad and I'm good with paperwork."),
    ("Catriona", "Paisley", "Poet, and a regular at the drop-in."),
    ("Anne", "Renfrew", "Carer. Not very techy."),
    ("Iain", "Paisley", "I like walking and cooking. Getting back on my feet."),
    ("Gordon", "Johnstone", "Woodworker with a shed full of tools."),
    ("Stuart", "Renfrew", "Retired accountant; I help with budgets and benefit forms."),
    ("Zofia", "Renfrew", "Mum of two, carer for my husband. Polish speaker."),
    ("Ross", "Paisley", "Guitarist; I teach beginners."),
    ("Jamie", "Johnstone", "Artist and peer supporter."),
    ("Lewis", "Johnstone", "I design games and posters."),
    ("Aileen", "Renfrew", "I run Carers Together Strathbrae."),
    ("Joan", "Paisley", "I look after the bookings at St Mirin's church hall."),
]
LATE_MEMBERS = ["Shona", "Billy"]  # welcomed by the coordinator, not the network admin
WAITING = ("Declan", "Paisley", "Photographer. I could take pictures at community events.")

# owner, kind, category slug, title, description, availability
LISTINGS = [
    (
        "Sandy",
        ListingKind.OFFER,
        "lifts",
        "Lifts to appointments in Johnstone and Paisley",
        "I can take you to the RAH, the health centre or the GP and wait to bring you home.",
        "Weekdays",
    ),
    (
        "Kenny",
        ListingKind.OFFER,
        "diy",
        "Small DIY jobs: shelves, curtain rails, flat-packs",
        "I bring my own tools. Nothing electrical or gas, sorry.",
        "Mornings",
    ),
    (
        "Ahmed",
        ListingKind.OFFER,
        "digital",
        "Help with phones, tablets and video calls",
        "Setting up WhatsApp, video calls with family, online GP appointments.",
        "Evenings and Saturdays",
    ),
    (
        "Nadia",
        ListingKind.OFFER,
        "language",
        "Urdu and Punjabi: letters and appointments",
        "I can read letters with you or come along to an appointment.",
        "Flexible",
    ),
    (
        "Moira",
        ListingKind.OFFER,
        "befriending",
        "A cuppa and a blether",
        "Home visits for company, or we can go for a wee walk.",
        "Tuesdays and Thursdays",
    ),
    (
        "Hamish",
        ListingKind.OFFER,
        "gardening",
        "Help in the garden",
        "Grass cutting, weeding, cutting back. I have a mower.",
        "Spring to autumn",
    ),
    (
        "Gordon",
        ListingKind.OFFER,
        "learning",
        "Woodwork for beginners",
        "Make a bird box or a chopping board in my shed. Tea provided.",
        "Saturday mornings",
    ),
    (
        "Grace",
        ListingKind.OFFER,
        "cooking",
        "Batch cooking for a carer's freezer",
        "Soups, stews and curries in portions, so you have one less thing to do.",
        "Sundays",
    ),
    (
        "Ross",
        ListingKind.OFFER,
        "arts",
        "Guitar lessons for beginners",
        "Bring a guitar or borrow mine.",
        "Evenings",
    ),
    (
        "Stuart",
        ListingKind.OFFER,
        "admin",
        "Help with budgeting and benefit forms",
        "PIP, Carer's Allowance, council tax reduction: we can fill them in together.",
        "Weekday afternoons",
    ),
    ("Zofia", ListingKind.OFFER, "language", "Polish conversation and help with forms", "", "School hours"),
    (
        "Helen",
        ListingKind.REQUEST,
        "care",
        "Someone to sit with my dad on Thursdays",
        "Two hours so I can get the shopping done. He likes football and crosswords.",
        "Thursday afternoons",
    ),
    (
        "Catriona",
        ListingKind.REQUEST,
        "lifts",
        "A lift to the RAH for a clinic appointment",
        "Third Monday of the month, 10am.",
        "",
    ),
    ("Anne", ListingKind.REQUEST, "digital", "Help setting up video calls with my sister in Canada", "", ""),
    (
        "Joan",
        ListingKind.REQUEST,
        "community",
        "Hands to set out chairs for the lunch club",
        "Wednesdays at 11, St Mirin's church hall. Half an hour.",
        "Wednesdays",
    ),
    ("Iain", ListingKind.REQUEST, "wellbeing", "A walking buddy for Barshaw Park", "", "Mornings"),
    (
        "Morag",
        ListingKind.REQUEST,
        "gardening",
        "A hand to tidy a very overgrown back garden",
        "",
        "Weekends",
    ),
]

# giver, receiver, minutes, what, days ago, the receiver's request it answers (title) or None
EXCHANGES = [
    (
        "Sandy",
        "Catriona",
        2 * HOUR,
        "Lift to the RAH and back for a clinic appointment",
        38,
        "A lift to the RAH for a clinic appointment",
    ),
    (
        "Ahmed",
        "Anne",
        HOUR,
        "Set up video calls on Anne's tablet",
        35,
        "Help setting up video calls with my sister in Canada",
    ),
    ("Kenny", "Helen", 90, "Put up shelves and a curtain rail", 31, None),
    (
        "Moira",
        "Iain",
        2 * HOUR,
        "Walk round Barshaw Park and a coffee",
        27,
        "A walking buddy for Barshaw Park",
    ),
    ("Grace", "Helen", 3 * HOUR, "Batch cooked soups and a stew for the freezer", 24, None),
    ("Helen", "Grace", HOUR, "Helped fill in the Carer's Allowance form", 21, None),
    ("Stuart", "Lewis", 90, "Went through a PIP review form together", 18, None),
    ("Ross", "Jamie", HOUR, "First guitar lesson", 14, None),
    ("Nadia", "Zofia", HOUR, "Came along to a school meeting to help with a letter", 12, None),
    ("Gordon", "Kenny", 2 * HOUR, "Woodwork: made a bird box", 9, None),
    (
        "Moira",
        "Helen",
        2 * HOUR,
        "Sat with Helen's dad while she went shopping",
        6,
        "Someone to sit with my dad on Thursdays",
    ),
    (
        "Hamish",
        "Morag",
        3 * HOUR,
        "Cut back the hedge and cleared the borders",
        4,
        "A hand to tidy a very overgrown back garden",
    ),
]


def load(cast: Cast, rng: random.Random) -> None:
    admin, today = cast.admin, timezone.localdate()
    # The network admin (staff) welcomes the first members and names a coordinator, who takes over.
    records = {}
    for name, area, about in MEMBERS:
        records[name] = timebank.member_join(actor=cast[name], area=area, about=about)
    for name in records:
        records[name] = timebank.member_decide(actor=admin, member=records[name], approve=True)
    coordinator = cast["Moira"]
    timebank.coordinator_set(actor=admin, member=records["Moira"], is_coordinator=True)
    for name in LATE_MEMBERS:
        record = timebank.member_join(actor=cast[name], area="Paisley")
        timebank.member_decide(actor=coordinator, member=record, approve=True)
    timebank.member_join(actor=cast[WAITING[0]], area=WAITING[1], about=WAITING[2])  # for the coordinator
    for name in rng.sample(sorted(records), 8):
        timebank.member_preferences_set(actor=cast[name], share_balance=ShareBalance.MEMBERS)

    # The partnership rewards taking part in its spaces with time credits: it gets room for that.
    hscp = timebank.account_for_organisation(cast.organisations[0])
    timebank.account_limits_set(actor=coordinator, account=hscp, min_balance=-300 * HOUR, max_balance=None)

    categories = {c.slug: c for c in Category.objects.all()}
    listings = {}
    for owner, kind, category, title, description, availability in LISTINGS:
        listings[title] = timebank.listing_create(
            actor=cast[owner],
            kind=kind,
            title=title,
            description=description,
            category=categories[category],
            availability=availability,
            area=records[owner].area if owner in records else "",
        )

    for giver, receiver, minutes, what, days_ago, request in EXCHANGES:
        exchange = timebank.exchange_record(
            actor=cast[giver],
            gave=timebank.account_for_user(cast[giver]),
            received=timebank.account_for_user(cast[receiver]),
            minutes=minutes,
            what=what,
            happened_on=today - dt.timedelta(days=days_ago),
            listing=listings[request] if request else None,
        )
        timebank.exchange_confirm(actor=cast[receiver], exchange=exchange)
    for title in ("A lift to the RAH for a clinic appointment", "A walking buddy for Barshaw Park"):
        listing = listings[title]
        timebank.listing_update(actor=listing.owner, listing=listing, is_open=False)

    # A charity thanks the volunteers at its fun day: one group exchange, agreed by the charity's admin.
    carers_together = cast.organisations[2]
    timebank.exchange_record(
        actor=cast["Aileen"],
        gave=[timebank.account_for_user(cast[name]) for name in ("Grace", "Zofia", "Joan", "Kenny")],
        received=timebank.account_for_organisation(carers_together),
        minutes=3 * HOUR,
        what="Ran the stalls and the tea tent at the Carers Week fun day",
        happened_on=today - dt.timedelta(days=20),
    )
    # Hours given to the pot, and some granted to a member who needed help before she could give any.
    timebank.donate_to_pot(actor=cast["Gordon"], minutes=HOUR, description="For anyone who needs a hand")
    timebank.grant_from_pot(
        actor=coordinator,
        to=timebank.account_for_user(cast["Catriona"]),
        minutes=HOUR,
        description="A start for a new member",
    )
    # Waiting for the demo host: Ahmed says he helped Morag; she confirms (or disputes) it.
    timebank.exchange_record(
        actor=cast["Ahmed"],
        gave=timebank.account_for_user(cast["Ahmed"]),
        received=timebank.account_for_user(cast["Morag"]),
        minutes=HOUR,
        what="Set up online GP appointments on Morag's phone",
        happened_on=today - dt.timedelta(days=1),
    )
