"""What happened: triggers, their roles and modality, and the CAMEO code of each event.

Owns the event stages of a sentence (`triggers` -> `combine` -> `select`,
which codes each kept reading with `build` and `refine`), the records they
pass (`reading`), and the word lists and rules they use (`lexicon`,
`predicates`, `roles`, `modality`, `intent`, `motion`, `senses`,
`violence`, `clauses`). It may import spaCy, the records, `dates`,
`ontology`, `attribution`, `datacache` and `actors` (for resolved
mentions); `eventwire.stages` only for type checking. It never imports
`pipeline`, `geo`, the store or the interfaces.
"""
