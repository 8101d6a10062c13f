"""docs/references.bib is the project's one bibliography: every DOI a page, a lesson module or a doc cites is
in it, every DOI is well-formed, and every entry of a page's "References" list is in it.

The DOI pattern is Crossref's recommended one (``10.`` + 4-9 digit prefix + ``/`` + suffix), widened by
``<`` and ``>`` for the old SICI-style DOIs (e.g. Lachaux et al. 1999, Human Brain Mapping).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT
BIB = ROOT / "docs" / "references.bib"
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
LESSON_FILES = sorted((ROOT / "empathy_explorer" / "lessons").rglob("*.py")) + sorted(
    p for p in [ROOT / "empathy_explorer" / "clinic.py"] if p.exists()
)
DOCS = sorted((ROOT / "docs").glob("*.md"))

WELL_FORMED_DOI = re.compile(r"^10\.\d{4,9}/[-._;()/:<>A-Za-z0-9]+$")
_DOI_IN_TEXT = re.compile(r"\b10\.\d{4,9}/[^\s\"'`\]}]+")
_ENTRY = re.compile(r"^@(\w+)\{([^,\s]+),(.*?)^\}", re.MULTILINE | re.DOTALL)
_FIELD = re.compile(r"^\s*(\w+)\s*=\s*\{(.*)\},?\s*$", re.MULTILINE)
_URL = re.compile(r"https?://[^\s)>\]]+")


def parse_bib(text: str) -> dict[str, dict[str, str]]:
    """Entries of a BibTeX text: key -> fields (lower-case names), plus ``type``; duplicate keys raise."""
    entries: dict[str, dict[str, str]] = {}
    for kind, key, body in _ENTRY.findall(text):
        if key in entries:
            raise ValueError(f"duplicate BibTeX key {key!r}")
        fields = {name.lower(): value.strip() for name, value in _FIELD.findall(body)}
        fields["type"] = kind.lower()
        entries[key] = fields
    return entries


def clean_doi(raw: str) -> str:
    """A DOI found in running text, without the punctuation that follows it in a sentence."""
    doi = raw.rstrip(".,;:")
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1].rstrip(".,;:")
    return doi


def dois_in(text: str) -> set[str]:
    """Every DOI in a text (bare, after ``doi``, or inside a https://doi.org/ link)."""
    return {clean_doi(m) for m in _DOI_IN_TEXT.findall(text)}


def _notebook_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"])


def _references_section(text: str) -> str:
    m = re.search(r"^##\s+References\b.*$", text, flags=re.MULTILINE)
    if m is None:
        return ""
    rest = text[m.end() :]
    nxt = re.search(r"^#{1,2}\s", rest, flags=re.MULTILINE)
    return rest[: nxt.start()] if nxt else rest


@pytest.fixture(scope="module")
def bib() -> dict[str, dict[str, str]]:
    return parse_bib(BIB.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bib_dois(bib) -> set[str]:
    return {f["doi"].lower() for f in bib.values() if "doi" in f}


@pytest.fixture(scope="module")
def bib_urls(bib) -> set[str]:
    return {f["url"] for f in bib.values() if "url" in f}


def test_parser_and_doi_finder_on_known_text():
    text = "@article{a2000,\n  author = {A, B.},\n  doi    = {10.1000/xyz.1}\n}\n@book{b2001,\n  url = {https://x.org/b}\n}\n"
    entries = parse_bib(text)
    assert entries == {
        "a2000": {"author": "A, B.", "doi": "10.1000/xyz.1", "type": "article"},
        "b2001": {"url": "https://x.org/b", "type": "book"},
    }
    with pytest.raises(ValueError, match="duplicate"):
        parse_bib(text + text)
    sentence = (
        "See https://doi.org/10.1037/0022-3514.45.3.587. Also (doi 10.1016/0167-2789(92)90102-S), and "
        "https://doi.org/10.1002/(SICI)1097-0193(1999)8:4<194::AID-HBM4>3.0.CO;2-C\n"
    )
    assert dois_in(sentence) == {
        "10.1037/0022-3514.45.3.587",
        "10.1016/0167-2789(92)90102-S",
        "10.1002/(SICI)1097-0193(1999)8:4<194::AID-HBM4>3.0.CO;2-C",
    }
    assert not WELL_FORMED_DOI.match("https://doi.org/10.1000/x")
    assert not WELL_FORMED_DOI.match("10.10/x")
    assert not WELL_FORMED_DOI.match("10.1000/x y")


def test_every_entry_has_a_well_formed_doi_or_a_url(bib):
    assert len(bib) >= 30, "the bibliography holds the project's references"
    for key, fields in bib.items():
        assert "doi" in fields or "url" in fields, f"{key}: needs doi = {{...}} or, where none exists, url"
        if "doi" in fields:
            assert WELL_FORMED_DOI.match(fields["doi"]), f"{key}: malformed DOI {fields['doi']!r}"
        if "url" in fields:
            assert fields["url"].startswith("https://"), f"{key}: url must be https"
        for name in ("author", "year", "title"):
            assert fields.get(name), f"{key}: missing {name}"


def test_no_doi_is_listed_twice(bib):
    dois = [f["doi"].lower() for f in bib.values() if "doi" in f]
    dupes = sorted({d for d in dois if dois.count(d) > 1})
    assert not dupes, f"DOIs in more than one entry: {dupes}"


@pytest.mark.parametrize("path", NOTEBOOKS + LESSON_FILES + DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_doi_cited_is_in_the_bibliography(path, bib_dois):
    text = _notebook_text(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    for doi in sorted(dois_in(text)):
        assert WELL_FORMED_DOI.match(doi), f"{path.name}: malformed DOI {doi!r}"
        assert doi.lower() in bib_dois, f"{path.name} cites DOI {doi} that is not in docs/references.bib"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_reference_list_entry_is_in_the_bibliography(path, bib_dois, bib_urls):
    refs = _references_section(_notebook_text(path))
    bullets = [b for b in re.split(r"\n(?=- )", refs.strip()) if b.startswith("- ")]
    assert bullets, f"{path.name}: no References list"
    for b in bullets:
        dois = dois_in(b)
        urls = set(_URL.findall(b))
        assert dois or urls, f"{path.name}: reference without DOI or URL: {b[:80]!r}"
        if dois:
            assert {d.lower() for d in dois} <= bib_dois, f"{path.name}: not in the bibliography: {b[:80]!r}"
        else:
            assert urls & bib_urls, f"{path.name}: URL reference not in the bibliography: {b[:80]!r}"


def test_a_missing_reference_is_caught(bib_dois):
    assert "10.9999/not-a-real-reference" not in bib_dois
    assert dois_in("Someone (2020). https://doi.org/10.9999/not-a-real-reference.") == {
        "10.9999/not-a-real-reference"
    }
