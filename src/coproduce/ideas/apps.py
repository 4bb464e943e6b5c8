from typing import cast

from django.apps import AppConfig
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduce.core.registry import Link, ModuleItem, ModuleManifest, PersonalDataKind, Source, lazy


def items_for_stage(stage, user):
    """The space's ideas, as one link with a count, for anyone who may see the space."""
    from coproduce.spaces import access

    from .models import Idea, IdeaStatus

    space = stage.space
    if not access.can_view(user, space):
        return []
    # The space page asks once per stage (co-commissioning and co-design): count once per page.
    counts = getattr(space, "_idea_counts", None)
    if counts is None:
        counts = space._idea_counts = Idea.objects.filter(space=space).aggregate(
            total=Count("pk"), adopted=Count("pk", filter=Q(status=IdeaStatus.ADOPTED))
        )
    total, adopted = counts["total"], counts["adopted"]
    return [
        ModuleItem(
            title=ngettext("%(n)s idea", "%(n)s ideas", total) % {"n": total},
            url=reverse("ideas:list", args=[space.slug]),
            status=ngettext("%(n)s adopted", "%(n)s adopted", adopted) % {"n": adopted} if adopted else "",
        )
    ]


def idea_source(user, pk: int) -> Source:
    """ "ideas.idea": an idea as other modules see it (see selectors.idea_source)."""
    from .selectors import idea_source as lookup

    return lookup(user, pk)


def waiting_items(user):
    """For the person's home: reported comments for the facilitators and hosts of a space."""
    from .selectors import waiting_items as lookup

    return lookup(user)


def network_admin(user):
    """Ideas' part of the network admin screen (see selectors.network_section)."""
    from .selectors import network_section

    return network_section(user)


def quality_evidence(space):
    """This module's counts for the quality check (see evidence.py)."""
    from .evidence import evidence

    return evidence(space)


def quality_records(space, measure, stages, perspectives, *, limit: int):
    """The records behind one of those counts (see evidence.py)."""
    from .evidence import evidence_records

    return evidence_records(space, measure, stages, perspectives, limit=limit)


def trail(kind, pks, viewer):
    """What became of other modules' objects, as far as this module knows (see trail.py)."""
    from .trail import trail as steps

    return steps(kind, pks, viewer)


def contributions(viewer, *, space=None, author=None, limit=None):
    """What people said in this module, for "you said, we did" (see trail.py)."""
    from .trail import contributions as said

    return said(viewer, space=space, author=author, limit=limit)


class IdeasConfig(AppConfig):
    name = "coproduce.ideas"
    label = "ideas"
    verbose_name = _("Ideas")
    manifest = ModuleManifest(
        name="ideas",
        evidence=quality_evidence,
        evidence_records=quality_records,
        trail=trail,
        contributions=contributions,
        # Translated when shown; the registry types them as text (a lazy string is one when rendered).
        label=cast(str, _("Ideas")),
        description=cast(
            str,
            _(
                "Members post ideas, comment, support and write them together; facilitators say what "
                "became of each, with a reason."
            ),
        ),
        stages=("co_commissioning", "co_design"),
        items_for_stage=items_for_stage,
        sources={"ideas.idea": idea_source},
        # A statement that found common ground in a conversation can be posted as an idea, prefilled.
        links=(
            Link(
                "conversations.statement",
                cast(str, _("Make it an idea")),
                lazy("coproduce.ideas.selectors", "make_idea_url"),
            ),
        ),
        waiting_for=waiting_items,
        network_admin=network_admin,
        search_documents=lazy("coproduce.ideas.selectors", "search_documents"),
        search_kinds=("ideas.idea",),
        personal_data=lazy("coproduce.ideas.privacy", "personal_data"),
        erase=lazy("coproduce.ideas.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_("Ideas and comments you write, ideas you support, and comments you report."),
                why=_("So that people can discuss and support ideas, and moderators can act on reports."),
                on_erasure=_("Kept, shown as a “Former member”’s: nobody can tell it was yours."),
            ),
        ),
        personal_data_models=(
            "ideas.Idea",
            "ideas.IdeaCoAuthor",
            "ideas.Support",
            "ideas.Comment",
            "ideas.CommentReport",
        ),
    )
