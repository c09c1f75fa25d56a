"""Every saved competency question runs on the built graph and answers with the real decisions."""

import pytest

from gpkg.queries import parse_saved_query, saved_queries

GPR = "https://w3id.org/gpkg/id/"


def rows(store, name, knowledge):
    query = next(q for q in saved_queries(knowledge) if q.name == name)
    return [{v.value: (sol[v.value].value if sol[v.value] is not None else None) for v in sols.variables}
            for sols in [store.query(query.text)] for sol in sols]


def test_every_saved_query_has_a_title_and_question(knowledge):
    queries = saved_queries(knowledge)
    assert len(queries) >= 7
    for q in queries:
        assert q.title and q.question.endswith("?"), q.name


@pytest.mark.parametrize("path", sorted(__import__("pathlib").Path(__file__).parent.parent.joinpath("queries").glob("*.rq")),
                         ids=lambda p: p.stem)
def test_saved_query_runs(path, store):
    result = store.query(parse_saved_query(path).text)
    assert list(result) is not None


def test_al_hassan_gender_persecution_attrition(store, knowledge):
    stages = [r for r in rows(store, "gender-persecution-charges-by-stage", knowledge)
              if r["charge"] == GPR + "icc-al-hassan-count-13"]
    by_decision = {r["decision"].removeprefix(GPR): r for r in stages}
    assert by_decision["icc-al-hassan-arrest-warrant"]["outcome"] == "warrant issued"
    assert by_decision["icc-al-hassan-confirmation"]["outcome"] == "confirmed"
    assert set(by_decision["icc-al-hassan-confirmation"]["groundsEstablished"].split(", ")) == {"religious", "gender"}
    trial = by_decision["icc-al-hassan-trial-judgment"]
    assert trial["outcome"] == "convicted"
    assert trial["groundsEstablished"] == "religious"
    assert trial["groundsNotEstablished"] == "gender"
    # stages come in procedural order
    assert [r["decision"].removeprefix(GPR) for r in stages] == [
        "icc-al-hassan-arrest-warrant", "icc-al-hassan-confirmation", "icc-al-hassan-trial-judgment"]


def test_gender_persecution_convictions(store, knowledge):
    convictions = {r["decision"].removeprefix(GPR): r for r in rows(store, "gender-persecution-convictions", knowledge)}
    assert "icc-abd-al-rahman-trial-judgment" in convictions
    assert set(convictions["icc-abd-al-rahman-trial-judgment"]["grounds"].split(", ")) == {"political", "ethnic", "gender"}
    assert convictions["icc-abd-al-rahman-trial-judgment"]["date"] == "2025-10-06"
    assert "icc-al-hassan-trial-judgment" not in convictions


def test_intersecting_grounds(store, knowledge):
    found = {(r["decision"].removeprefix(GPR), r["how"]): r["otherGrounds"]
             for r in rows(store, "intersecting-grounds", knowledge)}
    assert found[("icc-al-hassan-confirmation", "charged")] == "religious"
    assert set(found[("icc-abd-al-rahman-trial-judgment", "found")].split(", ")) == {"political", "ethnic"}


def test_deprivations_and_mechanisms_per_case(store, knowledge):
    rights = {(r["case"], r["right"]) for r in rows(store, "deprivations-per-case", knowledge)}
    assert ("Al Hassan (ICC)", "freedom of movement") in rights
    mechanisms = {(r["case"], r["mechanism"]) for r in rows(store, "mechanisms-per-case", knowledge)}
    assert ("Al Hassan (ICC)", "dress code") in mechanisms
    by_country = {(r["country"], r["mechanism"]) for r in rows(store, "mechanisms-by-country", knowledge)}
    assert ("Mali", "morality policing") in by_country


def test_decisions_by_level_year_and_court(store, knowledge):
    timeline = {(int(r["year"]), r["level"]): int(r["decisions"])
                for r in rows(store, "decisions-by-level-and-year", knowledge)}
    assert timeline[(2024, "international")] >= 2  # Al Hassan trial and sentencing judgments
    courts = {r["courtLabel"]: int(r["decisions"]) for r in rows(store, "decisions-per-court", knowledge)}
    assert courts["International Criminal Court"] >= 7
