"""Trainers that learn the shipped model parameters from public annotated data."""
