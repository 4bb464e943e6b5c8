from django.contrib import admin

from .models import Block, HelpRequest, Listing, Report


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["person", "place", "offers", "stages", "updated_at"]
    search_fields = ["person__display_name", "skills", "place"]
    raw_id_fields = ["person"]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["asker", "kind", "stage", "is_open", "created_at"]
    raw_id_fields = ["asker"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    raw_id_fields = ["blocker", "blocked"]


# Messages are not in the admin: they are for their two people, and admins see reported ones only, on the
# directory's moderation page.
@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["pk", "reporter", "created_at", "resolved_at", "outcome"]
    raw_id_fields = ["reporter", "listed_person", "resolved_by"]
    exclude = ["message"]
