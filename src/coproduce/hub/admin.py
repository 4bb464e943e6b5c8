from django.contrib import admin

from .models import Category, Comment, Post, Report


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "kind", "status", "published_at"]
    list_filter = ["status", "kind", "category"]
    raw_id_fields = ["author", "hidden_by"]
    readonly_fields = ["comment_count", "helped_count"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["post", "created_at", "hidden_at"]
    raw_id_fields = ["post", "parent", "author", "hidden_by"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "post", "comment", "resolved_at"]
    raw_id_fields = ["reporter", "post", "comment", "resolved_by"]
