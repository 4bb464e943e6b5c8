from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import ApiToken, Organisation, OrganisationMembership, Tag, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["display_name"]
    # Email addresses stay off lists and search: an administrator sees one only when opening an account
    # to help its owner (for example to correct a typo), never in bulk.
    list_display = ["display_name", "is_staff", "is_active", "date_joined", "erased_at"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["display_name"]
    filter_horizontal = ["skills", "interests", "groups", "user_permissions"]
    readonly_fields = ["date_joined", "last_login", "assisted_by", "erased_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Profile",
            {
                "fields": [
                    "display_name",
                    "pronouns",
                    "bio",
                    "what_i_bring",
                    "skills",
                    "interests",
                    "contact_preference",
                    "assisted_by",
                ]
            },
        ),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined", "erased_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})
    ]

    # Deleting a person erases them instead (people.services.person_erase): the row stays as a nameless
    # "Former member", so that nothing they took part in (ballots, ledger postings, ideas, attendance,
    # decisions) blocks it or is lost, and the confirmation lists no protected objects.
    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.erased_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        erased = [
            f"{obj} (erased: kept as “{services.ERASED_NAME}” with no name, email or password)"
            for obj in objs
        ]
        return erased, {"people": len(erased)}, set(), []

    def delete_model(self, request, obj):
        services.person_erase(actor=request.user, person=obj)

    def delete_queryset(self, request, queryset):
        for person in queryset.filter(erased_at__isnull=True):
            services.person_erase(actor=request.user, person=person)


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "place"]
    list_filter = ["kind"]
    search_fields = ["name", "place"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationMembershipInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["user", "name", "prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
