"""The schema's migrations, one module each; :mod:`storage.schema` lists them in order."""
