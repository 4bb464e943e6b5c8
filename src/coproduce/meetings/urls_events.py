"""Network events at /events/ (see coproduce/urls.py): meetings of the network's events space."""

from django.urls import path

from .views import events as views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("calendar.ics", views.events_calendar, name="calendar"),
    path("<int:event_id>/", views.event_detail, name="detail"),
    path("<int:event_id>/edit/", views.event_edit, name="edit"),
    path("<int:event_id>/cancel/", views.event_cancel, name="cancel"),
    path("<int:event_id>/register/", views.event_register, name="register"),
    path("<int:event_id>/unregister/", views.event_unregister, name="unregister"),
    path("<int:event_id>/registrations/", views.event_registrations, name="registrations"),
    path("<int:event_id>/registrations.csv", views.event_registrations_csv, name="registrations_csv"),
    path("<int:event_id>/event.ics", views.event_calendar, name="ics"),
]
