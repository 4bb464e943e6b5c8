import pytest

from coproduce.ideas import services


@pytest.fixture
def idea(space, member):
    return services.idea_create(
        actor=member, space=space, title="Evening opening", body="Open until 9pm on Thursdays."
    )


@pytest.fixture
def private_idea(private_space, member):
    return services.idea_create(actor=member, space=private_space, title="Quiet hour", body="No music 2–3pm.")
