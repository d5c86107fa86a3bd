"""Converters from the public reference data to eventwire's packaged data files.

One module per file it builds under src/eventwire/data/: actors.py
(actors.csv), agents.py (agents.csv), countries.py (countries.csv), cameo.py
(cameo.csv), plover.py (plover.csv), notice.py (NOTICE), verbs.py
(verbs.jsonl); common.py holds what they share. scripts/convert_reference.py
runs all but verbs.py, scripts/convert_verbs.py runs verbs.py.
"""
