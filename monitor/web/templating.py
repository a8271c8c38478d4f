"""The Jinja2 environment for HTML pages and Atom feeds: autoescaping on, helpers for diffs and times.

Autoescaping is on for every template (``.html`` and ``.xml`` alike), so any
value a template prints is escaped unless it is :class:`markupsafe.Markup`,
which only :mod:`monitor.diffing.html` produces, after escaping the text inside.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from monitor.diffing.html import change_html, highlight_html, safe_href, words_html
from monitor.diffing.view import change_label
from storage import clock


def when(text: str | None) -> str:
    """A stored timestamp as people read it: ``2021-03-18 09:14 UTC``."""
    moment = clock.from_text(text)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def site(url: str | None) -> str:
    """The host of a URL (``apnews.com``), for compact listings."""
    return urlsplit(url or "").hostname or ""


@cache
def environment() -> Environment:
    """The shared environment (templates are packaged in ``monitor/web/templates``)."""
    env = Environment(
        loader=PackageLoader("monitor.web", "templates"),
        autoescape=True,  # every template, whatever its extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=when, site=site, href=safe_href)
    env.globals.update(
        standalone=False,
        words_html=words_html,
        change_html=change_html,
        change_label=change_label,
        highlight_html=highlight_html,
    )
    return env


def stylesheet() -> Markup:
    """Our own stylesheet, for pages that must stand alone (trusted: it ships with editwatch)."""
    css = resources.files("monitor.web").joinpath("static/style.css").read_text(encoding="utf-8")
    return Markup(css.replace("</", "<\\/"))


def render(template: str, **context: object) -> str:
    """Render a template to text."""
    return environment().get_template(template).render(**context)
