import pytest

from coproduce.ideas import services


@pytest.fixture(autouse=True)
def _static_files_not_scanned(settings):
    """Each test client builds the middleware again; WhiteNoise would scan every static file each time."""
    settings.WHITENOISE_USE_FINDERS = False


@pytest.fixture
def idea(space, member):
    return services.idea_create(
        actor=member, space=space, title="Evening opening", body="Open until 9pm on Thursdays."
    )


@pytest.fixture
def private_idea(private_space, member):
    return services.idea_create(actor=member, space=private_space, title="Quiet hour", body="No music 2–3pm.")
