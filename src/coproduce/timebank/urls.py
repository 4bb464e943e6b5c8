from django.urls import path

from . import views

app_name = "timebank"
urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("listings/", views.listings, name="listings"),
    path("listings/new/", views.listing_new, name="listing_new"),
    path("listings/<int:listing_id>/", views.listing, name="listing"),
    path("listings/<int:listing_id>/edit/", views.listing_edit, name="listing_edit"),
    path("exchanges/", views.exchanges, name="exchanges"),
    path("exchanges/new/", views.exchange_new, name="exchange_new"),
    path("exchanges/group/", views.exchange_group, name="exchange_group"),
    path("exchanges/<int:exchange_id>/", views.exchange, name="exchange"),
    path("exchanges/<int:exchange_id>/confirm/", views.exchange_confirm, name="exchange_confirm"),
    path("exchanges/<int:exchange_id>/dispute/", views.exchange_dispute, name="exchange_dispute"),
    path("exchanges/<int:exchange_id>/withdraw/", views.exchange_cancel, name="exchange_cancel"),
    path("exchanges/<int:exchange_id>/resolve/", views.exchange_resolve, name="exchange_resolve"),
    path("me/", views.me, name="me"),
    path("accounts/<int:account_id>/", views.account, name="account"),
    path("accounts/<int:account_id>/statement.csv", views.statement, name="statement"),
    path("accounts/<int:account_id>/limits/", views.account_limits, name="account_limits"),
    path("transfers/<int:transfer_id>/correct/", views.transfer_reverse, name="transfer_reverse"),
    path("pot/", views.pot, name="pot"),
    path("coordinate/", views.dashboard, name="dashboard"),
    path("coordinate/members/", views.members, name="members"),
    path("coordinate/members/<int:member_id>/", views.member, name="member"),
    path("coordinate/exchanges.csv", views.export_exchanges, name="export_exchanges"),
    path("coordinate/balances.csv", views.export_balances, name="export_balances"),
    path("coordinate/import/", views.import_history, name="import"),
    path("coordinate/import/example.csv", views.import_template, name="import_template"),
    path("coordinate/settings/", views.network_settings, name="settings"),
]
