"""The words that open a byline: "By", "Von", "Par", "Written by", "Autor:" ..."""

from __future__ import annotations

import re

# In the languages news sites use; a colon or dash may follow ("Von: Jane Doe", "Text - Jane Doe").
BYLINE_PREFIX = re.compile(
    r"^(?:(?:written|reported|words|text|story|posted|published|edited|compiled)\s+by|by|von|vom|par|por|di|da|"
    r"av|af|door|od|autor(?:in)?|author|text|texto|testo|tekst|fotos?|redaktion|reporter|from)"
    r"(?:\s*[:\-–]?\s+|\s*:\s*|$)",
    re.IGNORECASE,
)
