"""Live monitoring: `eventwire watch` polls feeds and sitemaps and stores new articles.

    from eventwire.watch.loop import Watcher, WatchSettings

fetch.py is the polite HTTP client, sources.py reads source lists, feeds and
sitemaps, state.py keeps the polled sources and the seen-URL queue in the
store, loop.py runs the rounds. docs/watch.md is the user's guide. It may import `read`, `engines`, `pipeline`,
`store` and `alerts`; the store and the pipeline never import it.
"""
