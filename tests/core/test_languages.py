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

import enum
import re
import sys
from collections import Counter, defaultdict, deque
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
        candidates = [root / "en" / "LC_MESSAGES" / "django.po", *sorted(root.glob("*/LC_MESSAGES/django.po"))]
        found += [next(path for path in candidates if path.exists())] if any(p.exists() for p in candidates) else []
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
                catalogue.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=pseudo(entry.msgid)))
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

_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "aria-roledescription", "label"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_WORD = re.compile(r"[A-Za-z]{2,}")
# Not words to translate: email addresses, web addresses and file names (people's own, or a format's).
_NAMES = re.compile(r"\S+@\S+\.\w+|\bhttps?://\S+|[\w.-]+\.(?:csv|pb|png|jpe?g|pdf|svg|txt|json|ics|docx?|xlsx?)\b")


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
}


def crawl(client: Client, start: list[str], language: str, report, reached: set[str], posted: set[str]):
    """Follow the links of each page, rendering each kind of page (URL name) at most twice."""
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
        if rendered[name] >= 2:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code == 500:
            report[f"error 500"].append(url)
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
            try:
                posted.add(resolve(urlsplit(urljoin(url, action)).path).view_name)
            except Resolver404:
                pass


@pytest.fixture
def demo_in_peoples_words(db, settings):
    from coproduce.budgets.models import Budget, Phase
    from coproduce.budgets.tasks import count_budget
    from coproduce.demo.loader import load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    import time

    t = time.monotonic()
    load_demo()
    print("demo", time.monotonic() - t)
    for budget in Budget.objects.filter(phase__in=[Phase.CLOSED, Phase.RESULTS]):
        count_budget.call_local(budget.pk)
    print("count", time.monotonic() - t)
    mark_peoples_words()
    print("mark", time.monotonic() - t)
    settings.NETWORK_NAME = "coproduce".translate(_FULL_WIDTH)


def test_every_page_is_translatable(pseudo_language, demo_in_peoples_words):
    from coproduce.demo.loader import DEMO_HOST_EMAIL
    from coproduce.people.models import User

    report: dict[str, list[str]] = defaultdict(list)
    reached: set[str] = set()
    posted: set[str] = set()
    for person in [User.objects.get(email=DEMO_HOST_EMAIL), User.objects.filter(is_staff=True).first(), None]:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = pseudo_language
        if person is not None:
            client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        crawl(client, ["/", "/me/", "/network/", "/accounts/login/", "/accounts/signup/"], PSEUDO, report, reached, posted)

    gaps = {text: urls for text, urls in report.items() if text.startswith("(known gap")}
    print("\n".join(f"{text}: {len(urls)} texts" for text, urls in sorted(gaps.items())))
    problems = [
        f"{text!r} on {', '.join(sorted(set(urls))[:3])}" for text, urls in sorted(report.items()) if text not in gaps
    ]
    assert not problems, f"{len(problems)} untranslated texts (mark them for translation):\n" + "\n".join(problems)
    missing = url_names() - reached - posted - set(NOT_LINKED)
    assert not missing, f"Pages no link reaches (link them from a page, or list them in NOT_LINKED): {sorted(missing)}"
