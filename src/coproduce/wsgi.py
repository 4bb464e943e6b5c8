import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from coproduce.core.proxies import trusted_proxies_middleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
# Forwarding headers count only from the proxies in COPRODUCE_TRUSTED_PROXIES (see coproduce.core.proxies).
application = trusted_proxies_middleware(get_wsgi_application(), settings.TRUSTED_PROXIES)
