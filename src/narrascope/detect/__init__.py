"""Detectors, registered by name and version."""

from narrascope.detect.base import AnalysisInput, Detector
from narrascope.detect.registry import available, create, register

__all__ = ["AnalysisInput", "Detector", "available", "create", "register"]
