"""The corpus across levels: coverage, sources, and the competency questions answered on named real decisions."""

from gpkg.queries import saved_queries
from gpkg.stats import collect

GPR = "https://w3id.org/gpkg/id/"


def rows(store, knowledge, name):
    query = next(q for q in saved_queries(knowledge) if q.name == name)
    solutions = store.query(query.text)
    names = [v.value for v in solutions.variables]
    return [{n: (sol[n].value if sol[n] is not None else None) for n in names} for sol in solutions]


def short(iri):
    return iri.removeprefix(GPR)


def test_coverage_at_least_70_decisions_and_15_per_level(store):
    stats = collect(store)
    assert stats["totals"]["decisions"] >= 70
    levels = dict(stats["breakdowns"]["decisions by level"])
    assert all(levels[level] >= 15 for level in ("international", "regional", "domestic")), levels


def test_every_decision_has_an_http_source(store):
    unsourced = """PREFIX gp: <https://w3id.org/gpkg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?d WHERE { ?d a gp:Decision .
          FILTER NOT EXISTS { ?d prov:qualifiedDerivation/prov:entity/gp:url ?url . FILTER (STRSTARTS(STR(?url), "http")) } }"""
    assert list(store.query(unsourced)) == []


def test_attrition_of_the_afghanistan_and_kony_charges(store, knowledge):
    stages = {(short(r["charge"]), short(r["decision"])): r
              for r in rows(store, knowledge, "gender-persecution-charges-by-stage")}
    application = stages[("icc-akhundzada-cah-persecution", "icc-akhundzada-application")]
    warrant = stages[("icc-akhundzada-cah-persecution", "icc-akhundzada-arrest-warrant")]
    assert (application["outcome"], application["date"]) == ("applied for", "2025-01-23")
    assert (warrant["outcome"], warrant["date"]) == ("warrant issued", "2025-07-08")
    assert "gender" in warrant["groundsEstablished"]
    assert stages[("icc-haqqani-cah-persecution", "icc-haqqani-arrest-warrant")]["outcome"] == "warrant issued"
    assert stages[("icc-kony-cah-persecution", "icc-kony-confirmation")]["outcome"] == "confirmed"


def test_convictions_for_gender_persecution_at_two_levels(store, knowledge):
    convictions = {short(r["decision"]): r["level"] for r in rows(store, knowledge, "gender-persecution-convictions")}
    assert convictions["icc-abd-al-rahman-trial-judgment"] == "international"
    assert convictions["olg-duesseldorf-sarah-o-judgment"] == "domestic"


def test_ad_hoc_tribunals_never_charged_gender_persecution(store):
    ask = """PREFIX gp: <https://w3id.org/gpkg/ontology#> PREFIX gpr: <https://w3id.org/gpkg/id/>
        ASK { ?charge a gp:GenderPersecutionCharge ; gp:ofCase/^gp:ofCase/gp:court ?court .
              VALUES ?court { gpr:icty gpr:ictr gpr:scsl gpr:eccc } }"""
    assert not bool(store.query(ask))
    kvocka = """PREFIX gp: <https://w3id.org/gpkg/ontology#> PREFIX crime: <https://w3id.org/gpkg/concept/crime/>
        SELECT ?ground WHERE { ?c gp:ofCase <https://w3id.org/gpkg/id/icty-kvocka> ; gp:crime crime:cah-persecution ;
                                  gp:chargedGround ?ground }"""
    grounds = {sol["ground"].value.rsplit("/", 1)[-1] for sol in store.query(kvocka)}
    assert grounds and "gender" not in grounds


def test_rights_deprived_by_level(store, knowledge):
    found = {(r["right"], r["level"]): set(r["decisionIris"].split()) for r in rows(store, knowledge, "rights-by-level")}
    assert GPR + "icc-akhundzada-arrest-warrant" in found[("education", "international")]
    assert GPR + "cjeu-ah-fn-afghan-women-judgment" in found[("education", "regional")]
    assert GPR + "fra-cnda-afghan-women-2024-decision" in found[("education", "domestic")]
    assert GPR + "iacthr-atala-riffo-judgment" in found[("privacy and family life", "regional")]


def test_regional_holdings_per_article(store):
    opuz = """PREFIX gp: <https://w3id.org/gpkg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?article ?outcome WHERE { ?h a gp:ProvisionDisposition ; gp:inDecision <https://w3id.org/gpkg/id/ecthr-opuz-v-turkey-judgment> ;
            gp:provision ?article ; gp:outcome ?outcome }"""
    holdings = {(short(s["article"].value), s["outcome"].value.rsplit("/", 1)[-1]) for s in store.query(opuz)}
    assert {("echr-art-2", "violation"), ("echr-art-3", "violation"), ("echr-art-14", "violation")} <= holdings


def test_intersecting_grounds_across_levels(store, knowledge):
    found = {(short(r["decision"]), r["how"]): set(r["otherGrounds"].split(", "))
             for r in rows(store, knowledge, "intersecting-grounds")}
    assert found[("icc-abd-al-rahman-trial-judgment", "found")] == {"political", "ethnic"}
    assert "religious" in found[("olg-duesseldorf-sarah-o-judgment", "charged")]


def test_citations_across_levels(store, knowledge):
    cross = {(short(r["citing"]), short(r["cited"])): (r["citingLevel"], r["citedLevel"])
             for r in rows(store, knowledge, "cross-level-citations")}
    assert cross[("fra-cnda-afghan-women-2024-decision", "cjeu-ws-c-621-21-judgment")] == ("domestic", "regional")


def test_timeline_by_year_and_level(store, knowledge):
    timeline = {(int(r["year"]), r["level"]): int(r["decisions"])
                for r in rows(store, knowledge, "decisions-by-level-and-year")}
    assert timeline[(1998, "international")] >= 2  # Akayesu and Furundzija trial judgments
    assert timeline[(2009, "regional")] >= 2  # Opuz, Cotton Field
    assert timeline[(2016, "domestic")] >= 1  # Sepur Zarco


def test_mechanisms_by_country(store, knowledge):
    found = {(r["country"], r["mechanism"]) for r in rows(store, knowledge, "mechanisms-by-country")}
    assert ("Afghanistan", "exclusion from school or education") in found
    assert ("Guatemala", "sexual violence") in found
    assert ("Mali", "dress code") in found
