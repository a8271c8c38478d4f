"""From a fetched page to a stored snapshot: is the page the article, and what to store.

The guards (:mod:`.judging`, :mod:`.identity`, :mod:`.collapse`) decide whether a page is
the watched article at all; :mod:`.verdict` turns one fetch into a :class:`Verdict`, and
:mod:`crawler.pipelines.snapshot` records it: the check, and a version when the comparison form changed.
The monitor reads what is stored and makes it changes and alerts.
"""
