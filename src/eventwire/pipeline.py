"""Coder: builds the stages from Config and runs articles through them.

INTERFACE (stable; implementation in progress):

    coder = load(config=None)
    coder.code(text, date=None, article_id="text", all_modalities=False) -> list[Event]
    coder.code_article(article, all_modalities=False) -> list[Event]
    coder.pipe(articles, all_modalities=False) -> Iterator[tuple[Article, list[Event]]]

By default only asserted events are returned; `all_modalities=True` also
returns negated and hypothetical ones (flagged in `Event.modality`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .config import Config
from .records import Article, Event


class Coder:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    def code(self, text: str, date: str | None = None, article_id: str = "text",
             *, all_modalities: bool = False) -> list[Event]:
        return self.code_article(Article(id=article_id, text=text, date=date),
                                 all_modalities=all_modalities)

    def code_article(self, article: Article, *, all_modalities: bool = False) -> list[Event]:
        return next(iter(self.pipe([article], all_modalities=all_modalities)))[1]

    def pipe(self, articles: Iterable[Article], *, all_modalities: bool = False
             ) -> Iterator[tuple[Article, list[Event]]]:
        raise NotImplementedError


def load(config: Config | None = None) -> Coder:
    return Coder(config)
