"""The stored history for research: ``search`` through it, ``export`` it as records or as WARC."""
