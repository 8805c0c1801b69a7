"""Durability: a real server under load, killed, cut off from its database,
restarted; nothing a resident was told was received may be lost or stored twice.
Marked `durability` (long; CI runs them bounded)."""
