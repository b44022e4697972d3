from __future__ import annotations

import pytest

from narrascope.ingest.langid import UNDETERMINED, LanguageIdentifier

SAMPLES = {
    "en": "The ministry published its list of priority topics for state-funded films.",
    "ru": "Министерство опубликовало список приоритетных тем для государственного кино.",
    "uk": "Міністерство оприлюднило перелік пріоритетних тем для державного кіно.",
    "bg": "Министерството публикува списък с приоритетни теми за държавно финансирани филми.",
    "ko": "문화성은 국가가 지원하는 영화 제작의 우선 주제 목록을 발표하였다.",
    "zh": "文化部公布了国家资助电影制作的优先主题清单。",
}


@pytest.fixture(scope="module")
def langid() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize(("language", "text"), SAMPLES.items())
def test_identifies_monitored_languages(langid: LanguageIdentifier, language: str,
                                        text: str) -> None:
    assert langid.identify(text) == language


def test_korean_with_latin_names_is_korean(langid: LanguageIdentifier) -> None:
    assert langid.identify("KCNA 통신에 따르면 NATO와 USA는 새로운 훈련을 시작하였다.") == "ko"


@pytest.mark.parametrize("text", ["", "  ", "12 34", "!!"])
def test_too_little_text_is_undetermined(langid: LanguageIdentifier, text: str) -> None:
    assert langid.identify(text) == UNDETERMINED
