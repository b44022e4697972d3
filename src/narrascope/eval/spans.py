"""A character span of an article, as the span tasks (PTC, ru_zen_prop) and the technique
detector exchange them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from narrascope.errors import NarrascopeError

# The 14 PTC classes, as in propaganda-techniques-names-semeval2020task11.txt.
PTC_TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)


@dataclass(frozen=True)
class Span:
    """A fragment of an article, optionally labelled with a technique."""

    article_id: str
    start: int  # inclusive
    end: int  # exclusive
    technique: str | None = None

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise NarrascopeError(
                f"article {self.article_id}: span [{self.start}, {self.end}) is invalid; offsets "
                "must satisfy 0 <= start < end (end is exclusive)"
            )


@dataclass(frozen=True)
class SpanCorpus:
    """One split of a span corpus: texts and gold labels."""

    articles: dict[str, str]  # article id -> text, read with newline="" so offsets match
    si: list[Span]  # gold spans without technique (SI), overlaps merged
    tc: list[Span]  # gold spans with technique (TC)
    techniques: tuple[str, ...]  # the label set of this corpus


def show(span: Span) -> str:
    label = f" {span.technique}" if span.technique else ""
    return f"{span.article_id}{label} [{span.start}, {span.end})"


def check_techniques(spans: Iterable[Span], allowed: Sequence[str], source: str) -> None:
    known = set(allowed)
    for span in spans:
        if span.technique not in known:
            raise NarrascopeError(f"{source}: span {show(span)} has technique "
                                  f"{span.technique!r}, which is not one of: {', '.join(allowed)}")
