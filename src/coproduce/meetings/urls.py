"""Nested under /spaces/<slug>/meetings/ (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("from-idea/<int:idea_id>/", views.from_idea, name="from_idea"),
    path("from-statement/<int:statement_id>/", views.from_statement, name="from_statement"),
    path("calendar.ics", views.space_calendar, name="calendar"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:meeting_id>/time-credits/", views.credits, name="credits"),
    path("<int:meeting_id>/register/", views.register, name="register"),
    path("<int:meeting_id>/unregister/", views.unregister, name="unregister"),
    path("<int:meeting_id>/registrations/", views.registrations, name="registrations"),
    path("<int:meeting_id>/agenda/", views.propose, name="propose"),
    path("<int:meeting_id>/agenda/publish/", views.publish, name="publish"),
    path("<int:meeting_id>/agenda/<int:item_id>/dot/", views.dot, name="dot"),
    path("<int:meeting_id>/agenda/<int:item_id>/leave-off/", views.leave_off, name="leave_off"),
    path("<int:meeting_id>/agenda/<int:item_id>/minutes/", views.minutes, name="minutes"),
    path("<int:meeting_id>/print/agenda/", views.print_agenda, name="print_agenda"),
    path("<int:meeting_id>/print/attendance/", views.print_attendance, name="print_attendance"),
    path("<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("<int:meeting_id>/attendance/pay/", views.pay_owed, name="pay_owed"),
    path("<int:meeting_id>/decisions/new/", views.decision_create, name="decision_create"),
]
