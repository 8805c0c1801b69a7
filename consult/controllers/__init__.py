"""HTTP handlers of the consult app: parse, call a service, render."""
