"""The daemon and its schedule: when each watch is checked, and the process that checks it.

- :mod:`schedule` decides when to check each watch next (pure);
- :mod:`runner` is ``editwatch run``: one long-lived crawler fed due watches;
- :mod:`crawl` runs the crawler in this process for one-off checks, polls and captures;
- :mod:`jobs` are the periodic jobs beside the crawl, :mod:`reporting` one of them;
- :mod:`lock` keeps one daemon per database, :mod:`logs` is its log; :mod:`options` its settings.
"""
