from django.contrib import admin

from .models import Budget, BudgetResult, Project, ProjectCostChange, Voter


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "phase", "amount", "currency", "ballot_type", "rule", "created_at"]
    list_filter = ["phase", "ballot_type", "rule"]
    search_fields = ["title"]
    raw_id_fields = ["space", "stage", "created_by"]


class CostChangeInline(admin.TabularInline):
    model = ProjectCostChange
    extra = 0
    raw_id_fields = ["changed_by"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "budget", "cost", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    raw_id_fields = ["budget", "submitted_by", "reviewed_by"]
    inlines = [CostChangeInline]


@admin.register(Voter)
class VoterAdmin(admin.ModelAdmin):
    """Who has voted, never what: ballots are deliberately not in the admin."""

    list_display = ["budget", "user", "reference", "method", "voted_at"]
    list_filter = ["method"]
    raw_id_fields = ["budget", "user", "recorded_by"]


@admin.register(BudgetResult)
class BudgetResultAdmin(admin.ModelAdmin):
    list_display = ["budget", "rule", "ballots", "computed_at"]
    raw_id_fields = ["budget"]
