"""Pages that are not the article: consent walls, paywalls, bot checks and error pages served with 200.

:func:`page_problem` looks at one extracted article alone; the monitor's quality
guard (``monitor.changes.decisions``) adds what needs the last stored version: a body that
collapsed, or a page whose own address names another article (``crawler.snapshot.identity``).
"""

from __future__ import annotations

import re

from crawler.extraction.article import Article
from crawler.extraction.vocabulary.consent import CONSENT_TEXT

# Walls are short: a real article that merely mentions cookies or subscriptions is longer.
WALL_MAX_WORDS = 150

_PAYWALL = re.compile(
    r"\b(?:subscribe (?:now )?to (?:continue|read|unlock)|to continue reading|already (?:a subscriber|have an "
    r"account)|subscribers only|for subscribers|this (?:article|content) is (?:for|available to|reserved for) "
    r"(?:subscribers|members)|sign in to (?:continue|read)|log in to (?:continue|read)|create a free account|"
    r"register to (?:continue|read)|premium (?:article|content)|jetzt (?:abonnieren|weiterlesen|testen)|"
    r"weiterlesen mit|mit \w+\+? weiterlesen|artikel (?:ist )?(?:nur )?für abonnenten|abo abschließen|"
    r"réservé aux abonnés|abonnez-vous|contenido (?:exclusivo )?para suscriptores|suscríbete|"
    r"riservato agli abbonati|abbonati per|alleen voor abonnees|kun for abonnenter|endast för prenumeranter)",
    re.IGNORECASE,
)
_BOT_CHECK = re.compile(
    r"\b(?:are you a robot|verify (?:that )?you are (?:a )?human|checking your browser|enable javascript and "
    r"cookies|please enable (?:javascript|cookies)|access (?:to this page )?(?:has been )?denied|unusual traffic|"
    r"captcha|ddos protection|request blocked|attention required)",
    re.IGNORECASE,
)
_ERROR_HEADLINE = re.compile(
    r"^\W*(?:(?:error\s*)?(?:400|403|404|410|500|502|503)\b|page not found|not found|file not found|"
    r"page (?:does not|doesn't) exist|this page (?:is|was) (?:not available|removed)|something went wrong|"
    r"service (?:temporarily )?unavailable|seite nicht gefunden|page introuvable|página no encontrada|"
    r"pagina non trovata|pagina niet gevonden|siden finnes ikke|sidan hittades inte|access denied|forbidden)",
    re.IGNORECASE,
)


def page_problem(article: Article) -> str | None:
    """Why this page is not the article (wall, bot check, error page), judged from the page alone."""
    if article.word_count > WALL_MAX_WORDS:
        return None
    headline = article.headline or ""
    if len(headline) <= 80 and _ERROR_HEADLINE.match(headline):
        return f"error page served as a normal page (headline {headline!r})"
    text = "\n".join([article.headline or "", *article.body, *article.furniture])
    if _BOT_CHECK.search(text):
        return "bot check or access denied page instead of the article"
    if CONSENT_TEXT.search(text):
        return "consent wall instead of the article"
    if _PAYWALL.search(text):
        return "paywall instead of the article (only a teaser is shown)"
    return None
