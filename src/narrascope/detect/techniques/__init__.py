"""Persuasion techniques: span tagger (SI) and technique classifier (TC)."""
