"""How hard a text is to read, in the languages it can be measured in (pure code)."""
