"""Survey definitions and responding."""
