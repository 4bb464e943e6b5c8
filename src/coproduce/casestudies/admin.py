from django.contrib import admin

from .models import CaseStudy


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "status", "licence", "published_at"]
    list_filter = ["status", "licence"]
    search_fields = ["title", "place", "topics"]
    readonly_fields = ["author", "space", "generated", "published_at"]
