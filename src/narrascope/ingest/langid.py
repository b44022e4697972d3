"""Offline language identification: script cues first, then py3langid's bundled model."""

from __future__ import annotations

import re
from typing import Any

UNDETERMINED = "und"
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_SAMPLE = 3000


class LanguageIdentifier:
    """Identifies the language of a text as an ISO 639-1 code, or "und" when it cannot tell.

    Not a module-level singleton: the model loads on first use of an instance.
    """

    def __init__(self) -> None:
        self._model: Any = None

    def _langid(self) -> Any:
        if self._model is None:
            from py3langid.langid import MODEL_FILE
            from py3langid.langid import LanguageIdentifier as _LangId

            self._model = _LangId.from_model_file(MODEL_FILE, norm_probs=True)
        return self._model

    def identify(self, text: str) -> str:
        sample = text[:_SAMPLE]
        letters = len(_LETTER.findall(sample))
        if letters < 3:
            return UNDETERMINED
        # Hangul, kana and Han are decisive scripts: counting them beats a character n-gram model
        # on short Korean, Japanese and Chinese texts that quote Latin names.
        if len(_HANGUL.findall(sample)) / letters > 0.2:
            return "ko"
        if len(_KANA.findall(sample)) / letters > 0.1:
            return "ja"
        if len(_HAN.findall(sample)) / letters > 0.3:
            return "zh"
        lang, _prob = self._langid().classify(sample)
        return str(lang)
