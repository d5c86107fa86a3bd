"""Travel towards a meeting that has not arrived yet.

"The minister heads to Beijing for talks", "left for Moscow", "is flying to
Kyiv": the visit or the talks are still ahead, so CAMEO's act (042 make a
visit, 046 negotiate) has not happened; what the sentence asserts is the
intent to meet (036). Arrival ("arrived in Moscow for talks") and travel told
as done ("flew to Moscow and met ...") stay the act.
"""

from __future__ import annotations

from spacy.tokens import Token

# verbs of going somewhere; arrival verbs (arrive, land, reach) are not here
TRAVEL = {"head", "fly", "travel", "go", "jet", "journey", "sail", "drive", "proceed", "rush",
          "embark"}
# leaving is under way whatever the tense: "left for Moscow" has not arrived
DEPARTURE = {"leave", "depart", "set"}
MEETING_ROOTS = ("04",)
DESTINATION = {"to", "for", "towards", "toward"}


def travel_under_way(verb: Token) -> str | None:
    """Why the travel `verb` has not reached its meeting yet; None when it has."""
    lemma = verb.lemma_.lower()
    if not any(c.dep_ == "prep" and c.lower_ in DESTINATION for c in verb.children):
        return None  # "would not leave their farms" goes nowhere
    if lemma in DEPARTURE:
        return "departure"
    if lemma not in TRAVEL:
        return None
    if verb.tag_ in ("VBZ", "VBP"):
        return "travel in the present"  # "heads to Beijing", headline present
    if verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children):
        return "travel in progress"  # "is flying to Kyiv"
    return None
