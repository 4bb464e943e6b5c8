"""The trail and impact pages (mounted at the site root in coproduce/urls.py, namespace "impact")."""

from django.urls import path

from . import views_impact as views

app_name = "impact"
urlpatterns = [
    path("spaces/<slug:slug>/impact/", views.report, name="report"),
    path("spaces/<slug:slug>/impact/print/", views.report_print, name="print"),
    path("spaces/<slug:slug>/impact/figures.csv", views.report_csv, name="csv"),
    path("spaces/<slug:slug>/impact/figures.json", views.report_json, name="json"),
    path("spaces/<slug:slug>/impact/you-said-we-did/", views.you_said, name="you_said"),
    path("spaces/<slug:slug>/impact/trail/<str:kind>/<int:pk>/", views.trail_page, name="trail"),
    path("me/what-became-of-it/", views.my_trail, name="mine"),
    path("network/impact/", views.network, name="network"),
]
