"""A person's own calendar: /calendar/ (make the secret link) and /calendar/<token>.ics (the feed)."""

from django.urls import path

from . import views

app_name = "my_calendar"
urlpatterns = [
    path("", views.my_calendar, name="page"),
    path("<str:token>.ics", views.person_calendar, name="feed"),
]
