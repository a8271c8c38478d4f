"""Per-site extraction rules from the user's config: CSS or XPath for the fields generic extraction gets wrong.

Two forms, in ``editwatch.toml``::

    [sites."example.com"]            # this host and its subdomains
    headline = "h1.story-title"      # CSS ...
    byline = "//span[@class='author']"   # ... or XPath (starts with "/", "./" or "(")
    published = "time[datetime]"
    body = "div.story-body"
    drop = [".related", "aside.promo"]   # removed before anything is read
    render = "browser"               # read its pages in a browser ("static": never)

    [[rules]]                        # URL patterns, checked first, in order
    match = "https://example.com/live/*"
    body = "ol.live-entries"

A field a rule leaves out, or whose selector matches nothing on a page, falls back
to generic extraction (with a warning, so a site redesign does not go unnoticed).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cssselect import HTMLTranslator, SelectorError
from lxml import etree
from lxml import html as lxml_html

FIELDS = ("headline", "byline", "published", "body")
RULE_KEYS = {*FIELDS, "drop", "render"}
RENDER_MODES = ("browser", "static")


class RuleError(ValueError):
    """A rule in the config is invalid; ``table`` and ``key`` say where."""

    def __init__(self, table: str, key: str | None, message: str):
        super().__init__(message)
        self.table, self.key = table, key


@dataclass
class Selector:
    """A compiled CSS or XPath selector, remembered as the user wrote it."""

    text: str
    xpath: etree.XPath

    def select(self, tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
        """The elements it matches, in document order (never raises on odd pages)."""
        try:
            found = self.xpath(tree)
        except etree.XPathError:
            return []
        return [node for node in found if isinstance(node, etree._Element)] if isinstance(found, list) else []


def compile_selector(text: str) -> Selector:
    """Compile ``text`` as XPath (when it starts with ``/``, ``./`` or ``(``) or else as CSS."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty selector")
    if stripped.startswith(("/", "./", "(")):
        expression = stripped
    else:
        try:
            expression = HTMLTranslator().css_to_xpath(stripped)
        except SelectorError as exc:
            raise ValueError(f"invalid CSS selector {stripped!r}: {exc}") from None
    try:
        return Selector(stripped, etree.XPath(expression))
    except etree.XPathSyntaxError as exc:
        raise ValueError(f"invalid XPath {stripped!r}: {exc}") from None


@dataclass
class SiteRule:
    """The selectors that apply to one site or URL pattern."""

    name: str  # how the config names it: 'sites."example.com"' or 'rules[1]'
    host: str | None = None
    pattern: str | None = None
    selectors: dict[str, Selector] = field(default_factory=dict)
    drop: list[Selector] = field(default_factory=list)
    render: str | None = None  # "browser" or "static" when the rule says how to fetch the site

    def matches(self, url: str) -> bool:
        """Whether this rule applies to ``url``."""
        if self.pattern is not None:
            return fnmatch.fnmatchcase(url, self.pattern)
        host = (urlsplit(url).hostname or "").lower()
        return host == self.host or host.endswith("." + (self.host or ""))


class SiteRules:
    """Every rule in the config; :meth:`for_url` picks the one for a page."""

    def __init__(self, rules: list[SiteRule] | None = None):
        self.rules = rules or []

    def __bool__(self) -> bool:
        return bool(self.rules)

    def for_url(self, url: str | None) -> SiteRule | None:
        """URL patterns first (in config order), then the most specific host."""
        if not url or not self.rules:
            return None
        for rule in self.rules:
            if rule.pattern is not None and rule.matches(url):
                return rule
        hosts = [r for r in self.rules if r.host is not None and r.matches(url)]
        return max(hosts, key=lambda r: len(r.host or ""), default=None)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SiteRules:
        """Compile the ``[sites."host"]`` and ``[[rules]]`` sections; raises :class:`RuleError`."""
        rules = []
        sites = config.get("sites", {})
        if not isinstance(sites, dict):
            raise RuleError("sites", None, '[sites] must be tables such as [sites."example.com"]')
        for host, table in sites.items():
            name = f'sites."{host}"'
            if not isinstance(table, dict):
                raise RuleError(name, None, f"{name} must be a table of selectors")
            clean_host = host.strip().lower().removeprefix("www.")
            if not clean_host or "/" in clean_host or " " in clean_host:
                raise RuleError(
                    name, None, f"{name}: {host!r} is not a host name (use [[rules]] match for URLs)"
                )
            rules.append(_compile(name, table, host=clean_host))
        patterns = config.get("rules", [])
        if not isinstance(patterns, list):
            raise RuleError("rules", None, "rules must be an array of tables: [[rules]]")
        for number, table in enumerate(patterns, start=1):
            name = f"rules[{number}]"
            if not isinstance(table, dict):
                raise RuleError(name, None, f"{name} must be a table")
            match = table.get("match")
            if not isinstance(match, str) or not match.strip():
                raise RuleError(
                    name,
                    "match",
                    f'{name} needs match = "URL pattern" (for example "https://example.com/live/*")',
                )
            rules.append(
                _compile(name, {k: v for k, v in table.items() if k != "match"}, pattern=match.strip())
            )
        return cls(rules)


def _compile(
    name: str, table: dict[str, Any], host: str | None = None, pattern: str | None = None
) -> SiteRule:
    rule = SiteRule(name=name, host=host, pattern=pattern)
    for key, value in table.items():
        if key not in RULE_KEYS:
            raise RuleError(
                name, key, f"{name}: unknown key {key!r} (expected one of {', '.join(sorted(RULE_KEYS))})"
            )
        if key == "render":
            if value not in RENDER_MODES:
                raise RuleError(name, key, f'{name}.render must be "browser" or "static"')
            rule.render = value
            continue
        values = value if key == "drop" and isinstance(value, list) else [value]
        for text in values:
            if not isinstance(text, str):
                expected = "a selector string or a list of them" if key == "drop" else "a selector string"
                raise RuleError(name, key, f"{name}.{key} must be {expected}")
            try:
                selector = compile_selector(text)
            except ValueError as exc:
                raise RuleError(name, key, f"{name}.{key}: {exc}") from None
            if key == "drop":
                rule.drop.append(selector)
            else:
                rule.selectors[key] = selector
    if not rule.selectors and not rule.drop and rule.render is None:
        raise RuleError(name, None, f"{name} has no selectors ({', '.join(sorted(RULE_KEYS))})")
    return rule


def apply_drops(rule: SiteRule, tree: lxml_html.HtmlElement) -> int:
    """Remove what the rule's ``drop`` selectors match; returns how many elements went."""
    from crawler.extraction.boilerplate import remove_keeping_tail

    removed = 0
    for selector in rule.drop:
        for element in selector.select(tree):
            if element.getparent() is not None:
                remove_keeping_tail(element)
                removed += 1
    return removed


def read_fields(rule: SiteRule, tree: lxml_html.HtmlElement) -> dict[str, Any]:
    """What the rule's selectors find: headline, byline, published and body (None where nothing matched)."""
    from crawler.extraction.boilerplate import DROP_TAGS, remove_keeping_tail
    from crawler.extraction.byline import split_names
    from crawler.extraction.dates import parse_date
    from crawler.extraction.headline import visible_text
    from crawler.extraction.runs import text_runs

    found: dict[str, Any] = {}
    for name, selector in rule.selectors.items():
        elements = selector.select(tree)
        value: Any = None
        if name == "headline" and elements:
            value = visible_text(elements[0]) or None
        elif name == "byline":
            names: list[str] = []
            for element in elements:
                for piece in split_names(visible_text(element)):
                    if piece not in names:
                        names.append(piece)
            value = names or None
        elif name == "published":
            for element in elements:
                value = parse_date(element.get("datetime") or element.get("content") or visible_text(element))
                if value:
                    break
        elif name == "body":
            paragraphs: list[str] = []
            for element in elements:
                for node in [n for n in element.iter() if isinstance(n.tag, str) and n.tag in DROP_TAGS]:
                    if node is not element:
                        remove_keeping_tail(node)
                paragraphs.extend(run.text for run in text_runs(element) if run.tag != "h1")
            value = paragraphs or None
        found[name] = value
    return found
