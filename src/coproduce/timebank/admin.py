"""Admin for network administrators. The ledger is read-only here: balances move only through the
services (a correction is a reversing transfer, made from the timebank pages), so an admin can never
corrupt a balance by editing or deleting a transfer."""

from django.contrib import admin

from .models import (
    Account,
    Category,
    Exchange,
    ExchangeParty,
    Listing,
    Posting,
    TimebankMember,
    TimebankSettings,
    Transfer,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    fields = ["account", "amount"]
    readonly_fields = ["account", "amount"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "kind", "description", "recorded_by", "reverses"]
    list_filter = ["kind"]
    search_fields = ["description", "key"]
    list_select_related = ["recorded_by", "reverses"]
    inlines = [PostingInline]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["id", "transfer", "account", "amount"]
    list_select_related = ["transfer", "account__user", "account__organisation"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "owner_name", "balance", "min_balance", "max_balance", "custom_limits"]
    list_filter = ["kind", "custom_limits"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__display_name", "organisation__name"]
    # Limits are changed on the account's page, where the change is audited; the balance never by hand.
    readonly_fields = [
        "kind",
        "user",
        "organisation",
        "balance",
        "min_balance",
        "max_balance",
        "custom_limits",
        "created_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TimebankMember)
class TimebankMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "is_coordinator", "area", "joined_at"]
    list_filter = ["status", "is_coordinator"]
    list_select_related = ["user"]
    search_fields = ["user__display_name", "area"]
    readonly_fields = ["user", "status", "decided_by", "decided_at", "joined_at"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "category", "is_open", "created_at"]
    list_filter = ["kind", "is_open", "category"]
    list_select_related = ["owner", "category"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["owner"]


class ExchangePartyInline(admin.TabularInline):
    model = ExchangeParty
    extra = 0
    readonly_fields = ["account", "side", "must_confirm", "confirmed_by", "confirmed_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["what", "minutes", "happened_on", "status", "recorded_by"]
    list_filter = ["status"]
    list_select_related = ["recorded_by"]
    inlines = [ExchangePartyInline]


@admin.register(TimebankSettings)
class TimebankSettingsAdmin(ReadOnlyAdmin):
    list_display = ["confirmation_required", "default_min_balance", "default_max_balance", "updated_at"]
