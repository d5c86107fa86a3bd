"""CAMEO/PLOVER lookups over the packaged tables."""

from __future__ import annotations

import dataclasses

import pytest

from eventwire import ontology
from eventwire.errors import EventwireError, InputError
from eventwire.ontology import CameoCode, PloverMapping, load_ontology


@pytest.mark.parametrize(("code", "name", "root", "goldstein", "quad"), [
    ("041", "Discuss by telephone", "04", 1.0, 1),
    ("01", "Make public statement", "01", 0.0, 1),
    ("0231", "Appeal for economic aid", "02", 3.4, 1),
    ("073", "Provide humanitarian aid", "07", 7.4, 2),
    ("111", "Criticize or denounce", "11", -2.0, 3),
    ("190", "Use conventional military force", "19", -10.0, 4),
    ("145", "Protest violently, riot", "14", -7.5, 4),
    ("163", "Impose embargo, boycott, or sanctions", "16", -8.0, 3),
])
def test_ontology_cameo_lookup(code: str, name: str, root: str, goldstein: float,
                               quad: int) -> None:
    assert ontology.cameo(code) == CameoCode(code, name, root, goldstein, quad)


@pytest.mark.parametrize(("code", "expected"), [
    ("041", ("CONSULT", "phone")),
    ("042", ("CONSULT", "visit")),
    ("190", ("ASSAULT", "")),
    ("1712", ("ASSAULT", "destroy")),
    ("163", ("SANCTION", "discontinue")),
    ("0231", ("REQUEST", "assist")),
    ("086", ("RETREAT", "access")),
])
def test_ontology_plover_lookup(code: str, expected: tuple[str, str]) -> None:
    got = ontology.plover(code)
    assert isinstance(got, PloverMapping)
    assert got == expected
    ptype, mode = got  # unpacks as a pair
    assert (got.type, got.mode) == (ptype, mode)


@pytest.mark.parametrize(("given", "normal"), [
    ("0231", "0231"), ("041", "041"), (" 041 ", "041"), ("10", "10"), ("12", "12"),
    ("23", "023"), ("231", "0231"), (42, "042"), (190, "190"), ("5", "05"),
])
def test_ontology_normalize_code(given: str | int, normal: str) -> None:
    assert ontology.normalize_code(given) == normal
    assert ontology.cameo(given).code == normal


@pytest.mark.parametrize("bad", ["", "abc", "0x41", "12345", "999", "-41", "04.1", "00"])
def test_ontology_normalize_rejects_unknown_codes(bad: str) -> None:
    with pytest.raises(InputError, match="CAMEO code"):
        ontology.normalize_code(bad)
    assert not ontology.is_valid(bad)


@pytest.mark.parametrize(("code", "valid"), [
    ("041", True), ("01", True), ("0231", True), ("176", True),
    ("41", False),  # is_valid does not normalise
    ("1214", False),  # listed by the crosswalk, absent from the codebook
])
def test_ontology_is_valid_is_exact(code: str, valid: bool) -> None:
    assert ontology.is_valid(code) is valid


def test_ontology_unknown_code_is_an_eventwire_error() -> None:
    with pytest.raises(EventwireError):
        ontology.plover("999")


def test_ontology_every_code_has_plover_and_quad() -> None:
    onto = load_ontology()
    assert len(onto.codes()) > 300
    for code in onto.codes():
        entry = onto.cameo(code)
        assert entry.root == code[:2]
        assert entry.quad_class in ontology.QUAD_CLASS_NAMES
        assert onto.plover(code).type or code.startswith("01")


@pytest.mark.parametrize(("code", "contexts"), [
    ("163", ("economic",)), ("094", ("military", "legal")), ("041", ()),
    ("073", ("human_security",)),
])
def test_ontology_contexts(code: str, contexts: tuple[str, ...]) -> None:
    assert load_ontology().contexts(code) == contexts


def test_ontology_is_cached_and_immutable() -> None:
    onto = load_ontology()
    assert load_ontology() is onto
    with pytest.raises(dataclasses.FrozenInstanceError):
        onto.cameo_codes = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        onto.cameo_codes["999"] = onto.cameo("041")  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        onto.cameo("041").name = "x"  # type: ignore[misc]
