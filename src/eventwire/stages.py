"""What the Coder's stages share: the sentence record and the three kinds of stage.

Like spaCy's components, a stage is a callable built once from Config
(it may hold loaded data, never per-article state) and run on every
document; eventwire's run at three levels:

- a SentenceStage reads and writes one `Sentence` (its readings, its events);
- an EventStage returns one built Event with more filled in (its location);
- an ArticleStage maps an article's events to new ones (implied actors, dedup).

Coder (pipeline.py) builds the lists from Config and runs them in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Span

from .actors.mentions import Mentions
from .dates import ResolvedDate
from .events.reading import Reading, Trace
from .records import Article, Event


@dataclass(slots=True)
class Sentence:
    """One sentence on its way through the sentence stages."""

    sent: Span
    index: int  # in the article
    article: Article
    report: dt.date | None  # the article's date
    day: str | None  # the same, as written in events' report_date
    mentions: Mentions  # its tokens' actors, resolved once each
    own_attr: list[str]  # "according to X" in the sentence (attribution)
    neighbours: list[list[str]]  # attribution of the sentences around it in its paragraph
    traces: list[Trace]  # what happened to each trigger, for explain
    last_date: ResolvedDate | None  # the story's last dated day, before this sentence
    readings: list[Reading] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


SentenceStage = Callable[[Sentence], None]
EventStage = Callable[[Event, Reading, Sentence], Event]
ArticleStage = Callable[[list[Event]], list[Event]]
