"""Tracking over time: stories, first appearances, surges and convergence."""
