"""Entity finding and resolution (issue #14): only named actors, whole names, one entity per
actor across forms and languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.detect.actors import ActorCatalog, load_actors, read_actors
from narrascope.detect.entities import EntityFinder, datelines, find_entities
from narrascope.errors import NarrascopeError
from narrascope.nlp.segment import split_sentences

ACTORS = """
[[actor]]
id = "dprk"
name = "North Korea"
kind = "country"
aliases = ["DPRK", "North Korea", "КНДР", "Северная Корея", "조선", "북한"]

[[actor]]
id = "kim-jong-un"
name = "Kim Jong Un"
kind = "person"
aliases = ["Kim Jong Un", "Ким Чен Ын", "김정은"]
titles = ["General Secretary", "генеральный секретарь", "총비서"]

[[actor]]
id = "kursk-region"
name = "Kursk region"
kind = "group"
aliases = ["Kursk region", "Курская область"]

[[actor]]
id = "who"
name = "World Health Organization"
kind = "organisation"
aliases = ["WHO", "World Health Organization", "ВОЗ", "Всемирная организация здравоохранения"]
"""


@pytest.fixture(scope="module")
def finder(tmp_path_factory: pytest.TempPathFactory) -> EntityFinder:
    path = tmp_path_factory.mktemp("actors") / "actors.toml"
    path.write_text(ACTORS, encoding="utf-8")
    return EntityFinder(ActorCatalog(load_actors([path], shipped=False)))


def _found(finder: EntityFinder, text: str, language: str) -> dict[str, tuple[str, list[str]]]:
    entities = finder.find(text, language, split_sentences(text, language))
    return {e.name: (e.kind, [text[s:t] for s, t in e.mentions]) for e in entities}


def test_english_names_not_title_case_phrases(finder: EntityFinder) -> None:
    text = ("Russian journalist Ivan Filipov said the document, titled Priority Tasks for State "
            "Financial Support for Film Production in 2026, was approved. The Workers' Party of "
            "Korea and the Ministry of Culture praised it. Filipov added more. Hurrah, they said.")
    found = _found(finder, text, "en")
    assert found["Ivan Filipov"] == ("person", ["Ivan Filipov", "Filipov"])
    assert found["Workers' Party of Korea"][0] == "organisation"
    assert found["Ministry of Culture"][0] == "organisation"
    for phrase in ("Priority Tasks", "Film Production", "State Financial Support", "Russian",
                   "Hurrah", "Workers", "Party of Korea"):
        assert not any(phrase == name for name in found), phrase


def test_datelines_places_and_glued_words(finder: EntityFinder) -> None:
    text = ("Pyongyang, December 24 (KCNA) -- A ceremony was held atKim Il SungSquare.\n"
            "The respected General Secretary ComradeKim Jong Unwas there. The General Secretary "
            "spoke of the DPRK.")
    assert datelines(text) == [(0, len("Pyongyang, December 24 (KCNA) --"))]
    found = _found(finder, text, "en")
    assert found["Kim Jong Un"] == ("person", ["Kim Jong Un", "General Secretary"])
    assert found["North Korea"] == ("country", ["DPRK"])
    assert not any("Sung" in name or "Pyongyang" in name or "KCNA" in name for name in found)


def test_russian_case_forms_join_their_actor(finder: EntityFinder) -> None:
    text = ("Войска освободили населённые пункты Курской области. Эксперты "
            "Всемирной организации здравоохранения и ВОЗ приехали. КНДР поддержала Москву.")
    found = _found(finder, text, "ru")
    assert found["Kursk region"][1] == ["Курской области"]
    assert found["World Health Organization"][1] == ["Всемирной организации здравоохранения",
                                                     "ВОЗ"]
    assert found["North Korea"][1] == ["КНДР"]


def test_russian_names_in_the_nominative(finder: EntityFinder) -> None:
    text = "Глава МИД Сергей Лавров встретился с Владимиром Зеленским. Лавров сказал это."
    found = _found(finder, text, "ru")
    people = {name: mentions for name, (kind, mentions) in found.items() if kind == "person"}
    assert "Сергей Лавров" in people and "Лавров" in people["Сергей Лавров"]
    assert "Владимир Зеленский" in people


def test_korean_actors_and_names(finder: EntityFinder) -> None:
    text = ("경애하는 김정은동지께서 리병철동지와 함께 조선인민군 부대를 찾으시였다. "
            "총비서께서는 기뻐하시였다.")
    found = _found(finder, text, "ko")
    assert found["Kim Jong Un"][1] == ["김정은", "총비서"]
    assert found["리병철"][0] == "person"


def test_without_language_models_the_actors_file_still_works(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(ACTORS, encoding="utf-8")
    plain = EntityFinder(ActorCatalog(load_actors([path], shipped=False)), use_ner=False)
    text = "КНДР и ВОЗ."
    assert {e.name for e in plain.find(text, "ru", split_sentences(text, "ru"))} == {
        "North Korea", "World Health Organization"}


def test_actors_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[actor]]\nid = "X Y"\nname = "x"\n', encoding="utf-8")
    with pytest.raises(NarrascopeError, match=r"bad\.toml.*id"):
        read_actors(bad)
    bad.write_text('[[actor]]\nid = "x"\nname = "x"\nkind = "planet"\n', encoding="utf-8")
    with pytest.raises(NarrascopeError, match="kind"):
        read_actors(bad)
    bad.write_text("[[actor\n", encoding="utf-8")
    with pytest.raises(NarrascopeError, match="not a valid TOML"):
        read_actors(bad)
    with pytest.raises(NarrascopeError, match="not found"):
        read_actors(tmp_path / "missing.toml")


def test_user_actors_extend_and_override_the_shipped_file(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text('[[actor]]\nid = "dprk"\nname = "DPR Korea"\nkind = "country"\n'
                    'aliases = ["Juche Korea"]\n\n[[actor]]\nid = "acme"\nname = "Acme Corp"\n'
                    'kind = "organisation"\naliases = ["Acme"]\n', encoding="utf-8")
    actors = {a.id: a for a in load_actors([mine])}
    assert actors["dprk"].name == "DPR Korea" and "Acme" in actors["acme"].aliases
    assert len(actors) > 100  # the shipped file is there too
    text = "Juche Korea thanked Acme for nothing."
    found = find_entities(text, "en", split_sentences(text),
                          EntityFinder(ActorCatalog(actors.values())))
    assert {(e.name, e.actor_id) for e in found} >= {("DPR Korea", "dprk"), ("Acme Corp", "acme")}


def test_shipped_actors_file_is_consistent() -> None:
    actors = load_actors()
    ids = [a.id for a in actors]
    assert len(ids) == len(set(ids))
    owner: dict[str, str] = {}
    for actor in actors:
        for alias in actor.aliases:
            assert owner.setdefault(alias, actor.id) == actor.id, alias
    by_id = {a.id: a for a in actors}
    assert {"КНДР", "조선", "DPRK"} <= set(by_id["dprk"].aliases) | set(
        a for actor in actors if actor.name == "North Korea" for a in actor.aliases)
