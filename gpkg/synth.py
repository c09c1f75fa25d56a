"""`gpkg synth`: a synthetic corpus with the shape of the real one, for measuring build and query speed at scale.

It writes a complete knowledge root (the real ontology, shapes, queries and reference data, plus generated case
files) that passes the shapes. The mix of levels, decision types per case, counts and grounds per decision,
findings, sources and citations follows the real corpus. Same seed, same output. Everything generated is marked as
synthetic in its IRIs (gpr:synth-...) and labels; it is never mixed into data/.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from .knowledge import Knowledge
from .namespaces import CONCEPT, GP

LEVEL_MIX = [("international", 0.40), ("regional", 0.26), ("domestic", 0.34)]
STAGES = {  # decision types of a case, in order, by level
    "international": ["arrest-warrant", "confirmation-of-charges", "trial-judgment", "sentencing-judgment", "appeal-judgment"],
    "regional": ["merits-judgment"],
    "domestic": ["domestic-verdict", "appeal-judgment"],
}
OUTCOMES = {"arrest-warrant": ["warrant-issued"], "confirmation-of-charges": ["confirmed", "confirmed", "declined"],
            "trial-judgment": ["convicted", "convicted", "acquitted"], "domestic-verdict": ["convicted", "acquitted"],
            "appeal-judgment": ["upheld", "upheld", "reversed"]}
HEADER = """@prefix gp: <https://w3id.org/gpkg/ontology#> .
@prefix gpr: <https://w3id.org/gpkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix cito: <http://purl.org/spar/cito/> .
"""


def _concepts(graph: Graph, scheme: str) -> list[str]:
    return sorted(str(c) for c in graph.subjects(SKOS.inScheme, URIRef(CONCEPT + scheme)))


def synthesise(decisions: int, seed: int, out: Path, source: Knowledge) -> dict:
    """Write a knowledge root with about `decisions` synthetic decisions; return counts."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for part in ("ontology", "shapes", "queries"):
        shutil.copytree(source.root / part, out / part)
    shutil.copytree(source.root / "data" / "reference", out / "data" / "reference")
    cases_dir = out / "data" / "cases"
    cases_dir.mkdir(parents=True)
    reference = Graph()
    for f in [*sorted((source.root / "ontology").rglob("*.ttl")), *sorted((source.root / "data" / "reference").glob("*.ttl"))]:
        reference.parse(f)
    courts = {level: sorted(str(c) for c in reference.subjects(GP.level, URIRef(f"{CONCEPT}level/{level}"))
                            if (c, RDF.type, GP.Court) in reference) for level, _ in LEVEL_MIX}
    grounds, rights = _concepts(reference, "ground"), _concepts(reference, "right")
    mechanisms, groups = _concepts(reference, "mechanism"), _concepts(reference, "victim-group")
    countries = _concepts(reference, "country")
    crimes = [c for c in _concepts(reference, "crime") if "/cah-" in c or "/wc-" in c]
    persecution = CONCEPT + "crime/cah-persecution"
    gender = CONCEPT + "ground/gender"
    provisions = sorted(str(p) for p in reference.subjects(RDF.type, GP.LegalProvision))
    made, case_no, earlier = 0, 0, []
    while made < decisions:
        case_no += 1
        level = rng.choices([l for l, _ in LEVEL_MIX], [w for _, w in LEVEL_MIX])[0]
        stages = STAGES[level][: rng.randint(1, len(STAGES[level]))]
        text, made_here = _case(rng, case_no, level, stages, rng.choice(courts[level]), grounds, rights, mechanisms,
                                groups, countries, crimes, persecution, gender, provisions, earlier)
        (cases_dir / f"synth-{case_no:06d}.ttl").write_text(text, encoding="utf-8")
        made += made_here
    return {"cases": case_no, "decisions": made}


def _case(rng, n, level, stages, court, grounds, rights, mechanisms, groups, countries, crimes, persecution, gender,
          provisions, earlier) -> tuple[str, int]:
    case = f"gpr:synth-{n:06d}"
    source = f"gpr:synth-{n:06d}-source"
    sourced = f'prov:qualifiedDerivation [ prov:entity {source} ; gp:pinpoint "para. {rng.randint(1, 900)}" ]'
    out = [HEADER, f'{source} a gp:Source ; dcterms:title "Synthetic source {n}"@en ; '
                   f'gp:sourceKind <{CONCEPT}source-kind/secondary> ; gp:url "https://example.org/synthetic/{n}"^^xsd:anyURI .']
    out.append(f'{case} a gp:Case ; rdfs:label "Synthetic case {n}"@en ; dcterms:title "Synthetic v. Case {n}"@en ; '
               f'gp:country <{rng.choice(countries)}> .')
    group = f"gpr:synth-{n:06d}-group"
    out.append(f'{group} a gp:VictimGroup ; rdfs:label "Synthetic targeted group {n}"@en ; '
               f'gp:groupCategory <{rng.choice(groups)}> .')
    charges = []
    if level != "regional":
        for c in range(rng.randint(1, 6)):
            charge = f"gpr:synth-{n:06d}-count-{c + 1}"
            crime = persecution if c == 0 and rng.random() < 0.5 else rng.choice(crimes)
            charged = sorted(set(rng.sample(grounds, rng.randint(1, 3)) + ([gender] if rng.random() < 0.5 else []))) \
                if crime == persecution else []
            ground_text = "".join(f" gp:chargedGround <{g}> ;" for g in charged)
            out.append(f'{charge} a gp:Charge ; rdfs:label "Synthetic count {c + 1} of case {n}"@en ; gp:ofCase {case} ; '
                       f'gp:countNumber "{c + 1}" ; gp:crime <{crime}> ;{ground_text} {sourced} .')
            charges.append((charge, charged))
    year, previous = rng.randint(1995, 2020), None
    for i, stage in enumerate(stages):
        year += rng.randint(1, 2)  # later stages are always later
        decision = f"gpr:synth-{n:06d}-d{i + 1}"
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        reviews = f" gp:reviews {previous} ;" if stage == "appeal-judgment" else ""
        out.append(f'{decision} a gp:Decision ; rdfs:label "Synthetic {stage} {i + 1} of case {n}"@en ; '
                   f'gp:decisionType <{CONCEPT}decision-type/{stage}> ; gp:court <{court}> ; gp:ofCase {case} ;{reviews} '
                   f'dcterms:date "{date}"^^xsd:date ; dcterms:abstract "Synthetic decision for benchmarks."@en ; {sourced} .')
        for c, (charge, charged) in enumerate(charges):
            outcome = rng.choice(OUTCOMES.get(stage, ["pending"]))
            established = "".join(f" gp:establishedGround <{g}> ;" for g in charged if rng.random() < 0.7)
            out.append(f'{decision}-c{c + 1} a gp:ChargeDisposition ; rdfs:label "Synthetic disposition"@en ; '
                       f'gp:inDecision {decision} ; gp:ofCharge {charge} ; gp:outcome <{CONCEPT}outcome/{outcome}> ;'
                       f'{established} {sourced} .')
        if level == "regional":
            for a in range(rng.randint(1, 3)):
                out.append(f'{decision}-h{a + 1} a gp:ProvisionDisposition ; rdfs:label "Synthetic holding"@en ; '
                           f'gp:inDecision {decision} ; gp:provision <{rng.choice(provisions)}> ; '
                           f'gp:outcome <{CONCEPT}outcome/violation> ; {sourced} .')
        for f in range(rng.randint(1, 3)):
            scope = "state-responsible" if level == "regional" else rng.choice(["crime-occurred", "accused-responsible"])
            out.append(f'{decision}-f{f + 1} a gp:Finding ; rdfs:label "Synthetic finding"@en ; gp:inDecision {decision} ; '
                       f'gp:findingScope <{CONCEPT}finding-scope/{scope}> ; gp:deprivedRight <{rng.choice(rights)}> ; '
                       f'gp:mechanism <{rng.choice(mechanisms)}> ; gp:ground <{rng.choice(grounds)}> ; '
                       f'gp:targetedGroup {group} ; {sourced} .')
        if earlier and rng.random() < 0.15:
            cited = rng.choice(earlier)
            out.append(f'{decision}-cite a gp:Citation ; cito:hasCitingEntity {decision} ; cito:hasCitedEntity {cited} ; '
                       f'cito:hasCitationCharacterization cito:cites ; {sourced} .')
        previous = decision
        earlier.append(decision)
    return "\n".join(out) + "\n", len(stages)
