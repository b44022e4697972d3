"""The detector registry: `name.vN` -> factory. Built-in detectors register like any other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from narrascope.detect.base import Detector
from narrascope.errors import NarrascopeError

Factory = Callable[..., Detector]
_REGISTRY: dict[str, Factory] = {}


def register(name: str) -> Callable[[Factory], Factory]:
    """Register a detector factory under a versioned name such as ``themes.codebook.v1``."""

    def add(factory: Factory) -> Factory:
        if name in _REGISTRY:
            raise ValueError(f"detector {name!r} registered twice")
        _REGISTRY[name] = factory
        return factory

    return add


def _load_builtins() -> None:
    # Imported for their @register side effect, on demand rather than at package import.
    from narrascope.detect import (  # noqa: F401
        narrative_detector,
        role_detector,
        technique_spans,
        themes,
    )


def available() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


def create(name: str, **kwargs: Any) -> Detector:
    _load_builtins()
    if name not in _REGISTRY:
        raise NarrascopeError(f"no detector named {name!r}; available: {', '.join(available())}")
    return _REGISTRY[name](**kwargs)
