from django.contrib import admin

from .models import Conversation


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["question", "space", "is_open", "moderation", "created_at"]
    list_filter = ["is_open", "moderation"]
    search_fields = ["question"]
    readonly_fields = ["space", "created_by", "analysis_requested_at"]
