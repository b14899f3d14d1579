"""Reading categories, age bands, associations and degrees out of what people write."""
import pytest

from actions.answering.reader import Reader, fuzzy_find, length_window
from actions.knowledge.names import age_band_of


@pytest.fixture(scope="module")
def reader(knowledge):
    return Reader(knowledge)


def entity(label, value):
    return {"entity": label, "value": value}


def test_entities_become_codes_in_order(reader):
    mention = reader.read("IFS vs IMHS", [entity("category", "IFS"), entity("category", "IMHS")], None)
    assert mention.categories == ["IFS", "IMHS"]


def test_band_neutral_names_follow_the_age_band(reader):
    assert reader.read("and the mentor?", [entity("category", "mentor")], None).categories == ["IMHM"]
    assert reader.read("and the mentor?", [entity("category", "mentor")], "early_childhood").categories == ["ECMHM"]
    mention = reader.read("early childhood mentor", [entity("age_band", "early childhood"),
                                                      entity("category", "mentor")], "infant")
    assert mention.categories == ["ECMHM"] and mention.age_band == "early_childhood"


def test_misspelled_names_are_still_found(reader):
    assert reader.read("what does an infant famly specialist need", [], None).categories == ["IFS"]
    assert reader.read("early chilhood mental health specialist exam?", [], None).categories == ["ECMHS"]


def test_a_misspelled_full_name_wins_over_its_band_neutral_part(reader):
    mention = reader.read("early chilhood mental health specialist exam?",
                          [entity("category", "mental health specialist")], None)
    assert mention.categories == ["ECMHS"]
    assert reader.read("and the mentor?", [entity("category", "mentor")], None).categories == ["IMHM"]


def test_plain_words_are_not_taken_for_categories(reader):
    assert reader.read("how long does the application take", [], None).categories == []


def test_regions_and_associations(reader):
    mention = reader.read("fees in arizona", [entity("region", "arizona")], None)
    assert mention.region == "Arizona" and mention.associations == ["ITMHCA"]
    assert reader.read("how much is it in michigan", [], None).associations == ["MI-AIMH"]
    assert reader.read("what does it cost in new yrok", [], None).associations == ["NYS-AIMH"]
    montana = reader.read("is there an association in montana", [entity("region", "montana")], None)
    assert montana.region == "Montana" and montana.associations == []
    assert reader.read("is MI-AIMH open to me", [entity("association", "MI-AIMH")], None).associations == [
        "MI-AIMH"]


def test_degrees(reader):
    assert reader.read("I have an MSW", [entity("degree", "MSW")], None).degrees == ["MSW"]


def test_age_band_words():
    assert age_band_of("preschoolers") == "early_childhood"
    assert age_band_of("toddlers") == "infant"
    assert age_band_of("weather") is None


def test_fuzzy_find_is_quick_enough_on_long_messages():
    text = "word " * 3000 + "infant family specialst"
    assert fuzzy_find(text, ["infant family specialist"]) == ["infant family specialist"]


def test_topic_words_close_to_band_neutral_names_are_not_categories(reader):
    assert reader.read("how many hours of reflective supervision do i need", [], None).categories == []


def test_a_name_at_the_end_of_a_very_long_message_is_found(reader):
    story = "I have worked with families for a long time and I love it. " * 300
    assert reader.read(story + "What does the infant famly specialist need?", [], None).categories == ["IFS"]


def test_the_age_band_of_a_whole_message(reader):
    assert reader.read("I do home visits with new moms and their babies", [], None).age_band == "infant"
    assert reader.read("i have 3-5 years of experience", [], None).age_band is None
    assert reader.read("I teach pre-k", [], None).age_band == "early_childhood"


@pytest.mark.parametrize("cutoff", [0.7, 0.84, 0.88])
def test_names_outside_the_length_window_could_never_match(cutoff):
    """fuzzy_find compares a phrase only with names of a length inside length_window: every pair difflib finds as
    similar as the cutoff is inside it."""
    import difflib
    import random

    rng = random.Random(3)
    words = ["infant", "family", "specialist", "mentor", "early", "childhood", "mental", "health", "reflective",
             "supervisor", "clinical", "policy", "texas", "michigan", "virginia", "chilhood", "specalist", "a", "of"]
    phrases = [" ".join(rng.choices(words, k=rng.randint(1, 4))) for _ in range(150)]
    close = 0
    for phrase in phrases:
        for other in phrases:
            if difflib.SequenceMatcher(None, phrase, other).ratio() >= cutoff:
                close += 1
                low, high = length_window(len(phrase), cutoff)
                assert low <= len(other) <= high, (phrase, other)
    assert close > len(phrases)
