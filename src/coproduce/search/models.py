"""The network search's index: one row per thing that may be found, as its module told it (`SearchDocument`).

The full-text part sits beside the table and differs by database (see migrations/0001_initial.py):

- SQLite: an FTS5 table `search_document_fts` (external content: this table; `porter unicode61`, so that
  "volunteering" finds "volunteer"), kept in step by triggers, so that every write to this table, through the
  ORM or bulk SQL, is seen by the index in the same transaction.
- PostgreSQL: a generated `tsvector` column `search_vector` (english; the title weighted A, the body B) with a
  GIN index, which PostgreSQL keeps in step itself.

Neither is a model field: the ORM never reads or writes them, `search.query` asks them with SQL.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Document(models.Model):
    kind = models.CharField(max_length=60)  # "<module>.<thing>", e.g. "ideas.idea"
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # Whose it is: None for the network's own things (a hub post). Visibility is checked against the space
    # when searching, so a space made private stops showing at once, before anything is reindexed.
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=True
    )
    public = models.BooleanField(default=True)  # False: only for people signed in (a directory entry)
    when = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=120, blank=True)
    # The Co-production Star stages, each between commas (",co_design,co_delivery,"), so that one stage is
    # found with LIKE on either database.
    stages = models.CharField(max_length=200, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_document"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once"),
            models.CheckConstraint(condition=~Q(kind=""), name="search_document_has_kind"),
        ]
        indexes = [models.Index(fields=["when"], name="search_document_when")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
