"""``editwatch demo``: the daemon watching a local news site that edits its story on a timer.

Everything is real: the demo site serves pages over HTTP on 127.0.0.1 with
chrome that changes on every request, and the daemon is the one ``editwatch
run`` starts, with a short check interval and one extra job (the newsroom)
added through :meth:`monitor.daemon.runner.Daemon.add_job`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rich.console import Console

from crawler.items import PageFetch
from monitor.changes.timeline import diff_versions
from monitor.daemon.jobs import DaemonJob, JobContext
from monitor.daemon.runner import Daemon
from monitor.demo.site import NewsSite
from monitor.demo.stories import seed_story
from monitor.diffing.terminal import print_diff
from storage import Store

# The newsroom's edits, in order: (kind for NewsSite.edit, paragraph index, what a reader would call it).
# The text of each edit is the seed story's own script (monitor.demo.stories.SEED_SCRIPT).
EDITS: tuple[tuple[str, int | None, str], ...] = (
    ("edit_paragraph", 2, "Lavrov's quote softened in paragraph 3"),
    ("insert_paragraph", 4, "a paragraph of new reporting added after paragraph 4"),
    ("correction", None, "a correction appended"),
    ("headline", None, "the headline rewritten for a new development"),
)


@dataclass
class DemoRun:
    """One run of the demo: the site, the watch, the daemon and what has been seen so far."""

    db_path: str
    every: float  # check interval, seconds
    edit_every: float  # seconds between the newsroom's edits
    out: Console
    port: int = 0
    site: NewsSite = field(init=False)
    edits_made: list[tuple[float, str]] = field(default_factory=list)  # (monotonic time, description)
    edits_seen: int = 0
    first_version_seen: bool = False
    _daemon: Daemon | None = None

    def run(self, config_for: Callable[[float], dict]) -> int:
        """Run until every edit was detected (or Ctrl-C); returns how many edits were detected."""
        story = seed_story()
        story.published = datetime.now(UTC).isoformat(timespec="seconds")  # a fresh story
        self.site = NewsSite([story], port=self.port, etags=True)
        self.site.start()
        try:
            url = self.site.url(story.slug)
            with Store(self.db_path) as store:
                store.watches.add(url, label="demo", interval_seconds=max(1, round(self.every)))
            self.out.print(
                f"demo news site: {self.site.base_url}/ (one story, edited every {self.edit_every:g} s)"
            )
            self.out.print(f"watching {url} every {self.every:g} s; the daemon's log follows on stderr\n")
            daemon = Daemon(self.db_path, config_for(self.every))
            daemon.add_job(DaemonJob("demo-newsroom", every=self.edit_every, run=self._newsroom))
            daemon.on_check(self._report)
            self._daemon = daemon
            daemon.run()
        finally:
            self.site.stop()
        return self.edits_seen

    async def _newsroom(self, ctx: JobContext) -> None:
        """Make the next edit, once the previous one was detected."""
        if not self.first_version_seen or len(self.edits_made) > self.edits_seen:
            return
        if len(self.edits_made) == len(EDITS):
            return
        kind, index, description = EDITS[len(self.edits_made)]
        self.site.edit(next(iter(self.site.stories)), kind, index)
        self.edits_made.append((time.monotonic(), description))
        self.out.print(f"[bold]newsroom:[/bold] {description}")

    def _report(self, item: PageFetch) -> None:
        if item.outcome != "new_version" or item.version_number is None:
            return
        with Store(self.db_path) as store:
            if item.version_number == 1:
                self.first_version_seen = True
                version = store.versions.latest(item.watch_id)
                headline = version.headline if version else "?"
                self.out.print(f"[bold]editwatch:[/bold] stored version 1: {headline!r}\n")
                return
            before = store.versions.get(item.watch_id, item.version_number - 1)
            after = store.versions.get(item.watch_id, item.version_number)
            diff = diff_versions(before, after)
        self.edits_seen += 1
        made_at, _ = self.edits_made[-1] if self.edits_made else (time.monotonic(), "")
        header = (
            f"editwatch: version {item.version_number} stored {time.monotonic() - made_at:.1f} s after the edit: "
            f"{diff.summary}"
        )
        print_diff(self.out, diff.changes, header)
        self.out.print()
        if self.edits_seen >= len(EDITS) and self._daemon is not None:
            self._daemon.request_stop()
