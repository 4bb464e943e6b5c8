"""What the hub holds about a person: posts, comments, what they found helpful, reports and digest choice."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import Comment, DigestChoice, Helped, Post, Report


def personal_data(person: Any) -> list:
    return [
        section(
            "hub",
            "posts",
            _("Your posts on the hub"),
            Post.objects.filter(author=person),
            ["kind", "title", "body", "status", "created_at", "published_at"],
        ),
        section(
            "hub",
            "comments",
            _("Your comments on the hub"),
            Comment.objects.filter(author=person).select_related("post"),
            ["post__title", "body", "created_at", "hidden_at"],
        ),
        section(
            "hub",
            "helped",
            _("Posts and comments you found helpful"),
            Helped.objects.filter(user=person),
            ["post_id", "comment_id", "created_at"],
        ),
        section(
            "hub",
            "reports",
            _("What you reported on the hub"),
            Report.objects.filter(reporter=person),
            ["post_id", "comment_id", "reason", "created_at", "resolved_at"],
        ),
        section(
            "hub",
            "digest",
            _("Your weekly digest choice"),
            DigestChoice.objects.filter(user=person),
            ["weekly", "changed_at"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    """Posts, comments and "helped" marks stay, as a "Former member"'s; the weekly digest stops."""
    return {"digest": DigestChoice.objects.filter(user=person).delete()[0]}
