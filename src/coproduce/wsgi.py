import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")

from django.conf import settings  # noqa: E402 - the settings module is named first

from coproduce.core.handler import get_wsgi_application  # noqa: E402
from coproduce.core.proxies import trusted_proxies_middleware  # noqa: E402

# Forwarding headers count only from the proxies in COPRODUCE_TRUSTED_PROXIES (see coproduce.core.proxies).
application = trusted_proxies_middleware(get_wsgi_application(), settings.TRUSTED_PROXIES)
