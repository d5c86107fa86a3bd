"""Where events happened: an offline GeoNames gazetteer and the rules that place events.

- `gazetteer`: names -> candidate places (memory-mapped sorted TSV files);
- `locate`: the location of one event, from its sentence, the article's
  dateline, the article's most salient place, or its actors' countries;
- `stage`: the event stage the Coder runs to put that location on each event;
- `scoring`: place accuracy against gold locations (for evaluate).

It may import spaCy, the records, `places`, `deptree`, `errors` and
`actors.dictionary` (nationality words), and `scoring` the `evaluate`
records; `events` and `eventwire.stages` only for type checking. It never
imports `pipeline`, the store or the interfaces.
"""
