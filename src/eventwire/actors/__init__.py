"""Who did it to whom: actor dictionaries and the resolution of mentions to actor codes.

Owns the dictionaries (`dictionary`), the resolution of one noun phrase
(`resolver`), coreference across an article (`coref`), the sentence stage
that resolves a sentence's mentions in order (`mentions`), and the article
stage that fills in implied agents and countries (`implied`). It may import
spaCy, the records, `attribution`, `datacache` and `errors`;
`eventwire.stages` only for type checking. It never imports `events`,
`geo`, `pipeline`, the store or the interfaces.
"""
