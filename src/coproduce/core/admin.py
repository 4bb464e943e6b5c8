from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is never edited, not even by network administrators."""

    list_display = ["at", "action", "summary", "actor", "on_behalf_of", "space", "public"]
    list_filter = ["action", "public"]
    search_fields = ["summary", "action"]
    list_select_related = ["actor", "on_behalf_of", "space"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
