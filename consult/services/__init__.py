"""Queries and rules of the consult app; no HTTP here."""
