from django.contrib import admin

from .models import Action, ActionUpdate


class UpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    raw_id_fields = ["author", "on_behalf_of"]
    readonly_fields = ["created_at"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "status", "progress", "due_on", "owner_perspective"]
    list_filter = ["status", "owner_perspective"]
    search_fields = ["title", "description"]
    raw_id_fields = ["space", "owner", "decision", "idea", "created_by"]
    readonly_fields = ["created_at", "updated_at", "last_reminded_on"]
    inlines = [UpdateInline]
