"""Signals of the scores domain, for other apps to react to without the domain importing them."""

from django.dispatch import Signal

# Sent when a score run has published its scores, with `run` (ScoreRun, status done).
run_finished = Signal()
