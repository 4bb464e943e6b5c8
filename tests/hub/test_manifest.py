from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.core import registry
from coproduce.hub import selectors, services


def test_admins_see_reports_and_held_posts_waiting_in_one_query(admin_user, reader, newcomer, general, post):
    services.post_create(actor=newcomer, category=general, kind="news", title="Held", body="b")
    services.report_create(actor=reader, post=post, reason="Spam")
    with CaptureQueriesContext(connection) as queries:
        items = selectors.waiting_items(admin_user)
    assert len(queries) == 1
    assert {i.kind for i in items} == {"hub_reports", "hub_held_posts"}
    assert selectors.waiting_items(reader) == []
    assert any(i.module == "hub" for i in registry.waiting_for(admin_user))


def test_the_network_admin_section(admin_user, reader, post):
    services.report_create(actor=reader, post=post, reason="Spam")
    section = selectors.network_section(admin_user)
    assert section is not None and section.needs_attention == 1
    assert selectors.network_section(reader) is None


def test_the_hub_section_and_other_modules_sections(client_for, reader, post):
    from coproduce.core.registry import HubSection, ModuleManifest

    section = selectors.hub_section(reader)
    assert section is not None and section.rows[0].title == post.title
    registry.register(
        ModuleManifest(
            name="events-stub",
            label="e",
            description="e",
            stages=(),
            hub_section=lambda user: HubSection(
                module="events-stub", title="Coming events", url="/hub/", order=20
            ),
        )
    )
    try:
        page = client_for(reader).get("/hub/").content.decode()
    finally:
        registry.unregister("events-stub")
    assert "Coming events" in page
