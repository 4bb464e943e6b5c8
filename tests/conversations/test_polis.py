"""Importing and exporting the Polis format: good files, bad files (nothing imported), the command line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from coproduce.conversations import services
from coproduce.conversations.models import Conversation, Participant, Statement, Vote
from coproduce.conversations.services.polis import ImportFailed

COMMENTS = """timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
1,x,0,0,0,0,1,The drop-in should open in the evenings.
2,x,1,1,0,0,1,Peer support workers should run it.
3,x,2,1,0,0,-1,Rude words here.
"""
VOTES = """timestamp,datetime,comment-id,voter-id,vote
10,x,0,0,1
11,x,1,0,-1
12,x,0,1,-1
13,x,1,1,1
14,x,0,1,1
15,x,2,2,0
"""


def export_folder(tmp_path: Path, votes: str = VOTES) -> Path:
    (tmp_path / "comments.csv").write_text(COMMENTS)
    (tmp_path / "votes.csv").write_text(votes)
    return tmp_path


def test_a_good_export_is_imported(space, host, tmp_path):
    conversation = services.polis_import(
        actor=host, space=space, folder=export_folder(tmp_path), question="Q?"
    )
    assert Statement.objects.filter(conversation=conversation).count() == 3
    assert Statement.objects.get(conversation=conversation, external_id="2").status == "rejected"
    assert Participant.objects.filter(conversation=conversation, user=None).count() == 3
    # Voter 1 changed their vote on comment 0: the latest counts.
    assert Vote.objects.get(participant__external_id="1", statement__external_id="0").value == 1
    assert Vote.objects.filter(conversation=conversation).count() == 5


def test_a_malformed_file_names_file_and_line_and_imports_nothing(space, host, tmp_path):
    bad = VOTES + "16,x,1,2,7\n"
    with pytest.raises(ImportFailed, match=r"votes.csv, line 8"):
        services.polis_import(actor=host, space=space, folder=export_folder(tmp_path, bad), question="Q?")
    assert not Conversation.objects.filter(space=space).exists() and not Vote.objects.exists()


def test_upload_from_the_web_and_export_back(space, host, client_for, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/comments.csv", COMMENTS)
        archive.writestr("export/votes.csv", VOTES)
    buffer.seek(0)
    buffer.name = "export.zip"
    client = client_for(host)
    response = client.post(
        reverse("conversations:import", args=[space.slug]), {"question": "Imported?", "export": buffer}
    )
    assert response.status_code == 302, response.content.decode()
    conversation = Conversation.objects.get(question="Imported?")
    exported = client.get(reverse("conversations:export", args=[space.slug, conversation.pk]))
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        names = set(archive.namelist())
        assert {"comments.csv", "votes.csv"} <= names
        assert "Peer support workers" in archive.read("comments.csv").decode()


def test_a_bad_upload_says_what_is_wrong_and_keeps_nothing(space, host, client_for):
    comments = io.BytesIO(COMMENTS.encode())
    comments.name = "comments.csv"
    votes = io.BytesIO((VOTES + "16,x,9,2,1\n").encode())
    votes.name = "votes.csv"
    response = client_for(host).post(
        reverse("conversations:import", args=[space.slug]),
        {"question": "Bad?", "comments": comments, "votes": votes},
    )
    assert response.status_code == 400
    assert "votes.csv, line 8" in response.content.decode()
    assert not Conversation.objects.filter(question="Bad?").exists()


def test_the_command_line_import(space, tmp_path):
    out = io.StringIO()
    call_command("conversation", "import", str(export_folder(tmp_path)), "--space", space.slug, stdout=out)
    assert "3 statements, 5 votes" in out.getvalue()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "conversation", "import", str(export_folder(tmp_path, VOTES + "x\n")), "--space", space.slug
        )
