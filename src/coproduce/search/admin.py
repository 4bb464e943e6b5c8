from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "title", "space", "public", "when", "indexed_at"]
    list_filter = ["kind", "public"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Document._meta.fields]

    def has_add_permission(self, request):
        return False  # the index is written from the modules (`coproduce search reindex`)
