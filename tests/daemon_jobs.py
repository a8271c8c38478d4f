"""A daemon job for the tests: proves that jobs listed in ``[daemon] jobs`` run on the daemon's loop."""

from __future__ import annotations

from pathlib import Path

from monitor.daemon.jobs import DaemonJob, JobContext


async def write_marker(ctx: JobContext) -> None:
    path = Path(ctx.config["test_job"]["path"])
    watches = ctx.store.watches.count_by_state()
    with path.open("a") as out:
        out.write(f"ran stopping={ctx.stopping} watches={watches}\n")


def marker_job(config: dict) -> DaemonJob | None:
    if "test_job" not in config:
        return None
    return DaemonJob("test-marker", every=0.3, run=write_marker, run_at_start=True)
