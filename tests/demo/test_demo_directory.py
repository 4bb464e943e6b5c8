"""The demo's directory: people listed with varied stages and offers, one open request, one conversation."""

from __future__ import annotations

from coproduce.directory import selectors
from coproduce.directory.models import HelpRequest, Listing, Message, Thread


def test_the_demo_has_a_believable_directory(demo):
    assert 6 <= Listing.objects.count() <= 10
    assert len({listing.stages for listing in Listing.objects.all()}) >= 4
    assert len({listing.offers for listing in Listing.objects.all()}) >= 4
    [request] = HelpRequest.objects.filter(is_open=True)
    suggested = selectors.suggestions(request)
    assert suggested[0].listing.person.display_name == "Morag Henderson"
    assert suggested[0].reasons.startswith("Knows co-design; offers mentoring; also in Paisley")
    assert Thread.objects.count() == 1 and Message.objects.count() == 2
