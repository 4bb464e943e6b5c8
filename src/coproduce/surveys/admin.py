from django.contrib import admin

from .models import Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "status", "version", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["space", "replaces", "created_by"]
