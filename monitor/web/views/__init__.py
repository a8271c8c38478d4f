"""The app's views, one module per kind of page; each serves its HTML page and its ``/api/`` JSON twin
from the same code."""
