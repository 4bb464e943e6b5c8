from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(sender, using, **kwargs) -> None:
    """The cache (settings.CACHES: the limits on sign-in attempts) lives in a table of its own that no
    migration makes: create it after every `migrate` (so `coproduce serve` and the tests too). Idempotent;
    does nothing when the cache is Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "coproduce.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="coproduce.core.cache_table")
