from django.urls import path

from .views import accounts, coordinate, exchanges, home, listings

app_name = "timebank"
urlpatterns = [
    path("", home.home, name="home"),
    path("join/", home.join, name="join"),
    path("listings/", listings.listings, name="listings"),
    path("listings/new/", listings.listing_new, name="listing_new"),
    path("listings/<int:listing_id>/", listings.listing, name="listing"),
    path("listings/<int:listing_id>/edit/", listings.listing_edit, name="listing_edit"),
    path("exchanges/", exchanges.exchanges, name="exchanges"),
    path("exchanges/new/", exchanges.exchange_new, name="exchange_new"),
    path("exchanges/group/", exchanges.exchange_group, name="exchange_group"),
    path("exchanges/<int:exchange_id>/", exchanges.exchange, name="exchange"),
    path("exchanges/<int:exchange_id>/confirm/", exchanges.exchange_confirm, name="exchange_confirm"),
    path("exchanges/<int:exchange_id>/dispute/", exchanges.exchange_dispute, name="exchange_dispute"),
    path("exchanges/<int:exchange_id>/withdraw/", exchanges.exchange_cancel, name="exchange_cancel"),
    path("exchanges/<int:exchange_id>/resolve/", exchanges.exchange_resolve, name="exchange_resolve"),
    path("me/", accounts.me, name="me"),
    path("accounts/<int:account_id>/", accounts.account, name="account"),
    path("accounts/<int:account_id>/statement.csv", accounts.statement, name="statement"),
    path("accounts/<int:account_id>/limits/", accounts.account_limits, name="account_limits"),
    path("transfers/<int:transfer_id>/correct/", accounts.transfer_reverse, name="transfer_reverse"),
    path("pot/", accounts.pot, name="pot"),
    path("coordinate/", coordinate.dashboard, name="dashboard"),
    path("coordinate/members/", coordinate.members, name="members"),
    path("coordinate/members/<int:member_id>/", coordinate.member, name="member"),
    path("coordinate/exchanges.csv", coordinate.export_exchanges, name="export_exchanges"),
    path("coordinate/balances.csv", coordinate.export_balances, name="export_balances"),
    path("coordinate/import/", coordinate.import_history, name="import"),
    path("coordinate/import/example.csv", coordinate.import_template, name="import_template"),
    path("coordinate/settings/", coordinate.network_settings, name="settings"),
]
