from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.directory, name="list"),
    path("me/", views.my_listing, name="my_listing"),
    path("me/leave/", views.leave, name="leave"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/message/", views.write, name="write"),
    path("people/<int:person_id>/block/", views.block, name="block"),
    path("people/<int:person_id>/unblock/", views.unblock, name="unblock"),
    path("people/<int:person_id>/report/", views.report_listing, name="report_listing"),
    path("help/", views.requests, name="requests"),
    path("help/new/", views.request_new, name="request_new"),
    path("help/<int:request_id>/", views.request_detail, name="request"),
    path("help/<int:request_id>/close/", views.request_close, name="request_close"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:thread_id>/", views.thread, name="thread"),
    path("messages/report/<int:message_id>/", views.report_message, name="report_message"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:report_id>/", views.resolve, name="resolve"),
]
