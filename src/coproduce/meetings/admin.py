from django.contrib import admin

from .models import AgendaItem, Attendance, Decision, DecisionVoice, Meeting, Registration


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["title", "status", "position", "dot_count", "proposer_perspective"]
    readonly_fields = ["proposer_perspective"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "starts_at", "format", "capacity", "cancelled_at"]
    list_filter = ["format"]
    search_fields = ["title"]
    raw_id_fields = [
        "space",
        "credit_organisation",
        "created_by",
        "agenda_published_by",
        "attendance_confirmed_by",
    ]
    inlines = [AgendaItemInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["meeting", "user", "status", "registered_at"]
    list_filter = ["status"]
    raw_id_fields = ["meeting", "user"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "user", "perspective", "credit_status", "credit_minutes"]
    list_filter = ["credit_status"]
    raw_id_fields = ["meeting", "user", "recorded_by"]


class VoiceInline(admin.TabularInline):
    model = DecisionVoice
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "created_at"]
    raw_id_fields = ["meeting", "agenda_item", "created_by"]
    inlines = [VoiceInline]
