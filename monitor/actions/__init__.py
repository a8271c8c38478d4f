"""What the CLI and the web app both do, as plain functions on a :class:`storage.Store`.

Each face parses its own input (options, form fields, JSON) and prints or renders
the result; the work and the JSON documents of the README's contract live here once.
"""


class BadInput(ValueError):
    """Input the action refuses, with the one-line message the CLI prints; nothing was stored."""
