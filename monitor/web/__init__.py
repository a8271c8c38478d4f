"""The read-only web viewer (``editwatch serve``) and the HTML pages it shares with ``diff --format html``."""
