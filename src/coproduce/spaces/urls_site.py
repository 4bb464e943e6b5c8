"""Spaces pages that do not sit under /spaces/. `coproduce/urls.py` mounts `home` at the root (the URL
name "home") and `people_paths` in the `people` namespace beside people's own pages: the help a person asks
for and an organisation's partnerships are about spaces, so their pages live here, but their addresses and
names stayed where people look for them (/me/on-my-behalf/, /organisations/<slug>/...)."""

from django.urls import path

from . import views

home = [path("", views.home, name="home")]

people_paths = [
    path("me/on-my-behalf/", views.on_my_behalf, name="on_my_behalf"),
    path("me/on-my-behalf/<int:event_id>/dispute/", views.entry_dispute, name="entry_dispute"),
    path(
        "organisations/<slug:slug>/partner-requests/<int:request_id>/",
        views.partnership_decide,
        name="partnership_decide",
    ),
    path(
        "organisations/<slug:slug>/spaces/<slug:space_slug>/stop-listing/",
        views.partnership_end,
        name="partnership_end",
    ),
]
