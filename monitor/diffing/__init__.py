"""The pure diff engine and its renderers: two articles in, classified changes out, shown to people.

- :mod:`engine` compares two articles; :mod:`words` and :mod:`reflow` do its text-level work;
- :mod:`apply` is its inverse; :mod:`summary` says a diff in one line;
- :mod:`headline_variants` names the headlines besides the chosen one;
- :mod:`view` lays a diff out for reading, :mod:`html` and :mod:`terminal` render it.
"""
