"""Oversight (事中事后监管): detectors over the read models, the scans that record their flags, the jobs.

Imports projections (read models): like the deadline scheduler, the scans read
what the projections keep and act only through the market's commands.
"""
