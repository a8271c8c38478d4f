"""``python -m monitor`` is the ``editwatch`` command."""

from monitor.cli import main

main()
