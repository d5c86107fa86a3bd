"""Codes for actions that are planned, threatened, demanded, asked for or refused.

CAMEO gives a family of codes for each kind of speech act about an action,
and they line up: to meet or negotiate is 036 as an intent, 106 as a
demand, 026 as an appeal and 125 as a refusal; to provide aid is 033, 103,
023 and 122. So the action's code picks the intent code (03x), and the
other families follow from it. Conflictual plans are threats (13x).
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
    "081": "0351", "083": "0352", "084": "0353", "0841": "0353", "0842": "0353", "085": "0354",
    "086": "0355", "087": "0356", "0871": "0356", "0872": "0356", "0873": "0356", "0874": "0356",
    "045": "039", "046": "036", "057": "037", "163": "1312", "172": "132", "161": "1313",
    "162": "1311", "174": "132", "171": "137", "173": "137", "175": "137",
    # codebook 134-136: threats to halt negotiations, mediation or international
    # involvement ("will withdraw its inspectors" is 136, not a generic 131)
    "164": "134", "165": "135", "166": "136", "1661": "136", "1662": "136", "1663": "136",
}
THREAT_BY_ROOT = {
    "14": "133", "15": "138", "16": "131", "17": "137", "18": "138", "19": "138", "20": "138",
    "12": "134", "10": "130", "11": "130", "13": "130",
}
# intent code (without its "03") -> refusal code: 035 "yield" -> 124 "refuse to yield"
REJECT_BY_INTENT = {"0": "120", "1": "121", "2": "120", "3": "122", "4": "123", "5": "124",
                    "6": "125", "7": "127", "8": "126", "9": "126"}


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


def request_code(code: str, kind: str) -> str:
    """The code for demanding, appealing for or rejecting action `code`
    (`kind` "demand", "appeal" or "reject"): 10x, 02x or 12x."""
    intent = intent_code(code, "intent") or "030"
    if not intent.startswith("03"):
        return {"demand": "100", "appeal": "020", "reject": "120"}[kind]
    rest = intent[2:]
    if kind == "demand":
        return "10" + rest
    if kind == "appeal":
        return "02" + rest
    return REJECT_BY_INTENT[rest[0]] + rest[1:]  # may not exist: callers fall back to the parent
