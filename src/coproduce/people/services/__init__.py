"""Every write on people, organisations and API tokens (`accounts`), and a person's data: their download and
the erasure of their account (`privacy`)."""

from .accounts import (
    CLAIM_NOT_WORKING,
    ORGANISATION_FIELDS,
    PROFILE_FIELDS,
    TAG_MAX,
    account_claim,
    api_token_create,
    api_token_revoke,
    organisation_admin_set,
    organisation_create,
    organisation_join,
    organisation_membership_remove,
    organisation_membership_set,
    organisation_update,
    parse_tags,
    person_set_active,
    profile_update,
    user_for_api_token,
)
from .privacy import ERASED_NAME, expire_special_category, person_erase, personal_data_csv, personal_data_json

__all__ = [
    "CLAIM_NOT_WORKING",
    "ERASED_NAME",
    "ORGANISATION_FIELDS",
    "PROFILE_FIELDS",
    "TAG_MAX",
    "account_claim",
    "api_token_create",
    "api_token_revoke",
    "expire_special_category",
    "organisation_admin_set",
    "organisation_create",
    "organisation_join",
    "organisation_membership_remove",
    "organisation_membership_set",
    "organisation_update",
    "parse_tags",
    "person_erase",
    "person_set_active",
    "personal_data_csv",
    "personal_data_json",
    "profile_update",
    "user_for_api_token",
]
