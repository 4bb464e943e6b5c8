from django.contrib import admin
from django.urls import include, path

from coproduce.api import api

urlpatterns = [
    path("", include("coproduce.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("coproduce.people.urls")),
    path("spaces/<slug:slug>/ideas/", include("coproduce.ideas.urls")),
    path("spaces/<slug:slug>/meetings/", include("coproduce.meetings.urls")),
    path("spaces/<slug:slug>/actions/", include("coproduce.actions.urls")),
    path("calendar/", include("coproduce.meetings.urls_personal")),
    path("spaces/<slug:slug>/budgets/", include("coproduce.budgets.urls")),
    path("spaces/", include("coproduce.spaces.urls")),
    path("timebank/", include("coproduce.timebank.urls")),
    path("notifications/", include("coproduce.notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler404 = "coproduce.core.views.not_found"
handler403 = "coproduce.core.views.forbidden"
