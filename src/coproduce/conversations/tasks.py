"""Background tasks (huey): working out a conversation's opinion groups away from the request that voted."""

from __future__ import annotations

from huey.contrib.djhuey import HUEY, db_task

# Votes come in bursts: wait this long after the first vote of a burst, so one analysis covers them all.
DEBOUNCE_SECONDS = 15


@db_task(retries=1, retry_delay=30)
def compute_analysis(conversation_id: int) -> int:
    """Analyse a conversation; returns how many votes the stored result counts (0: nothing to do)."""
    from .models import Conversation
    from .services.analysis import analysis_compute

    # Clear the request first: votes arriving while this runs ask for (and queue) the next analysis.
    Conversation.objects.filter(pk=conversation_id).update(analysis_requested_at=None)
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return 0
    return analysis_compute(conversation).votes


def queue_analysis(conversation_id: int) -> None:
    """Queue the analysis a little later (at once when tasks run immediately, as in tests and the demo)."""
    if HUEY.immediate:
        compute_analysis(conversation_id)
    else:
        compute_analysis.schedule((conversation_id,), delay=DEBOUNCE_SECONDS)
