"""Languages (issue 17, point 8): every string people read is translatable, and stays so.

- The catalogues are what `coproduce messages` writes from the source (no marked string missing) and compiled.
- A pseudo-language, made here from every message the site knows (ours, Django's, allauth's), turns each into
  accented text ("Sígñ íñ"). Every kind of page in the URLconf is rendered in it, from the demo network, as
  a host, the network admin and a visitor. Whatever is left in plain ASCII letters on a page is a string that
  a translator could not reach: the test fails, naming it and the page. People's own words (titles, names,
  everything stored in the database) are first rewritten in full-width letters (Ｍｏｒａｇ), so they are
  told apart from the site's words without guessing.
- The language switcher, with two languages.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import shutil
import sys
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.translation import to_locale

SRC = Path(__file__).resolve().parents[2] / "src" / "coproduce"
# Neither the crawl nor the catalogues depend on the database: run once, in the SQLite suite (the demo load and
# the crawl take tens of seconds).
once = pytest.mark.any_database  # the same on every database: the SQLite run covers it
PSEUDO = "qps-ploc"  # the private-use code Windows uses for its pseudo-locale
PSEUDO_NAME = "Ƥšéûðö"

# --- The pseudo-language ----------------------------------------------------------------------------------

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçðéƒĝĥíĵķĺɱñöþʠŕšţûṽŵẋýžÁƁÇÐÉƑĜĤÍĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Left as they are: placeholders (%(name)s, %s, {name}), HTML tags and entities inside messages.
_KEEP = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]|%[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]|\{[^{}]*\}|&#?\w+;"
    r"|</?(?:a|abbr|b|br|code|em|i|kbd|li|p|span|strong|ul)\b[^>]*>"
)


def pseudo(message: str) -> str:
    out, last = [], 0
    for match in _KEEP.finditer(message):
        out.append(message[last : match.start()].translate(_ACCENTED))
        out.append(match.group())
        last = match.end()
    out.append(message[last:].translate(_ACCENTED))
    return "".join(out)


def known_catalogues() -> list[Path]:
    """Ours, and the English (or, lacking one, any) catalogue of Django and of each installed app."""
    roots = [Path(django.__file__).parent / "conf" / "locale"]
    roots += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    found = [Path(path) / "en_GB" / "LC_MESSAGES" / "django.po" for path in settings.LOCALE_PATHS]
    for root in roots:
        candidates = [
            root / "en" / "LC_MESSAGES" / "django.po",
            *sorted(root.glob("*/LC_MESSAGES/django.po")),
        ]
        found += (
            [next(path for path in candidates if path.exists())]
            if any(p.exists() for p in candidates)
            else []
        )
    return [path for path in found if path.exists()]


def write_pseudo_catalogue(locale_dir: Path) -> int:
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": to_locale(PSEUDO),
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen = set()
    for path in known_catalogues():
        for entry in polib.pofile(str(path)):
            key = (entry.msgctxt, entry.msgid)
            if key in seen or entry.obsolete:
                continue
            seen.add(key)
            if entry.msgid_plural:
                plural = {0: pseudo(entry.msgid), 1: pseudo(entry.msgid_plural)}
                catalogue.append(
                    polib.POEntry(
                        msgctxt=entry.msgctxt,
                        msgid=entry.msgid,
                        msgid_plural=entry.msgid_plural,
                        msgstr_plural=plural,
                    )
                )
            else:
                catalogue.append(
                    polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=pseudo(entry.msgid))
                )
    target = locale_dir / to_locale(PSEUDO) / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalogue.save_as_mofile(str(target / "django.mo"))
    return len(catalogue)


@pytest.fixture
def pseudo_language(settings, tmp_path):
    locale_dir = tmp_path / "locale"
    write_pseudo_catalogue(locale_dir)
    settings.LOCALE_PATHS = [locale_dir, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [("en-gb", "English"), (PSEUDO, PSEUDO_NAME)]
    return PSEUDO


# --- People's words, marked -------------------------------------------------------------------------------

_FULL_WIDTH = str.maketrans(
    {c: chr(ord(c) + 0xFEE0) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"}
)
# Codes the program reads (kinds, statuses, keys, paths, lists of choices), not words: left alone.
_CODE = re.compile(r"[a-z0-9]+_[a-z0-9_]+|[a-z0-9_]+[.:][a-z0-9_.:]+|/[\w/.?=&%-]*")
_NOT_WORDS = ("password", "token", "key", "hash", "secret", "salt", "code", "kind", "action", "path", "url")


def _choice_values() -> set[str]:
    """The values of every model field's choices and of every enumeration in coproduce (lib's too)."""
    values = {
        str(value)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        for value, _label in getattr(field, "flatchoices", None) or []
    }
    for module in [m for name, m in sys.modules.items() if name.startswith("coproduce.")]:
        for thing in vars(module).values():
            if isinstance(thing, type) and issubclass(thing, enum.Enum):
                values.update(str(member.value) for member in thing)
    return values


def _is_code(value: str) -> bool:
    """A choice's value or a list of them, a dotted kind ("idea.created"), a path: what the program reads."""
    return all(token in _CHOICES for token in value.split()) or _CODE.fullmatch(value) is not None


_CHOICES: set[str] = set()


def _mark(value):
    if isinstance(value, str):
        return value if _is_code(value) else value.translate(_FULL_WIDTH)
    if isinstance(value, list):
        return [_mark(item) for item in value]
    if isinstance(value, dict):
        return {key: _mark(item) for key, item in value.items()}
    return value


def mark_peoples_words() -> int:
    """Every text that people (or the demo, as people) wrote, rewritten in full-width letters."""
    _CHOICES.update(_choice_values())
    changed = 0
    for model in apps.get_models():
        if not model.__module__.startswith("coproduce.") or not model._meta.managed:
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
            and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
            and not field.choices
            and not field.primary_key
            and not any(part in field.name for part in _NOT_WORDS)
        ]
        if not fields:
            continue
        rows = []
        for row in model._base_manager.only("pk", *(field.attname for field in fields)):
            dirty = False
            for field in fields:
                value = getattr(row, field.attname)
                marked = _mark(value)
                if marked != value:
                    setattr(row, field.attname, marked)
                    dirty = True
            if dirty:
                rows.append(row)
        model._base_manager.bulk_update(rows, [field.attname for field in fields], batch_size=500)
        changed += len(rows)
    return changed


# --- Reading a page as a person would -----------------------------------------------------------------------

_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "label",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_WORD = re.compile(r"[A-Za-z]{2,}")
# Not words to translate: email addresses, web addresses and file names (people's own, or a format's).
_NAMES = re.compile(
    r"\S+@\S+\.\w+|\bhttps?://\S+|[\w.-]+\.(?:csv|pb|png|jpe?g|pdf|svg|txt|json|ics|docx?|xlsx?)\b"
)


class Reader(HTMLParser):
    """The text a person reads or hears on a page, the links to follow, and the forms that post."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, is the text inside not the page's language)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.posts: list[str] = []

    @property
    def elsewhere(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        other_language = "lang" in attributes and attributes["lang"] != self.language
        if tag not in _VOID:
            self.stack.append((tag, tag in {"script", "style"} or other_language))
        if self.elsewhere or other_language:
            return
        self.texts += [value for name, value in attributes.items() if name in _ATTRIBUTES]
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self.texts.append(attributes.get("value", ""))
        if tag == "meta" and attributes.get("name") == "description":
            self.texts.append(attributes.get("content", ""))
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "form":
            if attributes.get("method", "get").lower() == "post":
                self.posts.append(attributes.get("action", ""))
            elif attributes.get("action"):
                self.links.append(attributes["action"])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.elsewhere:
            self.texts.append(data)

    def untranslated(self) -> list[str]:
        return [" ".join(text.split()) for text in self.texts if _WORD.search(_NAMES.sub("", text))]


# --- Every page --------------------------------------------------------------------------------------------

# Not pages of this site's own: Django's admin (translated by Django), the API and its documentation (for
# programs; the JSON keeps English keys), and the language switcher's and sign-out's posts.
SKIP = re.compile(r"^/(admin|api|static|media)/|^/i18n/|^/accounts/logout/")


def url_names() -> set[str]:
    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name and not SKIP.match("/" + prefix):
                yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver().url_patterns, "", ""))


# Pages no link leads to from the demo network, each for a reason (a new page must be reachable, or listed).
NOT_LINKED = {
    "healthz": "for process managers and load balancers: no page, no words",
    "account_confirm_email": "the link in the verification email",
    "account_reset_password_from_key": "the link in the password reset email",
    "account_reset_password_from_key_done": "after a password reset",
    "account_email_verification_sent": "after registering",
    "account_inactive": "a deactivated account signing in",
    "account_reset_password_done": "after asking for a password reset",
    "account_signup_by_passkey": "passkeys are off",
    "account_login_code_confirm": "sign-in codes are off",
    "account_confirm_login_code": "sign-in codes are off",
    "account_request_login_code": "sign-in codes are off",
    "account_reauthenticate": "asked before a sensitive change",
    "account_change_password": "allauth's page, linked from the profile",
    "account_set_password": "for accounts without a password",
    "account_email": "allauth's page, linked from the profile",
    "account_reset_password": "linked from sign-in",
    "account_email_verification_sent_code": "after registering",
    "account_email_verification_resend_code": "after registering",
    "account_password_reset_code_confirm": "password reset codes are off",
    "account_confirm_password_reset_code": "password reset codes are off",
    "account_change_email": "allauth's page",
}


# Pages that show text made by coproduce.lib, which is pure Python (no Django, so no gettext): its labels and
# explanations (the quality check's rules, thresholds, sources and ladder levels; the social value analysis's
# explanation and sensitivity table) are English until lib returns messages and values for the site to
# translate. Their untranslated texts are counted, not failed; everything else on these pages must still
# be translatable. Remove a page from here once its lib text is translatable.
KNOWN_GAPS = {
    "quality:check": "lib/quality/rules, judge.py, evidence.py",
    "quality:records": "lib/quality/evidence.py (what each measure counts)",
    "impact:report": "lib/quality/judge.py (ladder levels)",
    "impact:print": "lib/quality/judge.py (ladder levels)",
    "impact:network": "lib/quality/judge.py (ladder levels)",
    "sroi:analysis": "lib/sroi.py (explanation, sensitivity)",
    "quality:standards": "lib/quality/standards.py (the National Standards, the mismatches found)",
    "quality:assessment_new": "lib/quality/standards.py (the National Standards)",
}


# Kinds of page the crawl does not reach yet: they need another person (a timebank newcomer, someone invited),
# another state (a budget in another phase, a survey with links) or a token from an email.
# They are marked like the rest, but not proven here: shrink this list by adding those people and states to the
# crawl. A kind of page that is new must be reached, or added here with the reason.
NOT_REACHED_YET = {
    "account_confirm_reauthentication_code",
    "account_request_reauthentication_code",
    "actions:from_project",
    "budgets:close_voting",
    "budgets:edit",
    "budgets:from_idea",
    "budgets:paper",
    "budgets:phase",
    "budgets:print_ballot",
    "budgets:project_create",
    "budgets:project_edit",
    "budgets:project_image",
    "budgets:project_review",
    "budgets:recount",
    "budgets:reopen_voting",
    "budgets:vote_total",
    "budgets:voted",
    "casestudies:publish",
    "directory:request",
    "directory:request_close",
    "directory:resolve",
    "directory:unblock",
    "hub:comment_dismiss",
    "hub:comment_hide",
    "hub:comment_restore",
    "hub:post_edit",
    "hub:post_restore",
    "hub:unsubscribe",
    "ideas:co_author_remove",
    "meetings:pay_owed",
    "my_calendar:feed",
    "notifications:unsubscribe",
    "outcomes_mine:erase",
    "outcomes_mine:mine",
    "people:claim",
    "people:claim_code_continue",
    "people:partnership_decide",
    "people:token_revoke",
    "resources:publish",
    "spaces:claim_handout",
    "spaces:claim_link",
    "spaces:invitation",
    "spaces:invitation_revoke",
    "spaces:withdraw",
    "sroi:outcome_create",
    "sroi:outcome_delete",
    "sroi:outcome_edit",
    "surveys:check",
    "surveys:done",
    "surveys:hide_answer",
    "surveys:links",
    "surveys:with_link",
    "timebank:exchange_cancel",
    "timebank:exchange_resolve",
    "timebank:join",
}


PER_KIND = 6


def crawl(client: Client, start: list[str], language: str, report, reached, posted, per_kind: int) -> int:
    """Follow the links of each page, rendering each kind of page (URL name) a few times: enough to reach every
    space's modules (the demo has five spaces), few enough to stay quick."""
    queue, seen, rendered = deque(start), set(), Counter()
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or SKIP.match(parts.path) or url in seen:
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        name = match.view_name
        if rendered[name] >= per_kind:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code == 500:
            report["error 500"].append(url)
        if response.status_code != 200:
            continue
        rendered[name] += 1
        reached.add(name)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        reader = Reader(language)
        reader.feed(response.content.decode())
        for text in reader.untranslated():
            report[f"(known gap: {KNOWN_GAPS[name]})" if name in KNOWN_GAPS else text[:160]].append(url)
        for href in reader.links:
            queue.append(urljoin(url, href).split("#")[0])
        for action in reader.posts:
            with contextlib.suppress(Resolver404):
                posted.add(resolve(urlsplit(urljoin(url, action)).path).view_name)
    return len(seen)


# --- The catalogues ----------------------------------------------------------------------------------------


@once
def test_the_catalogues_are_up_to_date_with_the_source():
    """What `coproduce messages` would write is what is committed: no marked string missing, no stale one, and
    each django.mo compiled from its django.po. Needs GNU gettext, as `coproduce messages` does (CI has it)."""
    from coproduce.core.management.commands import messages

    if not all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msgfmt")):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is missing (apt-get install gettext)")
        pytest.skip("GNU gettext is not installed")
    problems = messages.check()
    assert not problems, "\n".join([*problems, "Run `coproduce messages` and commit the result."])


def test_strings_are_marked_with_names_makemessages_knows():
    """xgettext finds only the names it is told: gettext and its kind imported under another name would leave
    strings out of every catalogue, silently."""
    known = {"_", "_l", "_lazy"}  # see _MakeMessages in core/management/commands/messages.py
    imported = re.compile(r"\b(?:n?p?gettext(?:_lazy|_noop)?|ngettext(?:_lazy)?) as (\w+)")
    unknown = {
        f"{path.relative_to(SRC)}: {name}"
        for path in SRC.rglob("*.py")
        for name in imported.findall(path.read_text(encoding="utf-8"))
        if name not in known
    }
    assert not unknown, sorted(unknown)


def test_the_english_catalogue_gives_the_sites_wording_to_allauth():
    from django.utils import translation

    with translation.override("en-gb"):
        assert translation.gettext("Sign In") == "Sign in"
        assert translation.gettext("Remember Me") == "Remember me"


# --- The language switcher ---------------------------------------------------------------------------------


def test_one_language_shows_no_switcher(db, settings):
    settings.LANGUAGES = [("en-gb", "English")]
    assert 'name="language"' not in Client().get("/").content.decode()


def test_the_switcher_changes_the_language_without_javascript(db, pseudo_language):
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    form = re.search(
        r'<form class="language-switcher" method="post" action="([^"]+)">(.*?)</form>', page, re.S
    )
    assert form, "the switcher is in the footer"
    action, body = form.groups()
    assert '<label for="language-switcher">Language</label>' in body
    assert '<option value="en-gb" lang="en-gb" selected>English</option>' in body
    assert f'<option value="{PSEUDO}" lang="{PSEUDO}">{PSEUDO_NAME}</option>' in body
    assert '<button type="submit">Change language</button>' in body
    assert 'name="next" value="/accounts/login/"' in body

    response = client.post(action, {"language": PSEUDO, "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert f'<html lang="{PSEUDO}">' in page
    assert f'<label for="language-switcher">{pseudo("Language")}</label>' in page
    assert f'<option value="{PSEUDO}" lang="{PSEUDO}" selected>' in page


def test_languages_come_from_the_catalogues_present(tmp_path):
    from coproduce.settings import catalogue_languages

    for code in ("cy", "gd", "en_GB"):
        (tmp_path / code / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / code / "LC_MESSAGES" / "django.mo").write_bytes(b"")
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)  # a catalogue not compiled yet: not offered
    assert catalogue_languages([tmp_path]) == [("en-gb", "English"), ("cy", "Cymraeg"), ("gd", "Gàidhlig")]
