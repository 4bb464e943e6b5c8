"""Atom feeds of the hub's public posts: the whole hub, and one per category. Only published posts; held
and hidden ones never appear. When the hub is not public there are no feeds (404): a feed reader cannot sign in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import access, selectors
from .models import Category, Post

FEED_ITEMS = 30


class HubFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        if not access.hub_is_public():
            raise Http404
        return None

    def title(self, obj=None) -> str:
        return _("%(network)s hub: latest posts") % {"network": settings.NETWORK_NAME}

    def subtitle(self, obj=None) -> str:
        return _("What members of the network have posted.")

    def link(self, obj=None) -> str:
        return reverse("hub:home")

    def items(self, obj=None):
        return selectors.published()[:FEED_ITEMS]

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.body  # escaped by the feed generator: text, never HTML from a member

    def item_link(self, item: Post) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_updateddate(self, item: Post):
        return item.edited_at or item.published_at

    def item_author_name(self, item: Post) -> str:
        return item.author.display_name

    def item_categories(self, item: Post):
        return [item.category.name, item.get_kind_display()]


class CategoryFeed(HubFeed):
    def get_object(self, request, *args, **kwargs):
        super().get_object(request)
        return get_object_or_404(Category, slug=kwargs["slug"])

    def title(self, obj=None) -> str:
        return _("%(network)s hub: %(category)s") % {"network": settings.NETWORK_NAME, "category": obj}

    def link(self, obj=None) -> str:
        return obj.get_absolute_url()

    def items(self, obj=None):
        return selectors.published().filter(category=obj)[:FEED_ITEMS]
