"""Stories the demo site publishes: one realistic seed story and generated filler stories."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from monitor.demo.newsroom import NewsroomScript

# The seed: a local TV station's copy of an AP story (Moscow, 18 March 2021).
SEED_HEADLINE = "Russia, US, China urge Afghan sides to reach peace deal, reduce violence"
SEED_BYLINE = ["Vladimir Isachenkov"]
SEED_PUBLISHED = "2021-03-18T09:14:00+00:00"
SEED_PARAGRAPHS = [
    "MOSCOW (AP) — Russia, the United States, China and Pakistan on Thursday urged the warring "
    "Afghan sides to reach a peace deal and curb the violence, and called on the Taliban not to "
    "launch a spring offensive.",
    "The joint statement came after a conference in Moscow that brought together Afghan government "
    "negotiators, representatives of the Taliban and envoys of the four countries.",
    "Russian Foreign Minister Sergey Lavrov opened the talks, saying that Moscow wants to help "
    "create conditions for productive negotiations between the Afghan parties.",
    "The U.S. peace envoy, Zalmay Khalilzad, attended the meeting as Washington reviews a deal it "
    "signed with the Taliban last year that calls for the withdrawal of American troops by May 1.",
    "Abdullah Abdullah, who heads the government's High Council for National Reconciliation, led "
    "the delegation from Kabul, while the Taliban sent a team headed by Mullah Abdul Ghani Baradar.",
    "The statement said the four countries do not support the restoration of an Islamic emirate "
    "in Afghanistan and urged all sides to reduce the level of violence in the country.",
    "Lavrov noted that the talks were taking place at a critical moment, with the deadline for the "
    "troop withdrawal approaching and violence continuing to claim lives across the country.",
    "Afghan President Ashraf Ghani's government has been wary of proposals for an interim "
    "administration, and officials in Kabul said any settlement must preserve the gains of the "
    "past two decades.",
    "Another round of talks is expected to be held in Turkey in the coming weeks.",
]
# What the newsroom does to the seed story later that day (the demo shows these edits).
SEED_SCRIPT = NewsroomScript(
    developments=[
        "Taliban resist ceasefire call as Russia, US, China press Afghan sides for peace deal",
        "Afghan government, Taliban agree to meet again in Turkey after Moscow talks",
        "US weighs delaying troop withdrawal as Afghan peace talks move to Turkey",
    ],
    reporting=[
        "A Taliban spokesman, Mohammad Naeem, told reporters after the meeting that the group "
        "remained committed to the talks but would not agree to a ceasefire while foreign troops "
        "stayed in the country.",
        "Turkish officials said they were ready to host the next round in Istanbul in April and "
        "would invite the same delegations.",
        "In Kabul, a spokesman for President Ashraf Ghani said the government would study the "
        "statement but had not changed its position on an interim administration.",
    ],
    corrections=[
        "Correction: An earlier version of this story misstated the number of countries that "
        "signed the joint statement. There were four, not three.",
        "Correction: An earlier version of this story misspelled the name of the Taliban's chief "
        "negotiator. He is Mullah Abdul Ghani Baradar.",
    ],
)
SEED_CAPTION = (
    "Russian Foreign Minister Sergey Lavrov speaks during the conference on Afghanistan in Moscow, "
    "Russia, Thursday, March 18, 2021. (AP Photo/Alexander Zemlianichenko, Pool)"
)

_WORDS = [
    "council",
    "city",
    "mayor",
    "budget",
    "officials",
    "said",
    "report",
    "state",
    "federal",
    "court",
    "ruling",
    "police",
    "residents",
    "plan",
    "water",
    "school",
    "district",
    "board",
    "vote",
    "million",
    "project",
    "housing",
    "election",
    "governor",
    "department",
    "health",
    "hospital",
    "workers",
    "union",
    "agreement",
    "talks",
    "week",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "spokesperson",
    "statement",
    "investigation",
    "community",
    "bridge",
    "road",
    "transit",
    "energy",
    "prices",
    "market",
    "company",
    "shares",
    "quarter",
    "growth",
    "inflation",
    "minister",
    "parliament",
    "protest",
    "season",
    "team",
    "coach",
    "players",
    "league",
    "storm",
    "forecast",
    "flooding",
    "emergency",
    "response",
]
_FIRST = [
    "Maria",
    "James",
    "Aisha",
    "Tomás",
    "Li",
    "Sarah",
    "David",
    "Priya",
    "Kwame",
    "Elena",
    "Jonas",
    "Fatima",
]
_LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Alvarez",
    "Chen",
    "Novak",
    "Haddad",
    "Brennan",
    "Kowalski",
    "Osei",
]


@dataclass
class Story:
    """One article on the demo site; the site renders it on every request."""

    slug: str
    headline: str
    byline: list[str]
    published: str
    paragraphs: list[str]
    caption: str = ""
    modified: str | None = None
    template: str = "station"
    status: int = 200
    revision: int = 0
    extra: dict = field(default_factory=dict)
    script: NewsroomScript | None = None  # the edits its newsroom makes (monitor.demo.newsroom)


def seed_story(slug: str = "russia-afghan-peace-conference", template: str = "station") -> Story:
    """The realistic seed story."""
    return Story(
        slug=slug,
        headline=SEED_HEADLINE,
        byline=list(SEED_BYLINE),
        published=SEED_PUBLISHED,
        paragraphs=list(SEED_PARAGRAPHS),
        caption=SEED_CAPTION,
        template=template,
        script=SEED_SCRIPT,
    )


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(12, 24))]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def generated_story(number: int, template: str = "station", paragraphs: int = 10) -> Story:
    """A deterministic filler story (same number, same text)."""
    rng = random.Random(number)
    name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    headline = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(6, 11))).capitalize()
    body = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(paragraphs)]
    day = 1 + number % 28
    return Story(
        slug=f"story-{number}",
        headline=f"{headline} ({number})",
        byline=[name],
        published=f"2021-03-{day:02d}T{8 + number % 10:02d}:00:00+00:00",
        paragraphs=body,
        caption=_sentence(rng),
        template=template,
    )


def new_sentence(seed: int) -> str:
    """Fresh text for edits and inserted paragraphs."""
    rng = random.Random(10_000 + seed)
    return " ".join(_sentence(rng) for _ in range(2))


def fresh_story(number: int, template: str = "station", published: datetime | None = None) -> Story:
    """Filler story ``number`` published now, under a dated slug such as ``2026/03/18/council-budget-vote-7``."""
    story = generated_story(number, template)
    moment = published or datetime.now(UTC)
    words = [w.lower() for w in story.headline.split() if w.isalpha()][:5]
    story.slug = f"{moment:%Y/%m/%d}/{'-'.join(words)}-{number}"
    story.published = moment.isoformat(timespec="seconds")
    return story
