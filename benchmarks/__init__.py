"""Benchmarks of the model step and the ensemble runner against the plain alternatives.

Run all of them with `python -m benchmarks` (quick) or `python -m benchmarks --full`.
They print ratios against goals; they are not tests and assert nothing.
"""
