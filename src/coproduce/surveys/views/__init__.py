"""The survey pages (see urls.py): building, answering and results."""

from .answering import answer, check, detail, done, paper, printable, with_link
from .building import (
    build,
    links,
    new_version,
    place_standard,
    question_add,
    question_delete,
    question_edit,
    question_move,
    section_add,
    set_status,
    settings,
    survey_create,
    survey_list,
)
from .results import hide_answer, results, results_csv

__all__ = [
    "answer",
    "build",
    "check",
    "detail",
    "done",
    "hide_answer",
    "links",
    "new_version",
    "paper",
    "place_standard",
    "printable",
    "question_add",
    "question_delete",
    "question_edit",
    "question_move",
    "results",
    "results_csv",
    "section_add",
    "set_status",
    "settings",
    "survey_create",
    "survey_list",
    "with_link",
]
