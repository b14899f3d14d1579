"""The project-built spaCy pipeline: entities generated from the knowledge base, amounts, lemmas."""
import pytest


@pytest.fixture(scope="module")
def nlp(project_nlp):
    return project_nlp


def entities(nlp, text):
    return [(ent.text, ent.label_, ent.ent_id_) for ent in nlp(text).ents]


@pytest.mark.parametrize("text, expected", [
    ("what do I need for the Infant Family Specialist?", [("Infant Family Specialist", "category", "IFS")]),
    ("rs/c hours for IMHS", [("IMHS", "category", "IMHS")]),
    ("is level 3 the same as imhs?", [("level 3", "category", "IMHS"), ("imhs", "category", "IMHS")]),
    ("exam for the ECMHM-C", [("ECMHM-C", "category", "ECMHM-C")]),
    ("and for the mentor?", [("mentor", "category", "IMHM")]),
    ("I have an MSW and I'm an LCSW", [("MSW", "degree", "MSW"), ("LCSW", "degree", "LCSW")]),
    ("I have a BA in psych", [("BA", "degree", "BA")]),
    ("I live in Michigan", [("Michigan", "region", "MI")]),
    ("fees in AZ?", [("AZ", "region", "AZ")]),
    ("is MI-AIMH the right place?", [("MI-AIMH", "association", "MI-AIMH")]),
])
def test_knowledge_entities(nlp, text, expected):
    assert entities(nlp, text) == expected


@pytest.mark.parametrize("text, label", [
    ("I have 30 hrs of training", "hours"), ("about twenty hours of rs/c", "hours"), ("40hrs so far", "hours"),
    ("two years as a home visitor", "duration"), ("1.5 years", "duration"), ("18 months", "duration"),
    ("a year of work", "duration"), ("two and a half years", "duration"),
])
def test_amounts(nlp, text, label):
    assert [ent.label_ for ent in nlp(text).ents] == [label]


def test_age_bands(nlp):
    assert [(e.text, e.label_) for e in nlp("and the early childhood version?").ents] == [
        ("early childhood", "age_band")]
    assert [e.label_ for e in nlp("I work with preschoolers").ents] == ["age_band"]


def test_ordinary_words_are_not_entities(nlp):
    assert entities(nlp, "do you know what time it is? ok, me too, or not") == []


def test_lemmas_come_from_the_lookup_table(nlp):
    assert [token.lemma_ for token in nlp("requirements hours supervisors")] == ["requirement", "hour", "supervisor"]
