from django.contrib import admin

from .models import Analysis, SroiOutcome, UnitCost


@admin.register(UnitCost)
class UnitCostAdmin(admin.ModelAdmin):
    list_display = ["name", "value", "unit", "source", "price_year"]
    search_fields = ["name", "source"]


class OutcomeInline(admin.TabularInline):
    model = SroiOutcome
    extra = 0


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    list_display = ["space", "money_inputs", "volunteer_hours", "discount_rate", "updated_at"]
    raw_id_fields = ["space", "created_by"]
    inlines = [OutcomeInline]
