"""The defined-class memberships computed by SPARQL rules, for graphs too large for HermiT to realise in time.

Each rule is the SPARQL reading of one owl:equivalentClass definition in ontology/gpkg.ttl; tests check that on the
real corpus the rules give exactly the memberships HermiT infers for these classes.
"""

from __future__ import annotations

from rdflib import Graph

from .namespaces import GP

PREFIXES = """PREFIX gp: <https://w3id.org/gpkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dtype: <https://w3id.org/gpkg/concept/decision-type/>
"""
ISA = "a/rdfs:subClassOf*"  # membership through the class hierarchy

DECISION_TYPES = {
    "ApplicationForArrestWarrant": "application-for-arrest-warrant", "ArrestWarrant": "arrest-warrant",
    "ConfirmationOfCharges": "confirmation-of-charges", "TrialJudgment": "trial-judgment",
    "SentencingJudgment": "sentencing-judgment", "AppealJudgment": "appeal-judgment",
    "ReparationsOrder": "reparations-order", "MeritsJudgment": "merits-judgment",
    "QuasiJudicialDecision": "quasi-judicial-decision", "PreliminaryRuling": "preliminary-ruling",
    "DomesticVerdict": "domestic-verdict", "AsylumDecision": "asylum-decision", "CaseOpeningOrder": "case-opening-order",
}

RULES = {
    "GenderPersecutionCharge": f"""?x {ISA} gp:Charge ; gp:crime/{ISA} gp:PersecutionCrime ;
                                      gp:chargedGround/{ISA} gp:GenderGround .""",
    "IntersectionalCharge": f"""?x {ISA} gp:Charge ; gp:crime/{ISA} gp:PersecutionCrime ;
                                   gp:chargedGround ?g1 , ?g2 . ?g1 {ISA} gp:Ground . ?g2 {ISA} gp:Ground .
                                FILTER (?g1 != ?g2)""",
    "GenderPersecutionConviction": f"""?x {ISA} gp:ChargeDisposition ; gp:outcome/{ISA} gp:ConvictionOutcome ;
                                          gp:establishedGround/{ISA} gp:GenderGround ;
                                          gp:ofCharge/gp:crime/{ISA} gp:PersecutionCrime .""",
    "GenderPersecutionFinding": f"""?x {ISA} gp:Finding ; gp:crime/{ISA} gp:PersecutionCrime ;
                                       gp:ground/{ISA} gp:GenderGround .""",
    **{cls: f"?x {ISA} gp:LegalDocument ; gp:decisionType dtype:{concept} ." for cls, concept in DECISION_TYPES.items()},
}
DEFINED_CLASSES = {GP[name] for name in RULES}


def rule_queries() -> dict[str, str]:
    return {name: f"{PREFIXES}CONSTRUCT {{ ?x a gp:{name} }} WHERE {{ {body} }}" for name, body in RULES.items()}


def apply_rules(query) -> Graph:
    """Memberships of the defined classes, from `query(sparql)` returning rdflib-iterable triples."""
    inferred = Graph()
    for sparql in rule_queries().values():
        for triple in query(sparql):
            inferred.add(triple)
    return inferred
