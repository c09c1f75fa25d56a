"""`gpkg stats`: what the graph holds, counted with SPARQL on the store."""

from __future__ import annotations

from .prefixes import SPARQL_PROLOGUE as PREFIXES
from .store import Store

BREAKDOWNS = {
    "decisions by level": """SELECT ?key (COUNT(DISTINCT ?d) AS ?n) WHERE {
        ?d a gp:Decision ; gp:court/gp:level/skos:prefLabel ?key . FILTER(lang(?key) = "en") } GROUP BY ?key ORDER BY ?key""",
    "decisions by court": """SELECT ?key (COUNT(DISTINCT ?d) AS ?n) WHERE {
        ?d a gp:Decision ; gp:court/rdfs:label ?key . FILTER(lang(?key) = "en") } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "decisions by type": """SELECT ?key (COUNT(DISTINCT ?d) AS ?n) WHERE {
        ?d a gp:Decision ; gp:decisionType/skos:prefLabel ?key . FILTER(lang(?key) = "en") } GROUP BY ?key ORDER BY DESC(?n) ?key""",
}

TOTALS = {
    "decisions": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gp:Decision }",
    "cases": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gp:Case }",
    "courts": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gp:Court }",
    "charges (counts)": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gp:Charge }",
    "gender persecution charges": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gp:GenderPersecutionCharge }",
    "dispositions": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c . VALUES ?c { gp:ChargeDisposition gp:ProvisionDisposition } }",
    "findings": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gp:Finding }",
    "citations": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gp:Citation }",
    "sources": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gp:Source }",
    "facts marked uncertain": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x gp:uncertain true }",
    "conflicts between sources noted": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x gp:conflictNote ?note }",
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}


def collect(store: Store) -> dict:
    totals = {name: int(next(iter(store.query(PREFIXES + q)))["n"].value) for name, q in TOTALS.items()}
    breakdowns = {name: [(row["key"].value, int(row["n"].value)) for row in store.query(PREFIXES + q)]
                  for name, q in BREAKDOWNS.items()}
    return {"totals": totals, "breakdowns": breakdowns}


def format_stats(stats: dict) -> str:
    width = max(len(k) for k in stats["totals"])
    lines = [f"{name.ljust(width)}  {value}" for name, value in stats["totals"].items()]
    for name, rows in stats["breakdowns"].items():
        lines += ["", f"{name}:"] + [f"  {key}: {n}" for key, n in rows]
    return "\n".join(lines)
