"""What ideas hold about a person: their ideas, comments, supports and reports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import Comment, CommentReport, Idea, IdeaCoAuthor, Support


def personal_data(person: Any) -> list:
    return [
        section(
            "ideas",
            "ideas",
            _("Ideas you wrote"),
            Idea.objects.filter(author=person).select_related("space"),
            ["space__title", "title", "body", "status", "author_perspective", "created_at"],
        ),
        section(
            "ideas",
            "co_authored",
            _("Ideas you wrote with others"),
            IdeaCoAuthor.objects.filter(user=person).select_related("idea"),
            ["idea__title", "perspective", "added_at"],
        ),
        section(
            "ideas",
            "supports",
            _("Ideas you supported"),
            Support.objects.filter(user=person).select_related("idea"),
            ["idea__title", "perspective", "created_at"],
        ),
        section(
            "ideas",
            "comments",
            _("Your comments on ideas"),
            Comment.objects.filter(author=person).select_related("idea"),
            ["idea__title", "body", "created_at", "edited_at", "hidden_at"],
        ),
        section(
            "ideas",
            "reports",
            _("Comments you reported"),
            CommentReport.objects.filter(reporter=person),
            ["comment_id", "reason", "created_at", "resolved_at"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    """Ideas, comments and supports stay, so that counts and discussions keep their sense; they are
    shown as a "Former member"'s."""
    return {
        "ideas_kept": Idea.objects.filter(author=person).count(),
        "comments_kept": Comment.objects.filter(author=person).count(),
    }
