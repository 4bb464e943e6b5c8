from django.contrib import admin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "space", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["key", "recipient__display_name"]
    raw_id_fields = ["recipient", "actor", "space"]
    readonly_fields = ["created_at", "read_at", "emailed_at"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    raw_id_fields = ["user"]
