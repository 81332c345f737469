"""English and Swedish: a complete Swedish catalogue, chosen by the browser or the switcher,
and dates and numbers in each language's own format."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from cocity.core.testing import make_stakeholder
from cocity.ecosystem.services import partnership_create

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
SV_PO = LOCALE_DIR / "sv" / "LC_MESSAGES" / "django.po"
SV_MO = LOCALE_DIR / "sv" / "LC_MESSAGES" / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'"}


def _unquote(token: str) -> str:
    assert token.startswith('"') and token.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], token[1:-1])


def _read_po(path: Path) -> list[dict[str, Any]]:
    """The entries of a .po file: ``{"flags": set, "obsolete": bool, "msgid": ..., "msgstr": ...}``.

    Plural translations are kept as ``msgstr[0]``, ``msgstr[1]``; the header is the entry
    whose msgid is empty.
    """
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] | None = None
    key = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"flags": set(), "obsolete": False}
        if line.startswith("#~"):  # an obsolete entry: its lines are commented out
            entry["obsolete"] = True
            line = line[2:].strip()
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key, _space, token = line.partition(" ")
            entry[key] = _unquote(token)
    return entries


def _translations(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """(source, translation) pairs: one for a simple entry, one per form for a plural one."""
    if "msgid_plural" in entry:
        return [(entry["msgid"], entry["msgstr[0]"]), (entry["msgid_plural"], entry["msgstr[1]"])]
    return [(entry["msgid"], entry["msgstr"])]


@pytest.fixture(scope="module")
def sv_entries() -> list[dict[str, Any]]:
    return [e for e in _read_po(SV_PO) if e["msgid"]]


def test_swedish_catalogue_has_no_untranslated_fuzzy_or_obsolete_entries(sv_entries):
    assert len(sv_entries) > 1000
    untranslated = [e["msgid"] for e in sv_entries if any(not t for _s, t in _translations(e))]
    fuzzy = [e["msgid"] for e in sv_entries if "fuzzy" in e["flags"]]
    obsolete = [e["msgid"] for e in sv_entries if e["obsolete"]]
    assert untranslated == []
    assert fuzzy == []
    assert obsolete == []


def test_swedish_catalogue_header_declares_swedish_plural_forms():
    header = next(e for e in _read_po(SV_PO) if e["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    assert "Language: sv\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]


# What a translation must carry over unchanged: named placeholders, %% and HTML tags.
_KEPT = re.compile(r"%\([a-z_]+\)[-+ #0]*\d*(?:\.\d+)?[sdif]|%%|<[^>]+>")


def test_swedish_translations_keep_every_placeholder_and_tag(sv_entries):
    broken = [
        (source, translation)
        for entry in sv_entries
        for source, translation in _translations(entry)
        if sorted(_KEPT.findall(source)) != sorted(_KEPT.findall(translation))
        # A singular form may say "one" in words instead of using the count.
        and not (
            entry.get("msgid_plural")
            and source == entry["msgid"]
            and set(_KEPT.findall(translation)) <= set(_KEPT.findall(source))
        )
    ]
    assert broken == []


def test_swedish_mo_matches_the_po(sv_entries):
    """The compiled catalogue the server loads says what the .po says (compilemessages was run)."""
    with SV_MO.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    expected: dict[Any, str] = {}
    for entry in sv_entries:
        context = entry["msgctxt"] + "\x04" if "msgctxt" in entry else ""
        if "msgid_plural" in entry:
            expected[(context + entry["msgid"], 0)] = entry["msgstr[0]"]
            expected[(context + entry["msgid"], 1)] = entry["msgstr[1]"]
        else:
            expected[context + entry["msgid"]] = entry["msgstr"]
    actual = {key: value for key, value in compiled._catalog.items() if key != ""}  # type: ignore[attr-defined]
    assert actual == expected


# Pages


@pytest.fixture
def dated_partnership(territory, users):
    city = make_stakeholder(
        territory, name="Lund Municipality", sector="public", type="municipality"
    )
    university = make_stakeholder(
        territory, name="Malmö University", sector="academia", type="university"
    )
    return partnership_create(
        territory=territory,
        actor=users["facilitator"],
        name="Smart lighting pilot",
        form="research",
        status="active",
        members=[(city, "lead"), (university, "partner")],
        start_date=dt.date(2026, 3, 1),
        value=Decimal("1234567.50"),
        currency="SEK",
    )


def _dashboard(territory):
    return reverse("territories:dashboard", args=[territory.slug])


@pytest.mark.django_db
def test_dashboard_in_swedish_when_the_browser_asks_for_it(client, territory):
    page = client.get(_dashboard(territory), HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9,en;q=0.5")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="sv">' in html
    assert "Översikt" in html  # the "Dashboard" navigation link
    assert "Nyckeltal" in html  # "Key figures"
    assert "Dashboard" not in html


@pytest.mark.django_db
def test_dashboard_in_british_english_for_other_browsers(client, territory):
    page = client.get(_dashboard(territory), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert '<html lang="en-gb">' in html
    assert "Key figures" in html
    # A language the site does not ship falls back to British English.
    other = client.get(_dashboard(territory), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert '<html lang="en-gb">' in other.content.decode()


@pytest.mark.django_db
def test_language_switcher_switches_and_remembers(client, territory):
    dashboard = _dashboard(territory)
    switched = client.post(reverse("set_language"), {"language": "sv", "next": dashboard})
    assert switched.status_code == 302
    assert switched["Location"] == dashboard
    # The choice outranks what the browser asks for, on every later page.
    page = client.get(dashboard, HTTP_ACCEPT_LANGUAGE="en-GB")
    assert '<html lang="sv">' in page.content.decode()
    assert "Översikt" in page.content.decode()

    client.post(reverse("set_language"), {"language": "en-gb", "next": dashboard})
    back = client.get(dashboard, HTTP_ACCEPT_LANGUAGE="sv")
    assert '<html lang="en-gb">' in back.content.decode()
    assert "Key figures" in back.content.decode()


@pytest.mark.django_db
def test_partnership_dates_and_values_follow_the_language(client, territory, dated_partnership):
    listing = reverse("ecosystem:partnership_list", args=[territory.slug])
    detail = reverse("ecosystem:partnership_detail", args=[territory.slug, dated_partnership.pk])

    # Swedish: ISO dates (Y-m-d), month names in Swedish, a decimal comma and a
    # non-breaking space between thousands.
    sv_list = client.get(listing, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    sv_detail = client.get(detail, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "2026-03-01" in sv_list
    assert "01/03/2026" not in sv_list
    assert "1 mars 2026" in sv_detail
    assert "1\xa0234\xa0567,50 SEK" in sv_detail
    assert "Forskningssamarbete" in sv_detail  # the partnership's form, translated

    # British English (also for a US browser): d/m/Y, not the American m/d/Y.
    en_list = client.get(listing, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    en_detail = client.get(detail, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "01/03/2026" in en_list
    assert "03/01/2026" not in en_list
    assert "1 Mar 2026" in en_detail
    assert "1,234,567.50 SEK" in en_detail
    assert "Research cooperation" in en_detail


@pytest.mark.django_db
def test_form_errors_in_swedish_for_a_swedish_user(client_as, territory, users):
    make_stakeholder(territory, name="Lund Municipality", sector="public", type="municipality")
    client = client_as("officer")
    client.post(reverse("set_language"), {"language": "sv"})
    page = client.post(
        reverse("ecosystem:partnership_create", args=[territory.slug]),
        {
            "name": "Harbour data pilot",
            "form": "research",
            "status": "active",
            "start_date": "2026-06-30",
            "end_date": "2026-01-31",
        },
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert "Slutdatumet ligger före startdatumet." in html
    assert "The end date is before the start date." not in html


@pytest.mark.django_db
def test_api_errors_in_swedish_when_the_client_asks_for_it(client, territory):
    answer = client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="sv")
    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == "Det finns ingen API-endpoint på den här adressen."


def _text_nodes(html: str) -> set[str]:
    """The visible text of a page, node by node, plus the texts of titles and labels."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    nodes = {unescape(n).strip() for n in re.split(r"<[^>]+>", html)}
    nodes |= {unescape(a).strip() for a in re.findall(r'(?:title|aria-label|alt)="([^"]*)"', html)}
    return nodes - {""}


@pytest.mark.django_db
def test_pages_in_swedish_show_no_english_ui_text(client_as, territory, dated_partnership):
    """Every page a facilitator reaches in two clicks from the dashboard is in Swedish.

    Catches labels translated once, at import, instead of per request (gettext where
    gettext_lazy is needed), and pages that fail in Swedish.
    """
    english = {
        source
        for entry in _read_po(SV_PO)
        for source, translation in _translations(entry)
        if source and source != translation and "%" not in source and len(source) > 3
    }
    client = client_as("facilitator")
    prefix = f"/t/{territory.slug}/"
    skip = re.compile(r"/(delete|export|download)|\.(csv|json|svg|png|xlsx|zip)|[?&]page=")
    queue, seen, shapes, leaks = [(prefix, 0)], set(), set(), {}
    while queue:
        url, depth = queue.pop(0)
        shape = re.sub(r"/\d+/", "/N/", url.split("?")[0])
        if url in seen or shape in shapes:
            continue
        seen.add(url)
        shapes.add(shape)
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
        assert page.status_code < 500, url
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        html = page.content.decode()
        if found := _text_nodes(html) & english:
            leaks[url] = sorted(found)
        if depth < 2:
            for link in re.findall(r'href="([^"#]*)"', html):
                link = unescape(link)
                if link.startswith(prefix) and not skip.search(link):
                    queue.append((link, depth + 1))
    assert len(shapes) > 20  # the crawl reached every part of the site
    assert leaks == {}
