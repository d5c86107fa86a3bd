"""Coder: builds the stages Config names and runs articles through them.

    coder = load(config=None)
    coder.code(text, date=None, article_id="text", all_modalities=False) -> list[Event]
    coder.code_article(article, all_modalities=False) -> list[Event]
    coder.pipe(articles, all_modalities=False) -> Iterator[tuple[Article, list[Event]]]
    coder.explain(sentence, date=None) -> Explanation

By default only asserted events are returned; `all_modalities=True` also
returns negated and hypothetical ones (flagged in `Event.modality`).

As spaCy's Language runs its components, the Coder runs three lists of
stages (eventwire.stages), each stage one module:

- per sentence: actors (actors.mentions, with actors.resolver and
  actors.coref) -> triggers with their modality, date and roles
  (events.triggers) -> rules between triggers (events.combine) -> main-event
  selection (events.select), which codes each kept reading (events.build:
  events.refine, the ontology, attribution);
- per event: geolocation (geo.stage), when Config.geolocate;
- per article: implied agents and countries (actors.implied), then dedup
  (one record per date, source, target and code).

Here only the wiring and the batching: the texts are cleaned for the parser,
parsed in batches (nlp.pipe), and a text with no word that can be a trigger
is not parsed at all (the trigger-lemma gate, nlp.pipe_gated).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from . import attribution
from .actors.coref import ArticleContext
from .actors.dictionary import ActorDictionary, load_dictionary
from .actors.implied import imply_actors
from .actors.mentions import Mentions, read_mentions
from .actors.resolver import Resolver
from .coders import ArticleCoder
from .config import Config
from .dates import ResolvedDate, parse_report_date
from .dedup import dedup_article
from .events.build import BuildEvents
from .events.combine import Combine
from .events.lexicon import Lexicon, load_lexicon
from .events.predicates import TriggerWords
from .events.reading import Trace
from .events.select import SelectMain
from .events.triggers import ReadTriggers
from .geo.locate import Locator
from .geo.stage import Geolocate
from .nlp import (
    VERIFIED_MODELS,
    LemmaCandidates,
    break_long_runs,
    fold_shouting,
    load_nlp,
    paragraphs,
    pipe_gated,
)
from .ontology import Ontology, load_ontology
from .places import Gazetteer, default_gazetteer
from .read._common import without_surrogates
from .records import Article, Event
from .stages import ArticleStage, EventStage, Sentence, SentenceStage

MAX_SENTENCE_TOKENS = 200


@dataclass(slots=True)
class Explanation:
    sentence: str
    tokens: list[dict[str, object]]
    traces: list[Trace]
    events: list[Event]


class Coder(ArticleCoder):
    """The event coder. Build once (loading the model takes about a second)."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.nlp: Language = load_nlp(self.config.model)
        self.lexicon: Lexicon = load_lexicon()
        self.ontology: Ontology = load_ontology()
        self.dictionary: ActorDictionary = load_dictionary(
            self.config.actor_files, self.config.officeholder_files)
        self.gazetteer: Gazetteer = default_gazetteer()
        self.resolver = Resolver(self.dictionary, self.dictionary.countries, self.gazetteer.lookup)
        # a text with no word that can be a trigger is not parsed (pipe_gated)
        self.triggers = (TriggerWords(self.lexicon, LemmaCandidates(self.nlp))
                         if self.config.model in VERIFIED_MODELS else None)
        # the stages, in the order they run (a new stage: its module, one line here)
        self.event_stages: list[EventStage] = []
        if self.config.geolocate:
            self.event_stages.append(Geolocate(Locator(dictionary=self.dictionary)))
        self.sentence_stages: list[SentenceStage] = [
            read_mentions,
            ReadTriggers(self.lexicon),
            Combine(self.ontology),
            SelectMain(BuildEvents(self.lexicon, self.ontology, self.event_stages)),
        ]
        self.article_stages: list[ArticleStage] = [imply_actors, dedup_article]

    # -- public API (code and code_article: coders.ArticleCoder) ------------
    def pipe(self, articles: Iterable[Article], *, all_modalities: bool = False
             ) -> Iterator[tuple[Article, list[Event]]]:
        def texts() -> Iterator[tuple[str, Article]]:
            for a in articles:
                # lone surrogates (legal JSON escapes, never UTF-8) make spaCy fail
                yield fold_shouting(break_long_runs(without_surrogates(a.text[: self.config.max_chars]))), a

        keep = self.triggers.in_doc if self.triggers else None
        for doc, article, parsed in pipe_gated(self.nlp, texts(), keep=keep,
                                               batch_size=self.config.batch_size):
            events = self._code_doc(doc, article, []) if parsed else []
            if not all_modalities:
                events = [e for e in events if e.modality == "asserted"]
            yield article, events

    def explain(self, sentence: str, date: str | None = None) -> Explanation:
        doc = self.nlp(fold_shouting(sentence))
        traces: list[Trace] = []
        events = self._code_doc(doc, Article(id="explain", text=sentence, date=date), traces)
        tokens = [{"i": t.i, "text": t.text, "lemma": t.lemma_, "pos": t.pos_, "dep": t.dep_,
                   "head": t.head.i, "ent": t.ent_type_} for t in doc]
        return Explanation(sentence, tokens, traces, events)

    # -- running the stages --------------------------------------------------
    def _code_doc(self, doc: Doc, article: Article, traces: list[Trace]) -> list[Event]:
        report = parse_report_date(article.date)
        day = report.isoformat() if report else None
        ctx = ArticleContext()
        sents = list(doc.sents)
        paras = paragraphs(doc, sents)
        whole_attr = [attribution.sentence_attribution(s) for s in sents]
        last_date: ResolvedDate | None = None
        events: list[Event] = []
        for si, sent in enumerate(sents):
            if len(sent) > MAX_SENTENCE_TOKENS:
                # not prose (a table, a list run together): our stages grow with the
                # square of its length, and no event coder reads such a "sentence" well
                traces.append(Trace(sent[:3].text + " ...", "sentence too long",
                                    outcome=f"skipped: {len(sent)} tokens, more than "
                                            f"{MAX_SENTENCE_TOKENS}"))
                continue
            s = Sentence(sent, si, article, report, day,
                         Mentions(self.resolver, self.dictionary, ctx, si),
                         attribution.according_to(sent),
                         attribution.neighbours(whole_attr, paras, si), traces, last_date)
            for stage in self.sentence_stages:
                stage(s)
            last_date = s.last_date
            events.extend(s.events)
        for article_stage in self.article_stages:
            events = article_stage(events)
        return events


def load(config: Config | None = None) -> Coder:
    """The default pipeline, or one built from `config`."""
    return Coder(config)
