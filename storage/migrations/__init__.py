"""The schema's migrations, one module each; :mod:`storage.schema` lists them in order.

A migration is one function holding the whole DDL of its schema version, however long: it runs in
one transaction and is never edited once released, so splitting it would only scatter a version.
"""
