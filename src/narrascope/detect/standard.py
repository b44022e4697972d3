"""The detectors a run uses, from the user's options: one place for `analyze` and
`analyze-text` alike."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from narrascope.detect.base import Detector
from narrascope.detect.codebook import load_codebooks
from narrascope.detect.narrative_detector import NAME as NARRATIVES
from narrascope.detect.narrative_detector import narratives_available
from narrascope.detect.registry import create
from narrascope.detect.role_detector import NAME as ROLES
from narrascope.detect.role_detector import roles_available
from narrascope.detect.technique_spans import NAME as TECHNIQUES
from narrascope.detect.technique_spans import techniques_available
from narrascope.detect.themes import DEFAULT_THRESHOLD
from narrascope.detect.themes import NAME as THEMES
from narrascope.embed import Encoder


def standard_detectors(
    encoder: Encoder,
    codebooks: Sequence[Path] = (),
    threshold: float = DEFAULT_THRESHOLD,
    *,
    techniques: bool = True,
    actors: Sequence[Path] = (),
) -> list[Detector]:
    """The shipped detectors (persuasion techniques, narratives, entity roles: each when its
    model is present) and the codebook themes, when a codebook is given; `actors` files add to
    the shipped actors file."""
    found: list[Detector] = []
    if techniques and techniques_available():
        found.append(create(TECHNIQUES, encoder=encoder))
    if narratives_available():
        found.append(create(NARRATIVES, encoder=encoder))
    if roles_available():
        found.append(create(ROLES, encoder=encoder, actors=actors))
    if codebooks:
        book = load_codebooks(list(codebooks))
        found.append(create(THEMES, codebook=book, encoder=encoder, threshold=threshold))
    return found
