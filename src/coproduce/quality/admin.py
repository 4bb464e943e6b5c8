from django.contrib import admin

from .models import QualityCheck, SelfAssessment, TargetShare


@admin.register(QualityCheck)
class QualityCheckAdmin(admin.ModelAdmin):
    list_display = ["space", "computed_at", "requested_at"]
    readonly_fields = ["space", "evidence", "judgement", "computed_at", "requested_at"]


admin.site.register(SelfAssessment)
admin.site.register(TargetShare)
