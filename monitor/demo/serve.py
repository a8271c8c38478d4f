"""Serve the demo site alone: ``python -m monitor.demo.serve --articles 200 --sites 50``."""

from __future__ import annotations

import argparse
import threading

from monitor.demo.site import NewsSite


def main() -> None:
    """Serve a generated site until interrupted."""
    parser = argparse.ArgumentParser(description="Serve a local news site on 127.0.0.1 until interrupted.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--articles", type=int, default=1)
    parser.add_argument(
        "--sites", type=int, default=1, help="spread the articles over this many sites (loopback addresses)"
    )
    parser.add_argument("--seed", type=int, help="seed of the chrome's randomness (reproducible pages)")
    parser.add_argument("--etags", action="store_true")
    parser.add_argument(
        "--publish-every", type=float, metavar="SECONDS", help="publish a fresh story this often"
    )
    args = parser.parse_args()
    site = (
        NewsSite.generated(args.articles, port=args.port, etags=args.etags, sites=args.sites, seed=args.seed)
        if args.articles > 1
        else NewsSite(port=args.port, etags=args.etags, seed=args.seed)
    )
    site.start()
    if args.publish_every:
        site.start_publishing(args.publish_every)
    where = (
        f"at {site.base_url}/"
        if args.sites <= 1
        else f"on {args.sites} sites (127.1.0.1 ...), port {site.port}"
    )
    print(f"serving {len(site.stories)} stories {where} (feed: {site.base_url}/feed.xml)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        site.stop()


if __name__ == "__main__":
    main()
