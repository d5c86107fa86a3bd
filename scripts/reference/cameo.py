"""Build cameo.csv from the CAMEO codebook.

Source: cameo/cameo-codes.csv (Andreas Beger's CAMEO codebook data), plus the
codes in CAMEO_EXTENSIONS that PETRARCH2 uses but the codebook lacks. Output
columns: code, name, root, goldstein, quad_class, description.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

FILE = "cameo.csv"
HEADER = ("code", "name", "root", "goldstein", "quad_class", "description")

# CAMEO quad classes by root code (GDELT's convention).
QUAD_BY_ROOT = {
    **{f"{r:02d}": 1 for r in range(1, 6)},
    **{f"{r:02d}": 2 for r in range(6, 9)},
    **{f"{r:02d}": 3 for r in (9, 10, 11, 12, 13, 16)},
    **{f"{r:02d}": 4 for r in (14, 15, 17, 18, 19, 20)},
}

# CAMEO codes used by PETRARCH2's verb dictionary but missing from the CAMEO
# codebook: code, name, goldstein (from the parent), PLOVER type, mode, context.
CAMEO_EXTENSIONS = (
    ("176", "Attack cybernetically", "-7.0", "COERCE", "cyber", "cyber"),
)


def read_cameo_codebook(ref: Path) -> list[dict[str, str]]:
    raw = (ref / "cameo/cameo-codes.csv").read_bytes()

    # The file is UTF-8 that was once decoded as Mac Roman and saved as cp1252
    # ("‚Äô" for "’"): undo that per run of non-ASCII bytes.
    def repair(m: re.Match[bytes]) -> bytes:
        try:
            return m.group(0).decode("cp1252").encode("mac_roman").decode("utf-8").encode()
        except UnicodeError:
            return b""

    text = re.sub(rb"[\x80-\xff]+", repair, raw).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def sentence_case(name: str) -> str:
    name = " ".join(name.split())
    if name.isupper():
        return name[0] + name[1:].lower()
    return name[0].upper() + name[1:]


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    if text in ("", "NA"):
        return ""
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]


def convert(ref: Path) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for row in read_cameo_codebook(ref):
        code = row["code"].strip()
        root = row["root_code"].strip()
        out.append((code, sentence_case(row["name"]), root,
                    repr(float(row["goldstein"])), str(QUAD_BY_ROOT[root]),
                    first_sentence(row["description"])))
    for code, name, goldstein, *_ in CAMEO_EXTENSIONS:
        root = code[:2]
        out.append((code, name, root, goldstein, str(QUAD_BY_ROOT[root]),
                    "eventwire extension: used by PETRARCH2's verb dictionary, absent from "
                    "the CAMEO codebook."))
    out.sort()
    return out
