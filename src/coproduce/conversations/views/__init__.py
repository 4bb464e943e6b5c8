from .managing import (
    create,
    enter_votes,
    export_polis,
    import_polis,
    moderate,
    moderation,
    moderation_log,
    moderation_log_csv,
    settings,
)
from .results import participants_csv, report, statements_csv
from .taking_part import conversation_list, detail, statement_add, vote

__all__ = [
    "conversation_list",
    "create",
    "detail",
    "enter_votes",
    "export_polis",
    "import_polis",
    "moderate",
    "moderation",
    "moderation_log",
    "moderation_log_csv",
    "participants_csv",
    "report",
    "settings",
    "statement_add",
    "statements_csv",
    "vote",
]
