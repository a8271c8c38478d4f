"""The user's configuration file (TOML), read once and shared by crawler and monitor.

Looked up as ``--config PATH``, else ``$EDITWATCH_CONFIG``, else ``./editwatch.toml``
if present. Every section is optional.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.extraction.rules import SiteRules

DEFAULT_NAME = "editwatch.toml"

# [fetch] keys and the Scrapy settings they become.
FETCH_SETTINGS = {
    "user_agent": ("USER_AGENT", str),
    "obey_robots_txt": ("ROBOTSTXT_OBEY", bool),
    "delay_seconds": ("DOWNLOAD_DELAY", (int, float)),
    "per_domain": ("CONCURRENT_REQUESTS_PER_DOMAIN", int),
    "concurrency": ("CONCURRENT_REQUESTS", int),
    "timeout_seconds": ("DOWNLOAD_TIMEOUT", (int, float)),
    "max_page_bytes": ("DOWNLOAD_MAXSIZE", int),
    "retries": ("RETRY_TIMES", int),
    "autothrottle": ("AUTOTHROTTLE_ENABLED", bool),
    "verify_tls": ("DOWNLOAD_VERIFY_CERTIFICATES", bool),
    "block_private_addresses": ("EDITWATCH_BLOCK_PRIVATE_ADDRESSES", bool),
    "dns_cache_seconds": ("DNS_CACHE_SECONDS", (int, float)),
    "browser_pages": ("EDITWATCH_BROWSER_PAGES", int),
    "browser_timeout_seconds": ("EDITWATCH_BROWSER_TIMEOUT", (int, float)),
    "browser_path": ("EDITWATCH_BROWSER_PATH", str),
    "render_automatically": ("EDITWATCH_RENDER_AUTOMATICALLY", bool),
}


class ConfigError(Exception):
    """The configuration file is missing, unreadable or invalid; the message names the line."""


def config_path(explicit: str | None = None) -> Path | None:
    """Which configuration file applies, if any."""
    if explicit:
        return Path(explicit)
    if os.environ.get("EDITWATCH_CONFIG"):
        return Path(os.environ["EDITWATCH_CONFIG"])
    default = Path(DEFAULT_NAME)
    return default if default.exists() else None


def load_config(explicit: str | None = None) -> dict[str, Any]:
    """Read and validate the configuration file; an empty dict when there is none."""
    path = config_path(explicit)
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    fetch = data.get("fetch", {})
    if not isinstance(fetch, dict):
        raise ConfigError(f"{path}: [fetch] must be a table")
    for key, value in fetch.items():
        if key == "contact":
            if not isinstance(value, str) or not value.strip() or any(c in value for c in "()\r\n"):
                raise ConfigError(
                    f"{path}: fetch.contact must be an e-mail address or URL (line {_line_of(text, key)})"
                )
            continue
        if key not in FETCH_SETTINGS:
            raise ConfigError(f"{path}: unknown key fetch.{key} (line {_line_of(text, key)})")
        expected = FETCH_SETTINGS[key][1]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{path}: fetch.{key} has the wrong type (line {_line_of(text, key)})")
    if "sites" not in data and "rules" not in data:
        return data
    # Loaded only when there are rules: every command reads the config, few need the extractor.
    from crawler.extraction.rules import RuleError, SiteRules

    try:
        SiteRules.from_config(data)
    except RuleError as exc:
        raise ConfigError(f"{path}: {exc} (line {_line_of_rule(text, exc.table, exc.key)})") from None
    return data


_SECTIONS = "fetch|sites|rules|schedule|daemon|alerts|sources|cluster|retention"
_DOTTED_KEY = re.compile(rf"\b({_SECTIONS})\.([A-Za-z0-9_]+)\b")
_TABLE = re.compile(rf"\[({_SECTIONS})\]")


def locate_problem(message: str, explicit: str | None = None) -> str:
    """A problem found in a loaded configuration (``alerts.timeout: invalid duration``), with the
    file's name and the line of the key or table it names, as load errors have them."""
    path = config_path(explicit)
    if path is None:
        return message
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return f"{path}: {message}"
    line = None
    if match := _DOTTED_KEY.search(message):
        line = _line_in_table(text, match.group(1), match.group(2))
    elif match := _TABLE.search(message):
        line = _line_in_table(text, match.group(1), None)
    return f"{path}: {message}" + (f" (line {line})" if line else "")


def _line_in_table(text: str, table: str, key: str | None) -> int | None:
    """The line of ``key`` in ``[table]`` (or of the table's header), or of ``table.key = ...``."""
    lines = text.splitlines()
    header = re.compile(r"\s*\[\s*" + re.escape(table) + r"\s*\]")
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if key is not None and re.match(re.escape(f"{table}.{key}") + r"\s*=", stripped):
            return number
        if header.match(line):
            if key is None:
                return number
            for offset, inner in enumerate(lines[number:], start=number + 1):
                inner = inner.strip()
                if inner.startswith("["):
                    break
                if re.match(re.escape(key) + r"\s*=", inner):
                    return offset
            return number
        if key is None and re.match(re.escape(table) + r"\s*=", stripped):
            return number
    return None


def site_rules(config: dict[str, Any]) -> SiteRules:
    """The per-site extraction rules of a loaded (so already validated) configuration."""
    from crawler.extraction.rules import SiteRules

    return SiteRules.from_config(config)


def scrapy_overrides(config: dict[str, Any]) -> dict[str, Any]:
    """The Scrapy settings a configuration asks for."""
    fetch = config.get("fetch", {})
    overrides = {FETCH_SETTINGS[k][0]: v for k, v in fetch.items() if k in FETCH_SETTINGS}
    if "contact" in fetch and "user_agent" not in fetch:
        overrides["USER_AGENT"] = user_agent_with_contact(str(fetch["contact"]))
    return overrides


def user_agent_with_contact(contact: str) -> str:
    """The default User-Agent, plus how a site's operator can reach whoever runs this daemon."""
    from crawler.settings import USER_AGENT

    return f"{USER_AGENT[:-1]}; contact: {contact})"


def _line_of_rule(text: str, table: str, key: str | None) -> int | str:
    """The line of ``key`` in a ``[sites."host"]`` or ``[[rules]]`` table (or of its header)."""
    lines = text.splitlines()
    if table.startswith("rules["):
        number = int(table[len("rules[") : -1])
        headers = [i for i, line in enumerate(lines) if re.match(r"\s*\[\[\s*rules\s*\]\]", line)]
        start = headers[number - 1] if len(headers) >= number else None
    else:
        host = table[len("sites.") :].strip('"') if table.startswith("sites.") else ""
        header = re.compile(r"\s*\[\s*sites\s*\.\s*[\"']?" + re.escape(host) + r"[\"']?\s*\]")
        start = next((i for i, line in enumerate(lines) if host and header.match(line)), None)
    if start is None:
        return "?"
    if key is None:
        return start + 1
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith("["):
            break
        if re.match(re.escape(key) + r"\s*=", stripped):
            return index + 1
    return start + 1


def _line_of(text: str, key: str) -> int | str:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(key):
            return number
    return "?"
