"""Where events happened: an offline GeoNames gazetteer and the rules that place events.

- `gazetteer`: names -> candidate places (memory-mapped sorted TSV files);
- `locate`: the location of one event, from its sentence, the article's
  dateline, the article's most salient place, or its actors' countries.
"""
