"""The crawler's item pipelines, in the order an item meets them.

- :mod:`article` extracts a watched article (or reuses its stored region when it did not change);
- :mod:`snapshot` stores the check, and a version when the comparison form changed;
- :mod:`page` extracts pages fetched once (``editwatch extract URL``), kept nowhere;
- :mod:`capture` extracts archived captures for a backfill.
"""
