"""Measuring narrascope: dataset readers, official scorers, `narrascope eval`."""
