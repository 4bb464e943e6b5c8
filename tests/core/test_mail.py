import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage


@pytest.fixture
def queued_email(settings):
    settings.EMAIL_BACKEND = "coproduce.core.mail.QueuedEmailBackend"
    settings.SENDING_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage = MemoryStorage("test")  # never touch a developer's real queue in var/
    yield
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


def test_email_waits_in_the_queue_until_a_worker_sends_it(queued_email):
    HUEY._immediate = False  # queue for real (in memory), run only when we say so below
    mail.outbox = []
    assert mail.send_mail("Hello", "Body", "from@example.org", ["to@example.org"]) == 1
    assert mail.outbox == []  # nothing sent during the request
    assert HUEY.pending_count() == 1
    task = HUEY.dequeue()
    HUEY.execute(task)
    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_email_is_sent_at_once_in_immediate_mode(queued_email):
    HUEY.immediate = True
    mail.outbox = []
    mail.send_mail("Now", "Body", "from@example.org", ["to@example.org"])
    assert [m.subject for m in mail.outbox] == ["Now"]
