"""The detectors a run uses, from the user's options: one place for `analyze` and
`analyze-text` alike."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from narrascope.detect.base import Detector
from narrascope.detect.codebook import load_codebooks
from narrascope.detect.registry import create
from narrascope.detect.themes import DEFAULT_THRESHOLD
from narrascope.detect.themes import NAME as THEMES
from narrascope.embed import Encoder


def standard_detectors(
    encoder: Encoder, codebooks: Sequence[Path] = (), threshold: float = DEFAULT_THRESHOLD
) -> list[Detector]:
    found: list[Detector] = []
    if codebooks:
        book = load_codebooks(list(codebooks))
        found.append(create(THEMES, codebook=book, encoder=encoder, threshold=threshold))
    return found
