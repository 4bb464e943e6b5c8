from django.contrib import admin

from .models import Comment, CommentReport, Idea, IdeaCoAuthor, Support


class CoAuthorInline(admin.TabularInline):
    model = IdeaCoAuthor
    extra = 0
    raw_id_fields = ["user", "added_by"]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "status", "author_perspective", "created_at"]
    list_filter = ["status", "author_perspective"]
    search_fields = ["title", "body"]
    raw_id_fields = ["space", "author", "merged_into", "status_changed_by"]
    readonly_fields = ["created_at", "updated_at", "status_changed_at"]
    inlines = [CoAuthorInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["idea", "author", "created_at", "hidden_at"]
    raw_id_fields = ["idea", "parent", "author", "hidden_by"]
    search_fields = ["body"]


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reporter", "created_at", "resolved_at"]
    raw_id_fields = ["comment", "reporter", "resolved_by"]


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["idea", "user", "perspective", "created_at"]
    raw_id_fields = ["idea", "user"]
