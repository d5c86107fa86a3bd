"""What every coder offers: `code` and `code_article` on top of its `pipe`.

Coder (pipeline.py) and TimeLimitedCoder (limits.py) differ only in how
`pipe` codes a stream of articles; this module imports no model, so the
time-limited coder's parent process stays light.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator

from .records import Article, Event


class ArticleCoder(ABC):
    """A coder of articles: `pipe` codes a stream, the rest are conveniences."""

    @abstractmethod
    def pipe(self, articles: Iterable[Article], *, all_modalities: bool = False
             ) -> Iterator[tuple[Article, list[Event]]]:
        """(article, its events) in input order; only asserted events unless `all_modalities`."""

    def code_article(self, article: Article, *, all_modalities: bool = False) -> list[Event]:
        return next(iter(self.pipe([article], all_modalities=all_modalities)))[1]

    def code(self, text: str, date: str | None = None, article_id: str = "text",
             *, all_modalities: bool = False) -> list[Event]:
        return self.code_article(Article(id=article_id, text=text, date=date),
                                 all_modalities=all_modalities)
