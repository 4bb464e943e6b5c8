from django.contrib import admin

from .models import EntryDispute, Invitation, JoinRequest, Membership, MembershipChange, Space, Stage


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    can_delete = False
    fields = ["kind", "status", "starts_on", "ends_on"]
    readonly_fields = ["kind"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at"]


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "visibility", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["title", "purpose", "place"]
    readonly_fields = ["slug", "created_by", "created_at", "updated_at"]
    filter_horizontal = ["organisations"]
    inlines = [StageInline, MembershipInline]


@admin.register(EntryDispute)
class EntryDisputeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "person", "space", "event"]
    list_select_related = ["person", "space", "event"]
    raw_id_fields = ["event", "person", "space"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "space", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["user", "space"]


@admin.register(MembershipChange)
class MembershipChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "space", "user", "kind", "role", "perspective", "changed_by"]
    list_select_related = ["space", "user", "changed_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["space", "role", "uses", "max_uses", "expires_at", "revoked"]
    readonly_fields = ["token_hash"]
