"""Demonstration plans and data (`wpsmonitor demo`): fictitious, deterministic, idempotent."""
