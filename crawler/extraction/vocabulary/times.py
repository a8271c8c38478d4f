"""Dates, clocks and relative times as pages write them, and the words that start a dateline.

Three rules use them: the comparison form drops the *recent* relative times and the
"Updated …" stamps that change without an edit (:data:`RECENT_TIMES`,
:data:`UPDATED_STAMP`); the container's datelines are read as stamps
(:mod:`..stamps`); a reader comment's header says who and when (:mod:`..comments`).
A relative time anywhere is :data:`RELATIVE_TIME`: the recent ones and the longer ago
ones ("3 years ago", "il y a 2 mois"), which the comparison form keeps (in a story they
are its words, and they change only once a year). Dates are parsed in :mod:`..dates`.
"""

from __future__ import annotations

import re

MONTH_NAMES = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    januar februar märz mai juni juli oktober dezember jänner
    janvier février mars avril juin juillet août septembre octobre novembre décembre
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
    """.split()  # noqa: SIM905 (a word list is easier to read and extend as text)
)
WEEKDAY_NAMES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    montag dienstag mittwoch donnerstag freitag samstag sonntag
    lundi mardi mercredi jeudi vendredi samedi dimanche
    """.split()  # noqa: SIM905
)
# The words relative times and the days next to today are made of, in every language below.
TIME_WORDS = frozenset(
    """
    a an one few ein einer einem zwei un une una uno for last
    s m h d w sec secs second seconds min mins minute minutes hr hrs hour hours day days week weeks
    month months yr yrs year years
    sek sekunde sekunden minuten std stunde stunden tag tage tagen woche wochen monat monate monaten
    jahr jahre jahren seconde secondes heure heures jour jours semaine semaines mois ans
    segundo segundos minuto minutos hora horas día días semana semanas mes meses año años
    secondi minuti ora ore giorni settimane mese mesi anno anni
    seconden minuut uur dag dagen week weken maand maanden jaar
    sekunder minutter minuter timer timmar dager dagar uke uker vecka veckor uge uger
    måned måneder månad månader år
    ago vor il y hace fa geleden siden sedan just now gerade eben soeben l instant ahora mismo adesso
    zojuist akkurat nå today yesterday heute gestern aujourd hui hier hoy ayer oggi ieri
    """.split()  # noqa: SIM905
)

# Words that start the modified date, and those that start the published date.
MODIFIED_WORDS = (
    "last updated", "last modified", "updated", "update", "modified", "edited", "stand", "aktualisiert",
    "geändert", "mis à jour", "modifié", "actualizado", "aggiornato", "oppdatert", "uppdaterad", "opdateret",
    "bijgewerkt", "zaktualizowano",
)  # fmt: skip
PUBLISHED_WORDS = (
    "first published", "published", "posted", "veröffentlicht", "erschienen", "publié", "publicado",
    "pubblicato", "publisert", "publicerad", "udgivet", "gepubliceerd", "opublikowano",
)  # fmt: skip

# A day: 12.03.2024, 12/3/24, 2024-03-12, March 3, 2024, Mar. 3rd, 2024, 3. März 2024, 3 mars 2024.
DAY = (
    r"(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}"
    r"|\d{1,2}\.? [A-Za-zäéû]{3,9}\.? \d{4})"
)
# A time of day (10:15, 9:05), with nothing but a non-digit around it.
CLOCK = r"(?<!\d)(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)"
# A dateline's time: "14:32 BST", "10.15 Uhr", "5:40 p.m."
_STAMP_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:uhr|h|[A-Z]{2,4}))?"
# The days next to today, which a comment header may give instead of a date.
NEAR_DAYS = r"\b(?:yesterday|today|gestern|heute)\b"

_N = r"(?:\d+|an?|one|a few|einer?|einem|zwei|une?|un|una|uno)"
_UNITS_EN = r"(?:sec|second|min|minute|hr|hour|day|week|month)s?"
_UNITS_DE = r"(?:sek(?:unde)?n?|min(?:ute)?n?|std|stunden?|tage?n?|wochen?|monate?n?)\.?"

# "Updated 5 minutes ago", "Last updated: 14:32 BST", "Aktualisiert am 03.05.2024, 10:15 Uhr".
_STAMP_WORDS = (*MODIFIED_WORDS, *PUBLISHED_WORDS)
UPDATED_STAMP = (
    _STAMP_WORDS,
    rf"\b(?:last\s+)?(?:{'|'.join(_STAMP_WORDS)})\s*(?:on|at|am|um|le|el|il)?\s*:?\s*"
    rf"(?:{DAY}(?:\s*(?:,|at|um|à|a las)?\s*{_STAMP_CLOCK})?|{_STAMP_CLOCK}|{NEAR_DAYS})",
)
# Relative times up to months ago, which change on their own from one fetch to the next. Each
# comes with the words it cannot match without, which the comparison form checks first (fast).
RECENT_TIMES = (
    ((" ago",), rf"\b(?:(?:last\s+)?(?:updated|posted|published)\s*:?\s*)?{_N}\s*{_UNITS_EN}\s+ago\b"),
    ((" vor ",), rf"\bvor\s+{_N}\s*{_UNITS_DE}(?=\W|$)"),
    (("il y a",), rf"\bil y a\s+{_N}\s*(?:sec(?:onde)?s?|min(?:ute)?s?|heures?|h|jours?|semaines?)\b"),
    (("hace ",), rf"\bhace\s+{_N}\s*(?:segundos?|min(?:uto)?s?|horas?|h|días?|semanas?)\b"),
    ((" fa",), rf"\b{_N}\s*(?:secondi|minut[oi]|or[ae]|giorni|settimane)\s+fa\b"),
    (("geleden",), rf"\b{_N}\s*(?:seconden|minuten|minuut|uur|dagen|dag)\s+geleden\b"),
    (
        (" siden", " sedan"),
        rf"\b(?:for\s+)?{_N}\s*(?:sekunder|minutter|minuter|timer|timmar|dager|dagar)\s+(?:siden|sedan)\b",
    ),
    (
        ("just now", "gerade eben", "soeben", "l'instant", "ahora mismo", "adesso", "zojuist", "akkurat"),
        r"\b(?:just now|gerade eben|soeben|à l'instant|ahora mismo|adesso|zojuist|akkurat nå)\b",
    ),
)
# Relative times the recent ones do not cover: abbreviated units and years ("3h ago", "2 yrs ago",
# "Brennan42 minutes ago": no word boundary in front, a name may run into the number), and longer
# ago in the other languages.
_LONGER_AGO = (
    r"\d+\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|months?|yrs?|years?)\s+ago\b"
    r"|\b(?:an?|one)\s+(?:second|minute|hour|day|week|month|year)\s+ago\b"
    r"|\bvor\s+(?:\d+|einer?|einem)\s*(?:sek|min|std|stunde|tag|woche|monat|jahr)"
    r"|\bil y a\s+\d+\s*(?:mois|ans?)\b|\bhace\s+\d+\s*(?:mes(?:es)?|años?)\b"
    r"|\b\d+\s+(?:mesi|mese|anni|anno)\s+fa\b|\b\d+\s+(?:weken|week|maanden|maand|jaar)\s+geleden\b"
    r"|\b\d+\s+(?:uker|uke|veckor|vecka|uger|uge|måneder|måned|månader|månad|år)\s+(?:siden|sedan)\b"
)
# Reading and listening times: "5 min read", "Lesezeit: 4 Minuten", "Listen (3:12)".
READING_WORDS = (
    r"reading time|read time|lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo di lettura|leestijd|"
    r"lesetid|lästid|læsetid"
)
READING_TIMES = (
    r"\b\d+\s*(?:-|–)?\s*min(?:ute)?s?\.?\s+(?:read|reading time|Lesezeit|lecture|lectura|lettura)\b",
    rf"\b(?:{READING_WORDS})\s*:?\s*\d+\s*(?:min(?:ute)?n?s?|minuti|minutos)\.?",
    r"\blisten(?: to this article)?\s*\(?\s*\d{1,2}:\d{2}\s*\)?",
)
RELATIVE_TIME = re.compile("|".join([*(pattern for _, pattern in RECENT_TIMES), _LONGER_AGO]), re.IGNORECASE)
