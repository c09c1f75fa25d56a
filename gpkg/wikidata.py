"""Candidate links from gpkg entities (decisions, cases, courts, accused) to Wikidata items, with their evidence.

`gpkg link wikidata` reads the entities from a built store, asks a Wikidata SPARQL endpoint a few batched questions
(VALUES blocks, never one request per entity) and writes:

- `wikidata-review.tsv`: every candidate, the evidence for it, and whether it was accepted or needs review;
- `wikidata.ttl`: the accepted links only, as `skos:exactMatch`, each with a comment giving its evidence.

Matching rules, strongest first:

1. identical identifier: a decision's `gp:ecli` equals the item's ECLI (wdt:P3570) -> accepted;
2. exact label: a gpkg label (decision: rdfs:label; case: rdfs:label, dcterms:title; court: rdfs:label,
   skos:altLabel; accused: rdfs:label) equals, ignoring case, an rdfs:label of an item that is an instance (wdt:P31,
   directly or through wdt:P279*) of legal case Q2334719 or court decision Q327000 (decisions and cases), court
   Q41487 (courts) or human Q5 (accused) -> a candidate for review only;
3. a label match is accepted only with a second, independent piece of evidence: an accused whose label matches a
   human item that is the defendant (wdt:P1591) of an item label-matched to a gpkg case naming that accused
   (gp:accused), and that case with it (each corroborates the other); nothing else is accepted on a label.

A candidate is never accepted when its entity would get two different accepted items, or its item two entities:
all of those go to review instead. Labels are looked up in a fixed set of languages (LANGUAGES, plus the gpkg
label's own) and in two spellings (as written and lower case), then compared ignoring case; a lookup for any
spelling in any language would need a scan of all Wikidata labels, which the public endpoint cannot afford.
"""

from __future__ import annotations

import json
import urllib.error
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from . import __version__
from .errors import GpkgError
from .namespaces import GP

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = f"gpkg/{__version__} (gpkg link wikidata; https://w3id.org/gpkg)"
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"

ECLI_PROPERTY = "P3570"  # European Case Law Identifier
DEFENDANT_PROPERTY = "P1591"
INSTANCE_OF = "P31"
LEGAL_CASE, COURT_DECISION, COURT, HUMAN = "Q2334719", "Q327000", "Q41487", "Q5"
CLASSES = {  # the classes an item must belong to for a label match, per kind of gpkg entity
    "decision": (COURT_DECISION, LEGAL_CASE),
    "case": (LEGAL_CASE, COURT_DECISION),
    "court": (COURT,),
    "accused": (HUMAN,),
}
KIND_CLASS = {"decision": "Decision", "case": "Case", "court": "Court", "accused": "Accused"}
LABEL_PROPERTIES = {
    "decision": ("label",),
    "case": ("label", "title"),
    "court": ("label", "altLabel"),
    "accused": ("label",),
}
LANGUAGES = ("en", "fr", "es", "de", "it", "nl", "pt", "mul")
BATCH = 4000  # literals per label request
TSV_COLUMNS = ("gpkg_iri", "gpkg_label", "kind", "wikidata_item", "item_label", "evidence", "decision")


@dataclass
class Entity:
    iri: str
    kind: str
    labels: list[tuple[str, str, str]] = field(default_factory=list)  # (property local name, text, language)
    ecli: set[str] = field(default_factory=set)

    @property
    def display(self) -> str:
        ranked = sorted(self.labels, key=lambda l: (l[0] != "label", l[2] != "en", l[1]))
        return ranked[0][1] if ranked else self.iri.rsplit("/", 1)[-1]


@dataclass
class Candidate:
    entity: Entity
    item: str  # full Wikidata entity IRI
    item_label: str = ""
    evidence: list[str] = field(default_factory=list)
    accepted: bool = False

    @property
    def qid(self) -> str:
        return self.item.removeprefix(WD)

    @property
    def decision(self) -> str:
        return "accepted" if self.accepted else "review"


@dataclass
class LinkResult:
    considered: int
    candidates: list[Candidate]
    requests: int
    files: list[Path]

    @property
    def accepted(self) -> list[Candidate]:
        return [c for c in self.candidates if c.accepted]


# ---------------------------------------------------------------- gpkg side

ENTITY_QUERY = """
PREFIX gp: <https://w3id.org/gpkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?e ?class ?p ?v WHERE {
  VALUES ?class { gp:Decision gp:Case gp:Court gp:Accused }
  ?e a ?class .
  OPTIONAL {
    VALUES ?p { rdfs:label dcterms:title skos:altLabel gp:ecli }
    ?e ?p ?v .
  }
}
"""

ACCUSED_QUERY = """
PREFIX gp: <https://w3id.org/gpkg/ontology#>
SELECT DISTINCT ?case ?accused WHERE { ?case a gp:Case ; gp:accused ?accused . ?accused a gp:Accused . }
"""


def read_entities(store) -> tuple[dict[str, Entity], dict[str, set[str]]]:
    """gpkg decisions, cases, courts and accused from a store, and each case's accused (case IRI -> accused IRIs)."""
    kinds = {str(GP[name]): kind for kind, name in KIND_CLASS.items()}
    entities: dict[str, Entity] = {}
    for row in store.query(ENTITY_QUERY):
        iri, kind = row["e"].value, kinds[row["class"].value]
        entity = entities.setdefault(iri, Entity(iri, kind))
        prop, value = row["p"], row["v"]
        if prop is None or value is None:
            continue
        local = prop.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if local == "ecli":
            entity.ecli.add(value.value.strip())
        elif local in LABEL_PROPERTIES[kind]:
            lang = getattr(value, "language", None) or ""
            if (local, value.value, lang) not in entity.labels:
                entity.labels.append((local, value.value, lang))
    accused: dict[str, set[str]] = defaultdict(set)
    for row in store.query(ACCUSED_QUERY):
        accused[row["case"].value].add(row["accused"].value)
    return entities, dict(accused)


# ---------------------------------------------------------------- Wikidata side

class Wikidata:
    """A SPARQL endpoint spoken to with SPARQLWrapper: POST, SPARQL JSON results, a User-Agent naming gpkg."""

    def __init__(self, endpoint: str = DEFAULT_ENDPOINT, timeout: float = 120.0):
        self.endpoint = endpoint
        self.timeout = timeout
        self.requests = 0

    def select(self, sparql: str) -> list[dict[str, dict]]:
        client = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setTimeout(int(self.timeout))
        client.setQuery(sparql)
        self.requests += 1
        try:
            body = client.query().response.read()
            return json.loads(body)["results"]["bindings"]
        except (SPARQLWrapperException, urllib.error.URLError, OSError) as exc:
            raise GpkgError(f"Wikidata endpoint {self.endpoint} unreachable or failed: {exc}") from exc
        except (ValueError, KeyError) as exc:
            raise GpkgError(f"Wikidata endpoint {self.endpoint} did not answer in SPARQL JSON: {exc}") from exc


def _literal(text: str, lang: str = "") -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
               .replace("\t", "\\t"))
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def find_candidates(entities: dict[str, Entity], case_accused: dict[str, set[str]],
                    wikidata: Wikidata) -> list[Candidate]:
    found: dict[tuple[str, str], Candidate] = {}

    def candidate(entity: Entity, item: str, label: str) -> Candidate:
        c = found.setdefault((entity.iri, item), Candidate(entity, item))
        if label and not c.item_label:
            c.item_label = label
        return c

    # 1. identifiers: ECLI = P3570
    by_ecli: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities.values():
        for ecli in entity.ecli:
            by_ecli[ecli].append(entity)
    if by_ecli:
        values = " ".join(_literal(e) for e in sorted(by_ecli))
        rows = wikidata.select(f"""
PREFIX wdt: <{WDT}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?item ?ecli (SAMPLE(?l) AS ?label) WHERE {{
  VALUES ?ecli {{ {values} }}
  ?item wdt:{ECLI_PROPERTY} ?ecli .
  OPTIONAL {{ ?item rdfs:label ?l . FILTER (LANGMATCHES(LANG(?l), "en") || LANG(?l) = "mul") }}
}} GROUP BY ?item ?ecli""")
        for row in rows:
            ecli = row["ecli"]["value"]
            for entity in by_ecli.get(ecli, ()):
                c = candidate(entity, row["item"]["value"], row.get("label", {}).get("value", ""))
                c.evidence.append(f"ECLI {ecli} = {ECLI_PROPERTY}")
                c.accepted = True

    # 2. exact labels (ignoring case) of items of the right class
    by_key: dict[str, list[tuple[Entity, str]]] = defaultdict(list)
    literals: set[str] = set()
    for entity in entities.values():
        for prop, text, lang in entity.labels:
            if not text.strip():
                continue
            by_key[_key(text)].append((entity, prop))
            for spelling in {text.strip(), text.strip().lower()}:
                for language in {*LANGUAGES, lang or "en"}:
                    literals.add(_literal(spelling, language))
    classes = " ".join(f"wd:{q}" for q in sorted({q for qs in CLASSES.values() for q in qs}))
    ordered = sorted(literals)
    for start in range(0, len(ordered), BATCH):
        values = "\n    ".join(ordered[start:start + BATCH])
        rows = wikidata.select(f"""
PREFIX wd: <{WD}>
PREFIX wdt: <{WDT}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?item ?label ?direct ?class WHERE {{
  VALUES ?label {{
    {values}
  }}
  ?item rdfs:label ?label .
  ?item wdt:{INSTANCE_OF} ?direct .
  VALUES ?class {{ {classes} }}
  ?direct wdt:P279* ?class .
}}""")
        for row in rows:
            label, lang = row["label"]["value"], row["label"].get("xml:lang", "")
            cls = row["class"]["value"].removeprefix(WD)
            direct = row["direct"]["value"].removeprefix(WD)
            via = f"P31 {cls}" if direct == cls else f"P31 {direct} (subclass of {cls})"
            for entity, prop in by_key.get(_key(label), ()):
                if cls not in CLASSES[entity.kind]:
                    continue
                c = candidate(entity, row["item"]["value"], label)
                prop_name = {"label": "rdfs:label", "title": "dcterms:title", "altLabel": "skos:altLabel"}[prop]
                evidence = f"label match ({prop_name} = \"{_one_line(label)}\"@{lang}); {via}"
                if not any(e.startswith(f"label match ({prop_name}") and e.endswith(via) for e in c.evidence):
                    c.evidence.append(evidence)

    # 3. second evidence for label matches: the defendant (P1591) of a matched case
    humans = {c.item for c in found.values() if c.entity.kind == "accused"}
    if humans:
        values = " ".join(f"<{h}>" for h in sorted(humans))
        rows = wikidata.select(f"""
PREFIX wdt: <{WDT}>
SELECT DISTINCT ?case ?defendant WHERE {{
  VALUES ?defendant {{ {values} }}
  ?case wdt:{DEFENDANT_PROPERTY} ?defendant .
}}""")
        defendants: dict[str, set[str]] = defaultdict(set)  # Wikidata case item -> defendant items
        for row in rows:
            defendants[row["case"]["value"]].add(row["defendant"]["value"])
        for case in [c for c in found.values() if c.entity.kind == "case"]:
            for accused_iri in sorted(case_accused.get(case.entity.iri, ())):
                for person in [c for (iri, _), c in found.items() if iri == accused_iri]:
                    if person.item not in defendants.get(case.item, ()):
                        continue
                    person.evidence.append(
                        f"defendant ({DEFENDANT_PROPERTY}) of {case.qid}, the match of gpkg case <{case.entity.iri}>")
                    case.evidence.append(
                        f"its defendant ({DEFENDANT_PROPERTY}) {person.qid} is the match of gpkg accused <{accused_iri}>")
                    person.accepted = case.accepted = True

    candidates = sorted(found.values(), key=lambda c: (c.entity.kind, c.entity.iri, c.item))
    _resolve_conflicts(candidates)
    return candidates


def _resolve_conflicts(candidates: list[Candidate]) -> None:
    """No entity gets two accepted items and no item two accepted entities: such links all go to review."""
    per_entity: dict[str, set[str]] = defaultdict(set)
    per_item: dict[str, set[str]] = defaultdict(set)
    for c in candidates:
        if c.accepted:
            per_entity[c.entity.iri].add(c.item)
            per_item[c.item].add(c.entity.iri)
    for c in candidates:
        if c.accepted and (len(per_entity[c.entity.iri]) > 1 or len(per_item[c.item]) > 1):
            c.accepted = False
            c.evidence.append("conflict: another accepted link shares this entity or item")


# ---------------------------------------------------------------- output

def write_review(candidates: list[Candidate], path: Path) -> Path:
    lines = ["\t".join(TSV_COLUMNS)]
    for c in candidates:
        cells = (c.entity.iri, c.entity.display, c.entity.kind, c.item, c.item_label, " | ".join(c.evidence),
                 c.decision)
        lines.append("\t".join(_one_line(cell) for cell in cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_accepted(candidates: list[Candidate], path: Path, endpoint: str, today: date | None = None) -> Path:
    today = today or date.today()
    lines = [
        f"# Links from gpkg entities to Wikidata items, generated by `gpkg link wikidata` on {today.isoformat()}",
        f"# from {endpoint}. Each link was accepted on the evidence in the comment above it; candidates that need",
        "# a curator's review are listed in wikidata-review.tsv and are not in this file. CC BY 4.0.",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "",
    ]
    for c in candidates:
        if c.accepted:
            lines.append(f"# {_one_line(c.entity.display)} = {c.qid} {_one_line(c.item_label)}: "
                         f"{_one_line(' | '.join(c.evidence))}")
            lines.append(f"<{c.entity.iri}> skos:exactMatch <{c.item}> .")
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def default_out_dir(root: Path | str | None = None) -> Path:
    from .knowledge import Knowledge

    return Knowledge.at(root).root / "data" / "links"


def link_wikidata(store, out_dir: Path | str | None = None, endpoint: str = DEFAULT_ENDPOINT,
                  today: date | None = None) -> LinkResult:
    """Find candidates for the store's entities at `endpoint`, write the review file and the accepted links."""
    out = Path(out_dir) if out_dir else default_out_dir()
    entities, case_accused = read_entities(store)
    wikidata = Wikidata(endpoint)
    candidates = find_candidates(entities, case_accused, wikidata)
    out.mkdir(parents=True, exist_ok=True)
    files = [write_review(candidates, out / "wikidata-review.tsv"),
             write_accepted(candidates, out / "wikidata.ttl", endpoint, today)]
    return LinkResult(len(entities), candidates, wikidata.requests, files)
