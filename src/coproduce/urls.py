from django.contrib import admin
from django.urls import include, path

from coproduce.api import api
from coproduce.core.views import healthz
from coproduce.people import urls as people_urls
from coproduce.spaces import urls_site as spaces_site_urls
from coproduce.sroi import urls as sroi_urls

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include(spaces_site_urls.home)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the footer's language switcher
    # People's pages, and the spaces pages that sit on people's paths (see spaces/urls_site.py).
    path("", include((people_urls.urlpatterns + spaces_site_urls.people_paths, "people"))),
    path("spaces/<slug:slug>/ideas/", include("coproduce.ideas.urls")),
    path("spaces/<slug:slug>/meetings/", include("coproduce.meetings.urls")),
    path("spaces/<slug:slug>/actions/", include("coproduce.actions.urls")),
    path("spaces/<slug:slug>/surveys/", include("coproduce.surveys.urls")),
    path("spaces/<slug:slug>/conversations/", include("coproduce.conversations.urls")),
    path("calendar/", include("coproduce.meetings.urls_personal")),
    path("events/", include("coproduce.meetings.urls_events")),
    path("spaces/<slug:slug>/budgets/", include("coproduce.budgets.urls")),
    path("spaces/<slug:slug>/quality/", include("coproduce.quality.urls")),
    path("spaces/<slug:slug>/social-value/", include("coproduce.sroi.urls")),
    path("social-value/unit-costs/", include((sroi_urls.unit_cost_patterns, "sroi_costs"))),
    path("spaces/<slug:slug>/outcomes/", include("coproduce.outcomes.urls")),
    path("outcomes/", include("coproduce.outcomes.urls_personal")),
    path("", include("coproduce.quality.urls_impact")),  # /spaces/<slug>/impact/..., /me/what-became-of-it/
    path("spaces/", include("coproduce.spaces.urls")),
    path("timebank/", include("coproduce.timebank.urls")),
    path("search/", include("coproduce.search.urls")),
    path("case-studies/", include("coproduce.casestudies.urls")),
    path("resources/", include("coproduce.resources.urls")),
    path("notifications/", include("coproduce.notifications.urls")),
    path("directory/", include("coproduce.directory.urls")),
    path("hub/", include("coproduce.hub.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler404 = "coproduce.core.views.not_found"
handler403 = "coproduce.core.views.forbidden"
