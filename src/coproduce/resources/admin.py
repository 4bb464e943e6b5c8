from django.contrib import admin

from .models import Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "content_type", "published_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "summary", "tags"]
    readonly_fields = ["file", "file_name", "content_type", "size", "author", "published_at"]
