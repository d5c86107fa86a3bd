"""Stated intent and threats: CAMEO's 03x and 13x codes for a planned action.

"Russia is willing to hold talks" is not talks (046) but an expressed intent
to meet or negotiate (036); "threatened to attack" is a threat of military
force (138). The action's code decides which intent or threat code applies.
"""

from __future__ import annotations

# action root (or code) -> CAMEO "express intent to ..." code
INTENT_BY_ROOT = {
    "01": "030", "02": "030", "03": "030", "04": "036", "05": "032", "06": "031",
    "07": "033", "08": "035", "09": "030",
    # conflictual plans are threats in CAMEO
    "10": "130", "11": "130", "12": "130", "13": "130", "14": "133", "15": "130",
    "16": "131", "17": "137", "18": "138", "19": "138", "20": "138",
}
INTENT_BY_CODE = {
    "061": "0311", "062": "0312", "063": "0313", "064": "0314",
    "071": "0331", "072": "0332", "073": "0333", "074": "0334",
    "081": "0351", "083": "0352", "084": "0353", "085": "0354", "086": "0355", "087": "0356",
    "045": "039", "046": "036", "057": "037", "163": "1312", "172": "132", "161": "1313", "162": "1311",
    "134": "134", "174": "132", "171": "137", "173": "137", "175": "137",
}
THREAT_BY_ROOT = {
    "14": "133", "15": "138", "16": "131", "17": "137", "18": "138", "19": "138", "20": "138",
    "12": "134", "10": "130", "11": "130", "13": "130",
}


def intent_code(code: str, kind: str) -> str | None:
    """The 03x (intent) or 13x (threat) code for a planned action `code`;
    None when CAMEO has no intent code for it (a planned deployment)."""
    root = code[:2]
    if kind == "intent" and root == "15":
        return None
    if kind == "threat":
        return INTENT_BY_CODE.get(code, THREAT_BY_ROOT.get(root, "130")) if root >= "10" else "130"
    if root in ("03", "13"):
        return code  # already an intent or a threat
    return INTENT_BY_CODE.get(code, INTENT_BY_ROOT.get(root, "030"))
