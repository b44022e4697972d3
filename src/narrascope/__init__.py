"""narrascope: what story is being told, how, by whom, and what is new."""

from narrascope.config import Settings
from narrascope.model import Document, Sentence, Source, ThemeMatch

__all__ = ["Document", "Sentence", "Settings", "Source", "ThemeMatch"]
__version__ = "0.1.0"
