"""What the viewer's pages show, read from the store with SPARQL: labels, entity descriptions, decisions, the home
page figures, facets and search. Values are plain strings; templates escape them."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask import current_app, request

from .querying import select

GP = "https://w3id.org/gpkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PROPS = "rdfs:label|skos:prefLabel|dcterms:title"
HIDDEN = {"http://www.w3.org/ns/prov#qualifiedDerivation"}
ELEMENTS = [f"https://w3id.org/gpkg/id/eoc-7-1-h-{n}" for n in range(1, 7)]

IDENTIFIER_LINKS = {  # official pages for identifiers whose URL pattern the publisher documents
    GP + "hudocItemId": "https://hudoc.echr.coe.int/eng?i={}",
    GP + "celexNumber": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{}",
    GP + "ecli": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=ecli:{}",
}


def base_iri() -> str:
    return current_app.config["GPKG_SETTINGS"].base_iri


def doc_path(iri: str) -> str | None:
    """The local page of an IRI under the base (None for an external IRI)."""
    base = base_iri()
    if not iri.startswith(base):
        return None
    rest = iri[len(base):]
    if rest.startswith("ontology"):
        return "/ontology" + (("#" + rest.split("#", 1)[1]) if "#" in rest else "")
    return "/doc/" + rest


def best(values: list[tuple[str, str]]) -> str:
    """The value in the reader's language (Accept-Language), else English, else any."""
    if not values:
        return ""
    by_lang = {lang: value for value, lang in values}
    wanted = request.accept_languages.best_match([lang for lang in by_lang if lang]) if request else None
    for lang in (wanted, "en", ""):
        if lang in by_lang:
            return by_lang[lang]
    return values[0][0]


def labels_for(iris: set[str]) -> dict[str, str]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris if i.startswith(("http://", "https://")))
    if not values:
        return {}
    rows = select(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x {LABEL_PROPS} ?l }}")
    found: dict[str, list] = defaultdict(list)
    for row in rows:
        found[row["x"]].append((row["l"], row["l@lang"]))
    return {iri: best(v) for iri, v in found.items()}


def short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class Entity:
    iri: str
    label: str = ""
    types: list[tuple[str, str]] = field(default_factory=list)
    properties: list[dict] = field(default_factory=list)
    inverse: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)


def describe(iri: str) -> Entity | None:
    rows = select(f"SELECT ?p ?o ?kind WHERE {{ <{iri}> ?p ?o . BIND(IF(isIRI(?o), 'iri', IF(isBlank(?o), 'bnode', 'lit')) AS ?kind) }}")
    incoming = select(f"""SELECT ?p ?s WHERE {{ ?s ?p <{iri}> . FILTER(isIRI(?s)) }} LIMIT 2000""")
    if not rows and not incoming:
        return None
    entity = Entity(iri)
    iris = {r["o"] for r in rows if r["kind"] == "iri"} | {r["p"] for r in rows} | {r["p"] for r in incoming} \
        | {r["s"] for r in incoming} | {iri}
    labels = labels_for(iris)
    entity.label = labels.get(iri, short(iri))
    grouped: dict[str, list] = defaultdict(list)
    for r in rows:
        if r["p"] in HIDDEN or r["kind"] == "bnode":
            continue
        if r["p"] == RDF_TYPE:
            entity.types.append((r["o"], labels.get(r["o"], short(r["o"]))))
            continue
        value = {"text": r["o"], "lang": r.get("o@lang", "")}
        if r["kind"] == "iri":
            value.update(iri=r["o"], text=labels.get(r["o"], short(r["o"])), href=doc_path(r["o"]) or r["o"])
        elif r["p"] in IDENTIFIER_LINKS:
            value.update(href=IDENTIFIER_LINKS[r["p"]].format(r["o"]))
        elif r["p"] == GP + "legalToolsPurl" or r["p"] == GP + "url":
            value.update(href=r["o"])
        grouped[r["p"]].append(value)
    entity.properties = sorted(({"iri": p, "label": labels.get(p, short(p)), "entries": v} for p, v in grouped.items()),
                               key=lambda x: x["label"].lower())
    inverse: dict[str, list] = defaultdict(list)
    for r in incoming:
        inverse[r["p"]].append({"iri": r["s"], "text": labels.get(r["s"], short(r["s"])), "href": doc_path(r["s"]) or r["s"]})
    entity.inverse = sorted(({"label": labels.get(p, short(p)), "count": len(v), "entries": v[:50]}
                             for p, v in inverse.items()), key=lambda x: -x["count"])
    entity.sources = [dict(r) for r in select(f"""SELECT ?title ?url ?pin ?kind WHERE {{
        <{iri}> prov:qualifiedDerivation ?d . ?d prov:entity ?src . ?src gp:url ?url .
        OPTIONAL {{ ?src dcterms:title ?title }} OPTIONAL {{ ?d gp:pinpoint ?pin }}
        OPTIONAL {{ ?src gp:sourceKind/skos:prefLabel ?kind FILTER(lang(?kind) = "en") }} }} ORDER BY ?title""")]
    return entity


def decision_details(iri: str) -> dict | None:
    found = select(f"SELECT ?c WHERE {{ <{iri}> a gp:Decision ; gp:ofCase ?c }} LIMIT 1")
    if not found:
        return None
    case = found[0]["c"]
    decisions = select(f"""SELECT ?d ?date ?type WHERE {{ ?d gp:ofCase <{case}> ; dcterms:date ?date ;
        gp:decisionType/skos:prefLabel ?type FILTER(lang(?type) = "en") }} ORDER BY ?date""")
    dispositions = select(f"""SELECT ?charge ?d ?outcome ?est ?unest WHERE {{
        ?charge gp:ofCase <{case}> . ?disp gp:ofCharge ?charge ; gp:inDecision ?d ; gp:outcome/skos:prefLabel ?outcome .
        FILTER(lang(?outcome) = "en")
        OPTIONAL {{ ?disp gp:establishedGround/skos:prefLabel ?est FILTER(lang(?est) = "en") }}
        OPTIONAL {{ ?disp gp:unestablishedGround/skos:prefLabel ?unest FILTER(lang(?unest) = "en") }} }}""")
    charges = select(f"""SELECT ?charge ?crime (GROUP_CONCAT(DISTINCT ?g; separator=", ") AS ?grounds) WHERE {{
        ?charge gp:ofCase <{case}> ; gp:crime/skos:prefLabel ?crime FILTER(lang(?crime) = "en")
        OPTIONAL {{ ?charge gp:chargedGround/skos:prefLabel ?g FILTER(lang(?g) = "en") }} }}
        GROUP BY ?charge ?crime ORDER BY ?charge""")
    cells: dict[tuple, dict] = {}
    for r in dispositions:
        cell = cells.setdefault((r["charge"], r["d"]), {"outcome": r["outcome"], "est": set(), "unest": set()})
        if r.get("est"):
            cell["est"].add(r["est"])
        if r.get("unest"):
            cell["unest"].add(r["unest"])
    columns = [d for d in decisions if any(key[1] == d["d"] for key in cells)]
    labels = labels_for({c["charge"] for c in charges} | {d["d"] for d in decisions} | {case})
    table = [{"label": labels.get(c["charge"], short(c["charge"])), "crime": c["crime"], "grounds": c.get("grounds", ""),
              "href": doc_path(c["charge"]),
              "cells": [cells.get((c["charge"], d["d"])) for d in columns]} for c in charges]
    findings = select(f"""SELECT ?f ?scope ?what ?value WHERE {{ ?f gp:inDecision <{iri}> ; gp:findingScope/skos:prefLabel ?scope .
        FILTER(lang(?scope) = "en")
        OPTIONAL {{ VALUES ?p {{ gp:deprivedRight gp:mechanism gp:ground gp:crime }} ?f ?p ?v . ?v skos:prefLabel ?value .
                    FILTER(lang(?value) = "en") BIND(STRAFTER(STR(?p), "#") AS ?what) }} }}""")
    by_finding: dict[str, dict] = {}
    for r in findings:
        f = by_finding.setdefault(r["f"], {"scope": r["scope"], "deprivedRight": set(), "mechanism": set(), "ground": set(),
                                           "crime": set(), "href": doc_path(r["f"])})
        if r.get("what"):
            f[r["what"]].add(r["value"])
    groups = select(f"SELECT ?f ?g WHERE {{ ?f gp:inDecision <{iri}> ; gp:targetedGroup/rdfs:label ?g }}")
    for r in groups:
        by_finding[r["f"]].setdefault("groups", set()).add(r["g"])
    finding_labels = labels_for(set(by_finding))
    for f_iri, f in by_finding.items():
        f["label"] = finding_labels.get(f_iri, short(f_iri))
    addressed = {r["e"] for r in select(f"SELECT DISTINCT ?e WHERE {{ ?f gp:inDecision <{iri}> ; gp:addressesElement ?e }}")}
    element_labels = labels_for(set(ELEMENTS))
    checklist = [{"label": element_labels.get(e, short(e)), "addressed": e in addressed, "href": doc_path(e)}
                 for e in ELEMENTS] if addressed else []
    cites = select(f"""SELECT ?other ?kind ?dir WHERE {{
        {{ ?c cito:hasCitingEntity <{iri}> ; cito:hasCitedEntity ?other ; cito:hasCitationCharacterization ?kind BIND("cites" AS ?dir) }}
        UNION {{ ?c cito:hasCitedEntity <{iri}> ; cito:hasCitingEntity ?other ; cito:hasCitationCharacterization ?kind BIND("cited by" AS ?dir) }} }}""")
    cite_labels = labels_for({r["other"] for r in cites})
    return {
        "case": {"label": labels.get(case, short(case)), "href": doc_path(case)},
        "decisions": [{"label": labels.get(d["d"], short(d["d"])), "date": d["date"], "type": d["type"],
                       "href": doc_path(d["d"]), "current": d["d"] == iri} for d in decisions],
        "columns": [{"label": d["type"], "date": d["date"], "href": doc_path(d["d"]), "current": d["d"] == iri}
                    for d in columns],
        "charges": table,
        "findings": list(by_finding.values()),
        "checklist": checklist,
        "citations": [{"dir": r["dir"], "kind": short(r["kind"]), "label": cite_labels.get(r["other"], short(r["other"])),
                       "href": doc_path(r["other"])} for r in cites],
    }


def home_figures() -> dict:
    by_level = select("""SELECT ?level (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a gp:Decision ; gp:court/gp:level/skos:prefLabel ?level
        FILTER(lang(?level) = "en") } GROUP BY ?level ORDER BY ?level""")
    by_court = select("""SELECT ?court ?label (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a gp:Decision ; gp:court ?court .
        ?court rdfs:label ?label FILTER(lang(?label) = "en") } GROUP BY ?court ?label ORDER BY DESC(?n) ?label""")
    by_ground = select("""SELECT ?ground (COUNT(DISTINCT ?d) AS ?n) WHERE {
        { SELECT DISTINCT ?d ?g WHERE { { ?x gp:ofCharge/gp:chargedGround ?g ; gp:inDecision ?d }
                                        UNION { ?x gp:ground ?g ; gp:inDecision ?d } } }
        ?g skos:prefLabel ?ground FILTER(lang(?ground) = "en") } GROUP BY ?ground ORDER BY DESC(?n)""")
    timeline = select("""SELECT ?year ?level (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a gp:Decision ; dcterms:date ?date ;
        gp:court/gp:level/skos:prefLabel ?level FILTER(lang(?level) = "en") BIND(SUBSTR(STR(?date), 1, 4) AS ?year) }
        GROUP BY ?year ?level ORDER BY ?year""")
    stages = select("""SELECT ?charge ?outcome ?gender WHERE {
        ?charge a gp:GenderPersecutionCharge ; gp:ofCase/^gp:ofCase/gp:court <https://w3id.org/gpkg/id/icc> .
        OPTIONAL { ?disp gp:ofCharge ?charge ; gp:outcome ?o . BIND(STRAFTER(STR(?o), "outcome/") AS ?outcome)
                   OPTIONAL { ?disp gp:establishedGround ?eg . ?eg a gp:GenderGround } BIND(BOUND(?eg) AS ?gender) } }""")
    charged = {r["charge"] for r in stages}
    outcome = lambda name, gender=None: {r["charge"] for r in stages if r.get("outcome") == name  # noqa: E731
                                         and (gender is None or r.get("gender") == gender)}
    attrition = [("charged", len(charged)), ("warrant issued", len(outcome("warrant-issued"))),
                 ("confirmed", len(outcome("confirmed"))),
                 ("convicted on the gender ground", len(outcome("convicted", "true"))),
                 ("convicted, gender ground not established", len(outcome("convicted", "false"))),
                 ("acquitted", len(outcome("acquitted")))]
    years = sorted({r["year"] for r in timeline})
    levels = sorted({r["level"] for r in timeline})
    counts = {(r["year"], r["level"]): int(r["n"]) for r in timeline}
    return {"by_level": [(r["level"], int(r["n"])) for r in by_level],
            "by_court": [(r["label"], int(r["n"]), doc_path(r["court"])) for r in by_court],
            "by_ground": [(r["ground"], int(r["n"])) for r in by_ground],
            "timeline": {"years": years, "levels": levels, "counts": counts,
                         "max": max(Counter({y: sum(counts.get((y, l), 0) for l in levels) for y in years}).values(), default=1)},
            "attrition": attrition, "total": sum(int(r["n"]) for r in by_level)}


FACETS = {  # name: (label, SPARQL pattern binding ?v for decision ?d)
    "level": ("Level", "?d gp:court/gp:level ?v"),
    "court": ("Court", "?d gp:court ?v"),
    "country": ("Country", "?d gp:ofCase ?case . ?case gp:country|gp:respondentState|gp:situation/gp:country ?v"),
    "year": ("Year", "?d dcterms:date ?date BIND(SUBSTR(STR(?date), 1, 4) AS ?v)"),
    "type": ("Decision type", "?d gp:decisionType ?v"),
    "ground": ("Ground", "{ ?x gp:ofCharge/gp:chargedGround ?v ; gp:inDecision ?d } UNION { ?x gp:ground ?v ; gp:inDecision ?d }"),
    "right": ("Deprived right", "?x gp:inDecision ?d ; gp:deprivedRight ?v"),
    "mechanism": ("Mechanism", "?x gp:inDecision ?d ; gp:mechanism ?v"),
    "outcome": ("Outcome", "?x gp:inDecision ?d ; gp:outcome ?v"),
}


def browse(selected: dict[str, list[str]]) -> dict:
    """Decisions matching every selected facet (any of the values within one facet), with counts per value."""
    values: dict[str, dict[str, set[str]]] = {}
    for name, (_, pattern) in FACETS.items():
        rows = select(f"SELECT DISTINCT ?d ?v WHERE {{ ?d a gp:Decision . {pattern} }}")
        per_value: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            per_value[r["v"]].add(r["d"])
        values[name] = per_value
    all_decisions = {r["d"] for r in select("SELECT ?d WHERE { ?d a gp:Decision }")}

    def matching(excluding: str | None = None) -> set[str]:
        result = set(all_decisions)
        for name, chosen in selected.items():
            if name != excluding and chosen and name in values:
                result &= set().union(*(values[name].get(v, set()) for v in chosen))
        return result

    hits = matching()
    labels = labels_for({v for name in values for v in values[name] if v.startswith("http")} | hits)
    facets = []
    for name, (label, _) in FACETS.items():
        base = matching(excluding=name)
        entries = [{"value": v, "label": labels.get(v, v), "count": len(ds & base), "selected": v in selected.get(name, [])}
                   for v, ds in values[name].items()]
        entries = sorted((e for e in entries if e["count"] or e["selected"]), key=lambda e: (-e["count"], e["label"]))
        facets.append({"name": name, "label": label, "entries": entries})
    dates = {r["d"]: r["date"] for r in select("SELECT ?d ?date WHERE { ?d a gp:Decision ; dcterms:date ?date }")}
    decisions = sorted(({"label": labels.get(d, short(d)), "href": doc_path(d), "date": dates.get(d, "")} for d in hits),
                       key=lambda x: x["date"], reverse=True)
    return {"facets": facets, "decisions": decisions}


SEARCH_FIELDS = {"rdfs:label": ("label", 3), "dcterms:title": ("title", 3), "skos:prefLabel": ("label", 3),
                 "skos:altLabel": ("other name", 2), "dcterms:abstract": ("summary", 1),
                 "dcterms:description": ("description", 1)}


def search(text: str, limit: int = 50) -> list[dict]:
    words = [w.lower() for w in text.split() if w.strip()][:8]
    if not words:
        return []
    escaped = [w.replace("\\", "\\\\").replace('"', '\\"') for w in words]
    filters = " && ".join(f'CONTAINS(LCASE(STR(?text)), "{w}")' for w in escaped)
    props = " ".join(SEARCH_FIELDS)
    rows = select(f"""SELECT ?x ?p ?text WHERE {{ VALUES ?p {{ {props} }} ?x ?p ?text . FILTER(isIRI(?x) && {filters}) }}""",
                  limit=2000)
    scored: dict[str, dict] = {}
    for r in rows:
        prop = next(k for k in SEARCH_FIELDS if r["p"].endswith(k.split(":")[1]))
        field_name, weight = SEARCH_FIELDS[prop]
        entry = scored.setdefault(r["x"], {"iri": r["x"], "score": 0, "fields": {}})
        entry["score"] += weight * sum(r["text"].lower().count(w) for w in words)
        entry["fields"].setdefault(field_name, r["text"])
    ranked = sorted(scored.values(), key=lambda e: -e["score"])[:limit]
    labels = labels_for({e["iri"] for e in ranked})
    for e in ranked:
        e["label"] = labels.get(e["iri"], short(e["iri"]))
        e["href"] = doc_path(e["iri"]) or e["iri"]
        field_name, matched = next(iter(e["fields"].items()))
        e["field"], e["snippet"] = field_name, _snippet(matched, words[0])
    return ranked


def _snippet(text: str, word: str, width: int = 160) -> str:
    i = text.lower().find(word)
    start = max(0, i - width // 3)
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")
