"""Template checks a browser run can miss because they only bite on some pages or some data.

The Content-Security-Policy (``script-src 'self'; style-src 'self'``) silently drops inline
scripts, inline styles and event-handler attributes, so a template that uses one breaks without an
error; every asset comes from the app (no CDN); every image has a text alternative; every page
has its own title (WCAG 2.4.2).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cocity

PACKAGE = Path(cocity.__file__).resolve().parent
TEMPLATES = sorted(PACKAGE.glob("**/templates/**/*.html"))

EXTENDS = re.compile(r"""{%\s*extends\s+["']([^"']+)["']\s*%}""")
TITLE_BLOCK = re.compile(r"{%\s*block\s+title\s*%}(.*?){%\s*endblock", re.DOTALL)
TAG = re.compile(r"<(script|img|link|[a-z][a-z0-9-]*)\b([^>]*)>", re.IGNORECASE | re.DOTALL)


def _name(path: Path) -> str:
    """The template's name as Django loads it (the part after ``templates/``)."""
    parts = path.relative_to(PACKAGE).parts
    return "/".join(parts[parts.index("templates") + 1 :])


SOURCES = {_name(path): path.read_text(encoding="utf-8") for path in TEMPLATES}


def _tags(source: str) -> list[tuple[str, str]]:
    # Template tags inside attributes ({% if %}...) may hide a '>', so drop them first.
    plain = re.sub(r"{%.*?%}", " ", source, flags=re.DOTALL)
    return [(m.group(1).lower(), m.group(2)) for m in TAG.finditer(plain)]


def test_templates_are_found() -> None:
    assert "base.html" in SOURCES
    assert len(SOURCES) > 20


@pytest.mark.parametrize("name", list(SOURCES))
def test_template_has_nothing_the_csp_blocks(name: str) -> None:
    problems = []
    for tag, attrs in _tags(SOURCES[name]):
        if tag == "script" and not re.search(r"\bsrc\s*=", attrs):
            problems.append("an inline <script> (move it to a static file)")
        if re.search(r"""(?:^|\s)style\s*=""", attrs):
            problems.append(f"a style attribute on <{tag}> (use a class in app.css)")
        handler = re.search(r"""(?:^|\s)(on[a-z]+)\s*=""", attrs)
        if handler:
            problems.append(f"an {handler.group(1)} handler on <{tag}>")
    assert not problems, f"{name} has " + "; ".join(problems)


@pytest.mark.parametrize("name", list(SOURCES))
def test_template_loads_assets_from_the_app_only(name: str) -> None:
    outside = [
        f"<{tag} {attrs.strip()}>"
        for tag, attrs in _tags(SOURCES[name])
        if tag in {"script", "link", "img", "iframe", "source"}
        and re.search(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", attrs)
    ]
    assert not outside, f"{name} loads from another site (no CDN): {outside}"


@pytest.mark.parametrize("name", list(SOURCES))
def test_template_images_have_a_text_alternative(name: str) -> None:
    missing = [
        attrs.strip() for tag, attrs in _tags(SOURCES[name]) if tag == "img" and "alt=" not in attrs
    ]
    assert not missing, f"{name} has <img> without alt (WCAG 1.1.1): {missing}"


def _title_in_chain(name: str) -> str | None:
    """The title block of ``name`` or of the nearest template it extends, below base.html."""
    seen = set()
    while name in SOURCES and name != "base.html" and name not in seen:
        seen.add(name)
        source = SOURCES[name]
        match = TITLE_BLOCK.search(source)
        if match:
            return match.group(1)
        parent = EXTENDS.search(source)
        if not parent:
            return None
        name = parent.group(1)
    return None


# A page extends a layout and is not itself a layout that others extend.
LAYOUTS = {m.group(1) for source in SOURCES.values() for m in EXTENDS.finditer(source)}
PAGES = [name for name, source in SOURCES.items() if EXTENDS.search(source) and name not in LAYOUTS]


@pytest.mark.parametrize("name", PAGES)
def test_page_template_gives_the_page_a_title(name: str) -> None:
    title = _title_in_chain(name)
    assert title is not None and title.strip(), (
        f"{name} leaves the page title to the default (WCAG 2.4.2): add {{% block title %}}"
    )


def test_base_template_declares_the_page_language() -> None:
    assert re.search(r'<html lang="{{ LANGUAGE_CODE }}">', SOURCES["base.html"])
