"""Coder: builds the stages from Config and runs articles through them.

    coder = load(config=None)
    coder.code(text, date=None, article_id="text", all_modalities=False) -> list[Event]
    coder.code_article(article, all_modalities=False) -> list[Event]
    coder.pipe(articles, all_modalities=False) -> Iterator[tuple[Article, list[Event]]]
    coder.explain(sentence, date=None) -> Explanation

By default only asserted events are returned; `all_modalities=True` also
returns negated and hypothetical ones (flagged in `Event.modality`).

Per sentence, in order: predicates (events.predicates) -> roles
(events.roles) -> actors (actors.resolver, actors.coref) -> modality and
intent (events.modality) -> date (dates) -> place (geo.locate) -> attribution.
Per article: implied agents and countries (actors.implied), then dedup (one
record per date, source, target and code).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import attribution
from .actors.coref import ArticleContext
from .actors.dictionary import ActorDictionary, load_dictionary
from .actors.implied import implied_sector, imply_actors
from .actors.resolver import Mention, Resolver, phrase_tokens
from .coders import ArticleCoder
from .config import Config
from .dates import ResolvedDate, resolve_date
from .dedup import dedup_article
from .events.intent import intent_code, request_code
from .events.lexicon import Lexicon, load_lexicon
from .events.modality import ModalityResult, is_infinitive, modality_of
from .events.motion import MEETING_ROOTS, travel_under_way
from .events.predicates import Predicate, TriggerWords, find_predicates
from .events.roles import (
    DOCUMENTS,
    noun_sources,
    noun_targets,
    participle_subject,
    verb_sources,
    verb_targets,
)
from .events.senses import ordinary_sense
from .events.violence import (
    ARMED,
    aerial_code,
    combat_force,
    instrument_code,
    instrument_subject,
    irregular_assault,
    mentions_protesters,
    protest_code,
    seizes_weapons,
)
from .geo.locate import Locator
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
from .records import Actor, Article, Event

VISITS = {"042", "043"}
MAX_SENTENCE_TOKENS = 200
REFUSALS = {"refuse", "decline", "reject"}
REPORTED_MODALS = {"must": "demand", "should": "appeal", "would": "intent"}
DEPLOY_CODES = ("153", "154")  # mobilize police / armed forces
PHYSICAL_ROOTS = {"17", "18", "19", "20"}
STATEMENT_CODES = {"010", "01"}
# cooperative actions whose stated non-performance ("will not release") is a refusal (12x)
REFUSABLE_ROOTS = {"03", "04", "05", "06", "07", "08"}
FUTURE_AUX = {"will", "would", "wo", "shall"}
CONDITIONAL_THREAT_MODALS = {"may", "might", "could"}
SENDING = {"send", "dispatch", "despatch", "deploy"}
# "..., killing 20 and wounding 40": the toll of the attack the clause hangs on
CASUALTY_VERBS = {"kill", "wound", "injure", "maim", "hurt"}
VIOLENT_ROOTS = ("18", "19", "20")
# PLOVER RETREAT mode resign: an official's resignation that has
# happened (CAMEO codes it 083x, yielding to demands, which the crosswalk makes CONCEDE)
RESIGNATIONS = {"resign", "abdicate", "quit", "step"}
# "offered troops", "pledged $5 million": CAMEO 03x ("offer, promise ... to provide")
OFFERS = {"offer", "pledge", "promise"}


@dataclass(slots=True)
class Trace:
    """What happened to one trigger, for `eventwire explain`."""

    trigger: str
    rule: str
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    modality: str = ""
    outcome: str = ""


@dataclass(slots=True)
class Reading:
    """One trigger of a sentence, analysed: its roles, modality, date and codes."""

    pred: Predicate
    mod: ModalityResult
    trace: Trace
    when: ResolvedDate | None
    date: str | None
    sources: list[Mention]
    targets: list[Mention]
    fwd: str  # code from source to target
    rev: str  # code from target to source for reciprocal events ("" when none)
    drop: str = ""  # why the reading gives no event
    doer_unknown: bool = False  # a doer is named but unresolved, or "X died" (no doer told)


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
        countries = self.dictionary.countries
        self.gazetteer: Gazetteer = default_gazetteer()
        self.resolver = Resolver(self.dictionary, countries, self.gazetteer.lookup)
        self.locator: Locator | None = Locator(dictionary=self.dictionary) if self.config.geolocate else None
        # a text with no word that can be a trigger is not parsed (pipe_gated)
        self.triggers = (TriggerWords(self.lexicon, LemmaCandidates(self.nlp))
                         if self.config.model in VERIFIED_MODELS else None)

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

    # -- stages ------------------------------------------------------------
    def _code_doc(self, doc: Doc, article: Article, traces: list[Trace]) -> list[Event]:
        report = _parse_date(article.date)
        ctx = ArticleContext()
        sents = list(doc.sents)
        paras = paragraphs(doc, sents)
        own_attr = [attribution.sentence_attribution(s) for s in sents]
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
            neighbours = [own_attr[j] for j in (si - 1, si + 1)
                          if 0 <= j < len(sents) and paras[j] == paras[si]]
            own = attribution.according_to(sent)
            sent_events, last_date = self._code_sentence(
                sent, si, article, report, ctx, own, neighbours, last_date, traces)
            events.extend(sent_events)
        return dedup_article(imply_actors(events))

    def _code_sentence(self, sent: Span, si: int, article: Article, report: dt.date | None,
                       ctx: ArticleContext, own_attr: list[str], neighbours: list[list[str]],
                       last_date: ResolvedDate | None, traces: list[Trace]
                       ) -> tuple[list[Event], ResolvedDate | None]:
        day = report.isoformat() if report else None
        cache: dict[int, Mention | None] = {}
        notes: dict[int, str] = {}

        def resolve(tok: Token, date: str | None) -> Mention | None:
            if tok.i not in cache:
                m = self.resolver.resolve(tok, date)
                if m is None:
                    found = ctx.resolve(tok, si, self.resolver, self.dictionary, date)
                    if found:
                        m, notes[tok.i] = found
                    else:
                        m = _unknown_named(tok)
                        if m is not None:
                            notes[tok.i] = m.how
                elif m.how:
                    notes[tok.i] = m.how
                cache[tok.i] = m
            return cache[tok.i]

        # Read the sentence's mentions in order, so that pronouns and short names
        # find antecedents earlier in the same sentence too ("As for Xi, he ...").
        for tok in sent:
            if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.dep_ not in ("compound", "flat", "amod"):
                m = resolve(tok, day)
                if m is not None:
                    # the subject of "..., ABC News reported" does not carry the story on
                    subject = tok.dep_ in ("nsubj", "nsubjpass") and (
                        tok.head.lemma_.lower() not in attribution.REPORTING)
                    ctx.remember(m, si, subject, tok)

        def has_actor(noun: Token) -> bool:
            # "state" as a modifier means official ("a state visit"), not an actor
            mods = [c for c in noun.children if c.dep_ in ("poss", "compound", "amod", "nmod")
                    and c.lemma_.lower() != "state"]
            mods += [p for a in noun.children if a.dep_ == "prep" and a.lower_ == "by"
                     for p in a.children if p.dep_ == "pobj"]
            return any(resolve(m, day) is not None for m in mods)

        readings: list[Reading] = []
        for p in find_predicates(sent, self.lexicon, has_actor):
            trace = Trace(p.trigger.text, p.rule)
            traces.append(trace)
            mod = modality_of(p.trigger)
            when = resolve_date(sent, report, anchor=p.trigger, context=last_date)
            date = when.date if when else day
            src_toks, tgt_groups = self._roles(p)
            sources = [m for t in src_toks if (m := resolve(t, date)) is not None]
            targets: list[Mention] = []
            for group in tgt_groups:
                targets = [m for t in group if (m := resolve(t, date)) is not None
                           and not _place_not_target(t, m)]
                if targets:
                    break
            fwd, _, rev = p.code.partition(":")
            readings.append(Reading(p, mod, trace, when, date, sources, targets, fwd or rev, rev,
                                    doer_unknown=not sources and any(map(_doer_like, src_toks))))
            if when is not None and when.precision == "day" and _main_clause(p):
                # "the same day" refers to a day of the story's main line, not to a
                # date in a relative clause ("..., which Russia invaded on Feb. 24")
                last_date = when

        self._combine(readings, lambda t: resolve(t, day))
        by_reading: dict[int, list[Event]] = {}
        coded: set[int] = set()
        # statements last: one that reports another coded event is only its attribution
        # background clauses after the main line: "..., killing one", "that was imposed
        # in May", "to help them": CAMEO codes the main event, not its circumstances
        main_coded = False
        for r in sorted(readings, key=lambda r: (r.fwd in STATEMENT_CODES,
                                                 _background(r.pred) is not None)):
            if r.fwd in STATEMENT_CODES and not r.drop and any(
                    t.i in coded and t.i != r.pred.trigger.i for t in r.pred.trigger.subtree):
                r.drop = "statement that reports another event"
            clause = _background(r.pred)
            if (clause is not None and main_coded and not r.drop and r.fwd not in STATEMENT_CODES
                    and (not _physical(r.fwd) or _doerless_history(r) or clause == CIRCUMSTANCE)):
                # physical acts stay events wherever they are told (casualties of an
                # attack are merged into it above), except a doerless passive in a
                # relative clause ("the province, where dozens have died this year")
                r.drop = f"{clause} beside a coded main event"
            r.trace.modality = f"{r.mod.modality} ({r.mod.reason})" if r.mod.reason else r.mod.modality
            r.trace.sources = [f"{m.actor.text} -> {m.actor.code}"
                               + (f" ({notes.get(m.tokens[0], m.how)})" if m.tokens else "")
                               for m in r.sources]
            r.trace.targets = [f"{m.actor.text} -> {m.actor.code}" for m in r.targets]
            if r.drop:
                r.trace.outcome = f"dropped: {r.drop}"
                continue
            events = self._events(r, sent, si, article, day, own_attr, neighbours)
            if events:
                coded.add(r.pred.trigger.i)
                main_coded = main_coded or (_background(r.pred) is None
                                            and r.mod.modality == "asserted"
                                            and r.fwd not in STATEMENT_CODES)
            by_reading[id(r)] = events
            r.trace.outcome = (f"coded {len(events)} event(s): {r.fwd}" if events
                               else f"dropped: {r.drop or 'no source actor'}")
        return [e for r in readings for e in by_reading.get(id(r), [])], last_date

    def _combine(self, readings: list[Reading],
                 resolve: Callable[[Token], Mention | None]) -> None:
        """Rules between the triggers of one sentence (see events.modality for the words):

        - "plans to visit", "threatened to attack": the complement is recoded as an
          intent (03x) or threat (13x), with the governor's subject, and the governor
          gives way to it;
        - "urged Russia to negotiate", "demanded the release": a generic appeal or
          demand takes the specific code of what is asked for (026, 1053);
        - "refused to meet": the refusal takes the specific rejection code (125);
        - "heads to Beijing for talks", "left for Moscow": travel not yet arrived is
          the intent to meet (036), not the visit (events.motion);
        - "X said Y must/should/would ...": a demand (10x) or appeal (02x) from X to Y,
          or Y's stated intent.
        """
        by_trigger = {r.pred.trigger.i: r for r in readings}
        by_verb = {**{r.pred.light_verb.i: r for r in readings if r.pred.light_verb is not None},
                   **by_trigger}
        for r in readings:
            verb = r.pred.trigger
            if (r.fwd[:2] in MEETING_ROOTS and r.mod.modality == "asserted" and not r.mod.intent
                    and (why := travel_under_way(r.pred.verb))):
                # "heads to Beijing for talks": the meeting is ahead, its intent is the event
                r.fwd, r.rev = self._valid(intent_code(r.fwd, "intent") or "036", "036"), ""
                r.mod = replace(r.mod, reason=f"{why}: intent to meet")
            protest = by_verb.get(verb.head.i) if verb.dep_ in ("advcl", "xcomp") else None
            if (protest is not None and protest is not r and protest.fwd[:2] == "14"
                    and r.fwd[:2] in ("10", "02")):
                # "marched to demand reforms": CAMEO codes the protest, its demand
                # only picks the protest's sub-code; not an event of its own
                r.drop = "the demand of a protest, coded with it"
            riot = by_verb.get(verb.head.i) if verb.dep_ == "advcl" and verb.tag_ == "VBG" else None
            if (riot is not None and riot is not r and riot.fwd[:3] == "145"
                    and r.fwd[:2] in ("18", "19") and not r.targets):
                # "prisoners rioted, setting fire to mattresses": the damage done is
                # the violent protest itself (145), not an attack on someone
                r.drop = "the damage of a riot, coded with it"
            if verb.lemma_.lower() in OFFERS and r.fwd[:2] in ("06", "07") and not r.mod.intent:
                # the codebook's 031-033: an offer or pledge of aid is the intent to give it
                r.fwd, r.rev = self._valid(intent_code(r.fwd, "intent") or "030", "030"), ""
            toll = verb.head if verb.dep_ == "conj" and verb.head.dep_ == "advcl" else verb
            attack = (by_verb.get(toll.head.i) if toll.dep_ == "advcl" and toll.tag_ == "VBG"
                      and verb.tag_ == "VBG" else None)
            if (attack is not None and attack is not r and r.fwd[:2] in VIOLENT_ROOTS
                    and (attack.fwd[:2] in VIOLENT_ROOTS or attack.fwd[:3] == "175")
                    and verb.lemma_.lower() in CASUALTY_VERBS
                    and not attack.mod.intent and attack.mod.modality == r.mod.modality):
                # "shelled the town, killing 20": the dead are the attack's toll,
                # one event (the codebooks code the act; fatalities are its attribute)
                r.drop = "the casualties of an attack, coded with it"
                attack.targets = attack.targets or r.targets  # "attacked a convoy, killing 7 soldiers"
            sender = by_verb.get(verb.head.i) if verb.dep_ == "advcl" else None
            if (sender is not None and sender is not r and r.fwd[:2] == "09"
                    and sender.pred.trigger.lemma_.lower() in SENDING
                    and is_infinitive(verb)
                    and (r.sources or sender.sources)):
                # "sent a team to investigate ...": the codebook's 090 example codes
                # the investigation, by the sender
                sender.drop = "sends people to investigate, coded as the investigation"
                r.sources = r.sources or sender.sources
        for r in readings:
            gov = by_trigger.get(r.mod.governor.i) if r.mod.governor is not None else None
            if r.mod.intent:
                planned = intent_code(r.fwd, r.mod.intent)
                if planned is None:
                    r.mod = ModalityResult("hypothetical", governor=r.mod.governor,
                                           reason=r.mod.reason + "; no intent code for it")
                    continue
                if not r.sources and gov is not None:
                    r.sources = gov.sources
                # recoded also when nobody known intends it ("unidentified forces
                # intended to take the hill"): a plan is never the asserted act
                r.fwd, r.rev = planned, ""
                if gov is not None and r.sources:
                    gov.drop = "governs a stated intent or threat, coded there"
            elif gov is not None and r.mod.modality == "hypothetical" and gov.fwd in ("020", "100"):
                kind = "appeal" if gov.fwd == "020" else "demand"
                gov.fwd = self._valid(request_code(r.fwd, kind), gov.fwd)
                gov.targets = gov.targets or r.sources
            elif (gov is not None and r.mod.modality == "negated"
                  and gov.pred.trigger.lemma_.lower() in REFUSALS):
                # "declined to comment" is CAMEO 011, other refusals are 12x
                refused = "011" if r.fwd.startswith("01") else request_code(r.fwd, "reject")
                gov.fwd = self._valid(refused, gov.fwd or "120")
                gov.targets = gov.targets or r.targets
            elif (r.mod.modality == "negated" and r.mod.governor is None
                  and r.fwd[:2] in REFUSABLE_ROOTS and (r.fwd != "040" or r.targets)
                  and _future_negated(r.pred.verb)):
                # "will not lift the embargo", "said it would not accept refugees":
                # a stated refusal, 12x (the codebook's 1223 and 1242 examples)
                r.fwd, r.rev = self._valid(request_code(r.fwd, "reject"), "120"), ""
                r.mod = ModalityResult("asserted", reason="refusal: 'will not'")
            elif (r.mod.modality == "hypothetical" and r.mod.modal in CONDITIONAL_THREAT_MODALS
                  and r.fwd[:2] >= "14" and r.sources
                  and _has_condition(r.pred.verb)):
                # "may halt its mediation if ...", "could impose sanctions unless ...":
                # a conditional conflictual act is a threat (13x)
                r.fwd, r.rev = intent_code(r.fwd, "threat") or "130", ""
                r.mod = ModalityResult("asserted", reason=f"'{r.mod.modal}' + condition: threat")
            elif r.mod.modal in REPORTED_MODALS:
                reporter = _reporting_subject(r.pred.trigger)
                said_by = resolve(reporter) if reporter is not None else None
                kind = REPORTED_MODALS[r.mod.modal]
                if kind == "intent" and said_by is not None:
                    planned = intent_code(r.fwd, "intent")
                    if planned:
                        r.fwd, r.rev = planned, ""
                        r.mod = ModalityResult("asserted", reason=f"reported '{r.mod.modal}': intent")
                elif said_by is not None and r.sources:
                    r.targets, r.sources = r.sources, [said_by]
                    r.fwd, r.rev = self._valid(request_code(r.fwd, kind), "100"), ""
                    r.mod = ModalityResult("asserted", reason=f"reported '{r.mod.modal}': {kind}")

    def _valid(self, code: str, fallback: str) -> str:
        for c in (code, code[:3]):
            if self.ontology.is_valid(c):
                return c
        return fallback

    def _events(self, r: Reading, sent: Span, si: int, article: Article, day: str | None,
                own_attr: list[str], neighbours: list[list[str]]) -> list[Event]:
        p = r.pred
        if sense := ordinary_sense(p, r.fwd, r.sources, r.targets):
            r.drop = sense  # "pushed back the launch", "regained ground in the polls"
            return []
        if not r.sources and r.targets and r.fwd[:3] in DEPLOY_CODES and _passive(p):
            # "more police were deployed": the force deployed is the doer of 153/154
            r.sources, r.targets = r.targets, []
        if p.kind == "verb" and p.trigger.lemma_.lower() in DEATH_VERBS and r.fwd[:2] in PHYSICAL_ROOTS:
            # "four protesters died": who died is the victim, never the doer
            r.sources, r.targets = [], r.sources + r.targets
            r.doer_unknown = True
        if not r.sources and r.fwd[:2] in PHYSICAL_ROOTS and _between(p) \
                and len({t.actor.code for t in r.targets}) > 1:
            # "clashes broke out between police and protesters": both sides are doers;
            # where one side protests, its riot is the event (as "police clashed with
            # protesters")
            doc = p.trigger.doc
            rioters = [t for t in r.targets if mentions_protesters(doc[i] for i in t.tokens)]
            others = [t for t in r.targets if t not in rioters]
            r.sources, r.targets = (rioters, others) if rioters and others else (r.targets, [])
        # "a roadside bomb killed three soldiers": a weapon or an attack as the doer
        instrument = (instrument_subject(p.trigger) if not r.sources and p.kind == "verb"
                      and r.fwd[:2] in PHYSICAL_ROOTS else None)
        if not r.sources and instrument is None and not (
                _passive(p) and (r.targets or p.kind == "noun" or r.fwd[:2] in PHYSICAL_ROOTS)
        ) and not (r.doer_unknown and p.kind == "verb" and _unknown_doer_kept(r)
                   ) and implied_sector(r.fwd) is None:
            # an agentless passive needs a named target ("40 people were arrested"),
            # unless an event noun ("arrests were made") or a physical act ("four
            # were arrested", "a man was killed") carries the event; a custody or
            # crowd-control act needs no named doer: it implies one (actors.implied)
            return []
        fwd = r.fwd if instrument is None else instrument_code(instrument, self.lexicon, r.fwd)
        if (fwd.startswith("171") or fwd == "192") and not _takes_a_place(p.trigger) and any(
                _is_people(t) for t in r.targets) and not seizes_weapons(p.trigger):
            fwd = "173"  # seizing people is detaining them; 171 is property, 192 territory
        elif (fwd.startswith("171") or fwd == "0841") and _takes_a_place(p.trigger):
            fwd = "192"  # seizing (or "freeing") a town or a base is occupying territory
        elif fwd == "174" and any((t.actor.sector or "") in ARMED for t in r.targets) \
                and _out_of_a_place(p.trigger):
            fwd = "192"  # forcing fighters out of a village is taking it, not deporting them
        elif fwd == "174" and any((t.actor.sector or "") in ARMED for t in r.targets) \
                and any((s.actor.sector or "") in ARMED for s in r.sources):
            fwd = "190"  # an armed force pushing fighters back is fighting them, no expulsion
        elif fwd == "084" and any(_is_people(t) for t in r.targets):
            fwd = "0841"  # releasing prisoners, hostages, fighters: CAMEO's release of persons
        doc = p.trigger.doc
        # protesters' violence is a riot (145), force used on protesters repression (175)
        # a country standing alone as the doer is its state ("Israeli attacks on protesters")
        refined, swap = protest_code(fwd, p.trigger, [doc[i] for m in r.sources for i in m.tokens],
                                     {m.actor.sector or ("GOV" if m.actor.country else "")
                                      for m in r.sources},
                                     [doc[i] for m in r.targets for i in m.tokens])
        sources, targets = (r.targets, r.sources) if swap else (r.sources, r.targets)
        rev = r.rev if refined == fwd else ""
        fwd = irregular_assault(refined, p.trigger, {s.actor.sector or "" for s in sources},
                                {t.actor.sector or "" for t in targets})
        fwd = combat_force(fwd, {s.actor.sector or "" for s in sources},
                           {t.actor.sector or "" for t in targets})
        fwd = aerial_code(fwd, [doc[i] for m in sources for i in m.tokens],
                          [t for t in (p.trigger, p.light_verb) if t is not None])
        if p.people_only and not any(_is_people(t) for t in r.targets):
            r.drop = "no people held"
            return []
        if fwd.startswith("173") and _things_taken(p, r.targets):
            r.drop = "a thing taken, not people"  # "took time", "sent a circular to the jails"
            return []
        if not self.ontology.is_valid(fwd):
            return []
        pairs: list[tuple[Mention | None, Mention | None, str]] = []
        if not targets and len({s.actor.code for s in sources}) > 1:
            # "Armenia and Azerbaijan signed a ceasefire": each with the other
            for s in sources:
                pairs += [(s, t, fwd) for t in sources if t.actor.code != s.actor.code]
        else:
            doers: list[Mention | None] = [*sources] or [None]  # None: an agentless passive
            for doer in doers:
                others = [t for t in targets if doer is None or t.actor.code != doer.actor.code]
                if not others:
                    # no target, or only the doer itself ("blew themselves up",
                    # "the army set up a military base"): the event has no target
                    pairs.append((doer, None, fwd))
                for t in others:
                    pairs.append((doer, t, fwd))
                    if rev and doer is not None:
                        pairs.append((t, doer, rev))
        actor_tokens = {i for m in r.sources + r.targets for i in m.tokens}
        reported = tuple(attribution.attribute(p.trigger, own_attr, neighbours))
        confidence = _confidence(p, bool(r.targets), bool(r.sources))
        events = []
        # the evidence as written, where capitals were folded for the parse
        text, trigger = (_as_written(article.text, t.text, t.start_char if isinstance(t, Span)
                                     else t.idx) for t in (sent, p.trigger))
        for src, tgt, c in pairs:
            if not self.ontology.is_valid(c):
                continue
            info = self.ontology.cameo(c)
            plover, mode = self.ontology.plover(c)
            if c[:2] == "08" and r.mod.modality == "asserted" and _resigns(p.trigger):
                plover, mode = "RETREAT", "resign"
            events.append(Event(
                article_id=article.id, sentence_index=si, sentence=text,
                span=(sent.start_char, sent.end_char), trigger=trigger,
                date=r.date, date_precision=r.when.precision if r.when else "day",
                report_date=day, source=src.actor if src else None,
                target=tgt.actor if tgt else None,
                cameo=info.code, cameo_root=info.root, cameo_name=info.name,
                goldstein=info.goldstein, quad_class=info.quad_class,
                plover=plover or None, plover_mode=mode or None, modality=r.mod.modality,
                location=self.locator.locate(sent, p.trigger, actor_tokens, article,
                                             target=tgt.actor if tgt else None,
                                             source=src.actor if src else None)
                if self.locator else None, reported_by=reported, confidence=confidence,
            ))
        return events

    def _roles(self, p: Predicate) -> tuple[list[Token], list[list[Token]]]:
        if p.kind == "noun":
            return noun_sources(p.trigger, p), noun_targets(p.trigger, p.target_preps, p)
        return verb_sources(p.trigger), verb_targets(p.trigger, p, _code(p.code)[:3] in VISITS)


# people who act, though no actor of the dictionaries ("three members of ...")
DOER_NOUNS = {"member", "trooper", "assailant", "attacker", "fighter", "man", "woman", "youth",
              "supporter", "follower", "loyalist", "cadre", "unit", "force", "squad", "commando",
              "group", "faction", "gang", "mob", "crowd", "people", "person", "resident", "villager",
              "kamikaze", "jihadist", "sniper", "gunman", "raider", "assassin", "vigilante"}


def _doer_like(tok: Token) -> bool:
    """A subject that names people: a name or a noun for them (not "the storm",
    "floods"). An unresolved pronoun is no evidence: it is left to coreference."""
    return (tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or tok.pos_ == "PROPN"
            or tok.lemma_.lower() in DOER_NOUNS or tok.lower_.rstrip("s") in DOER_NOUNS)


DEATH_VERBS = {"die", "perish"}


def _as_written(original: str, parsed: str, start: int) -> str:
    """The article's own characters under `parsed` (lowercased by fold_shouting)."""
    own = original[start:start + len(parsed)]
    return own if own != parsed and own.lower() == parsed.lower() else parsed


def _between(p: Predicate) -> bool:
    """The trigger, its light verb or its event noun has a "between" phrase."""
    heads = [t for t in (p.trigger, p.light_verb) if t is not None]
    heads += [c for h in heads for c in h.children if c.dep_ == "nsubj"]
    return any(c.dep_ == "prep" and c.lower_ == "between" for h in heads for c in h.children)


def _unknown_doer_kept(r: Reading) -> bool:
    """Violence and the taking of places stay events when their doer is named but
    is no actor we know ("three members of a little-known front hurled grenades",
    "troopers captured two camps"): CAMEO codes the act with an unknown source, as
    it codes an agentless passive. Other events need a known source."""
    return r.fwd[:2] in ("18", "19", "20") or r.fwd.startswith("171")


def _confidence(p: Predicate, has_target: bool, has_source: bool) -> float:
    """How sure the coder is, and which event of a sentence is its main one:
    a specific pattern, both actors, and the main clause raise it; a bare
    statement (CAMEO 01) or an event noun lowers it."""
    score = 0.45 + 0.1 * min(p.specificity, 2)
    score += 0.1 if has_target else 0.0
    score += 0.05 if has_source else -0.1
    if _main_clause(p):
        score += 0.1
    if _code(p.code).startswith("01") and _code(p.code)[:3] not in ("015", "016"):
        # claiming or denying responsibility for an act is no bare statement
        score -= 0.2
    if p.kind == "noun" and p.light_verb is None:
        score -= 0.1
    return round(min(0.95, max(0.05, score)), 2)


PEOPLE_SECTORS = {"PPL", "CVL", "OPP", "CRM", "REB", "ACT", "EDU", "LAB", "REL", "REF", "MED",
                  "BUS", "AGR", "UAF", "INS", "SEP", "JUD", "LEG", "GOV", "MIL", "COP"}


def _reporting_subject(trigger: Token) -> Token | None:
    """The subject of the reporting verb whose complement holds the trigger."""
    t = trigger
    doc = t.head
    if (t.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in t.children)
            and doc.lemma_.lower() in DOCUMENTS and doc.dep_ == "dobj"):
        # "issued a reminder that Libya must ...": the issuer of the document
        subj = next((c for c in doc.head.children if c.dep_ == "nsubj"), None)
        return participle_subject(subj) if subj is not None else None
    for _ in range(4):
        if t.dep_ not in ("ccomp", "conj") or t.head.i == t.i:
            return None
        t = t.head
        if t.lemma_.lower() in attribution.REPORTING:
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            return participle_subject(subj) if subj is not None else None
    return None


def _is_people(m: Mention) -> bool:
    """A person or a group of people, not a country or a place."""
    return m.kind in ("person", "title", "group", "agent") or (m.actor.sector or "") in PEOPLE_SECTORS


PLACE_NOUNS = {"town", "city", "village", "port", "base", "area", "region", "province", "district",
               "territory", "airport", "hill", "mountain", "border", "crossing", "outpost",
               "position", "stronghold", "island", "capital", "headquarters", "camp", "bridge",
               # added with the ACLED-style review: more places taken in fighting, and
               # "control" ("seized control of the city": the object is the place's control)
               "neighborhood", "neighbourhood", "suburb", "oilfield", "field", "checkpoint",
               "highway", "road", "enclave", "barracks", "compound", "hilltop", "airfield",
               "airbase", "county", "control", "ground",
               # round 2: district centres and military posts are places taken too
               "centre", "center", "post"}


def _out_of_a_place(verb: Token) -> bool:
    """'out of' or 'from' a place: 'pushed the militants out of several villages'."""
    return any(t.dep_ == "pobj" and t.head.lower_ in ("of", "from")
               and (t.ent_type_ in ("GPE", "LOC", "FAC") or t.lemma_.lower() in PLACE_NOUNS)
               for t in verb.subtree)


# verbs coded 173 by a pattern that also take things ("took time", "sent a circular")
TAKING_VERBS = {"take", "send", "pick", "book", "put", "place", "keep", "hold", "restrict",
                "bring", "lodge"}


def _things_taken(p: Predicate, targets: list[Mention]) -> bool:
    """A taking verb coded as an arrest whose direct object is a thing, not people."""
    if p.kind != "verb" or p.trigger.lemma_.lower() not in TAKING_VERBS:
        return False
    covered = {i for m in targets for i in m.tokens}
    return any(c.dep_ == "dobj" and c.pos_ == "NOUN" and not covered & {t.i for t in c.subtree}
               and c.lemma_.lower() not in p.object_words and c.lower_ not in p.object_words
               for c in p.trigger.children)  # the pattern's own object ("registered a case") stays


def _takes_a_place(verb: Token) -> bool:
    """The object is a place: a named location or a noun such as 'town' or 'base'."""
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")):
        if obj.ent_type_ in ("GPE", "LOC", "FAC") or obj.lemma_.lower() in PLACE_NOUNS:
            return True
    return False


UNKNOWN = "---"  # PETRARCH's code for an actor the dictionaries do not know
ORG_HEADS = {"forum", "group", "organization", "organisation", "association", "council",
             "committee", "movement", "party", "front", "union", "agency", "commission",
             "coalition", "alliance", "federation", "network", "company", "ministry",
             "department", "court", "office", "institute", "foundation", "society", "league"}


def _unknown_named(tok: Token) -> Mention | None:
    """A named person or organisation the dictionaries do not know: kept as an
    actor with code '---' and its name, so its events and its pronouns are not
    lost (PETRARCH's "new actor")."""
    if tok.pos_ == "NOUN" and tok.lemma_.lower() not in ORG_HEADS:
        return None  # "Xi's historical aspect" names no organisation
    if tok.pos_ not in ("PROPN", "NOUN"):
        return None
    left = {t.i for t in phrase_tokens(tok)}
    # the entity that ends the phrase: "Action Against Hunger", "the APEC forum"
    ents = [e for e in tok.doc.ents if e.label_ in ("PERSON", "ORG") and e.end - 1 in left
            and e.end - 1 <= tok.i]
    if not ents:
        return None
    ent = ents[-1]
    name = ent.text.removeprefix("the ").removeprefix("The ")
    kind = "person" if ent.label_ == "PERSON" else "org"
    return Mention(Actor(text=ent.text, code=UNKNOWN, name=name), kind,
                   tuple(range(ent.start, ent.end)), how=f"unknown {ent.label_.lower()}")


def _place_not_target(tok: Token, m: Mention) -> bool:
    """'fired at protesters' names a target, 'talks at Geneva' a place."""
    return tok.head.lower_ == "at" and m.kind in ("country", "capital")


def _resigns(verb: Token) -> bool:
    """"resigned", "stepped down", "quit": an official leaving office (past, asserted)."""
    lemma = verb.lemma_.lower()
    if lemma == "step" and not any(c.lower_ in ("down", "aside") for c in verb.children):
        return False
    return lemma in RESIGNATIONS and verb.tag_ in ("VBD", "VBN")


def _main_clause(p: Predicate) -> bool:
    verb = p.verb
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


BACKGROUND = {"relcl": "relative clause", "acl": "relative clause"}
CIRCUMSTANCE = "time phrase"
CIRCUMSTANCE_PREPS = {"after", "following", "since", "before", "amid", "amidst", "despite"}


def _doerless_history(r: Reading) -> bool:
    """Violence told as a passive with no doer in a relative clause ("... where
    28 were killed"); arrests stay ("the man who was arrested on Friday")."""
    verb = r.pred.verb
    return (r.fwd[:2] in ("18", "19", "20") and verb.dep_ == "relcl" and not r.sources
            and _passive(r.pred))


def _physical(code: str) -> bool:
    """Violence (18-20) and physical coercion (seizure, arrest, expulsion, force:
    171, 173-175); not a generic coercion (170) or administrative sanctions (172)."""
    return code[:2] in ("18", "19", "20") or code[:3] in ("171", "173", "174", "175")


def _background(p: Predicate) -> str | None:
    """The kind of background clause the trigger (or its light verb) heads, if any:
    a relative clause, a purpose infinitive or a participial adverbial."""
    verb = p.verb
    if p.kind == "noun" and p.light_verb is None:
        # "surrendered following a government offensive": the event before or
        # around the main one, told as a time phrase, is its circumstance
        head = p.trigger.head
        if (p.trigger.dep_ == "pobj" and head.lower_ in CIRCUMSTANCE_PREPS
                and head.head.pos_ in ("VERB", "AUX")):
            return CIRCUMSTANCE
        return None
    if verb.dep_ in BACKGROUND:
        return BACKGROUND[verb.dep_]
    top = verb
    while top.dep_ in ("xcomp", "conj") and top.head is not top:
        top = top.head
    if top is not verb and top.dep_ in BACKGROUND:
        # "a motion that seeks to widen sanctions and to impose an embargo"
        return BACKGROUND[top.dep_]
    if verb.dep_ == "advcl":
        if is_infinitive(verb):
            return "purpose clause"
        if verb.tag_ == "VBG":
            return "participial clause"
    return None


def _passive(p: Predicate) -> bool:
    """The trigger (or its light verb) is a passive with no named doer."""
    verb = p.verb
    if p.kind == "noun" and p.light_verb is None:
        return False
    participle = verb.dep_ == "acl" and verb.tag_ == "VBN"  # "the people arrested on Friday"
    return (participle or any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)) and not any(
        c.dep_ == "agent" for c in verb.children)


def _code(code: str) -> str:
    """The forward code of "042:043" (or the reverse one when only that is given)."""
    fwd, _, rev = code.partition(":")
    return fwd or rev


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def load(config: Config | None = None) -> Coder:
    """The default pipeline, or one built from `config`."""
    return Coder(config)


def _future_negated(verb: Token) -> bool:
    """'will not X', 'would not X', "won't X": a negation on a future or conditional auxiliary."""
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return bool(aux & FUTURE_AUX) and any(c.dep_ == "neg" for c in verb.children)


def _has_condition(verb: Token) -> bool:
    """An 'if'/'unless' clause attached to the verb."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                         for m in c.children) for c in verb.children)
