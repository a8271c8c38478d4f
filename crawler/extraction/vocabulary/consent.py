"""Consent walls: what their text says, and the class and id words their markup carries."""

from __future__ import annotations

import re

# What a consent wall says, in the languages of the sites editwatch has met.
CONSENT_TEXT = re.compile(
    r"\b(?:we use cookies|accept (?:all )?cookies|cookie (?:settings|preferences|policy)|manage (?:your )?"
    r"(?:cookie|privacy) (?:settings|preferences|choices)|your privacy choices|before you continue|"
    r"consent to (?:the use of|our use of)|wir verwenden cookies|cookies zustimmen|alle akzeptieren|"
    r"zustimmung|datenschutzeinstellungen|nous utilisons des cookies|accepter (?:et fermer|les cookies)|"
    r"utilizamos cookies|aceptar (?:todas|cookies)|utilizziamo (?:i )?cookie|accetta (?:tutti|i cookie)|"
    r"wij gebruiken cookies|vi bruger cookies|vi använder cookies|vi bruker informasjonskapsler)",
    re.IGNORECASE,
)

# Class and id words of consent banners: the generic ones and the consent platforms' names.
CONSENT_CLASS_WORDS = frozenset(
    {
        "cookie", "cookies", "consent", "onetrust", "didomi", "usercentrics", "sourcepoint", "gdpr",
        "ccpa", "privacy", "cookiebot", "quantcast", "truste", "trustarc",
    }
)  # fmt: skip
