"""SQL fragments the text pages share. Fixed text only: every value is bound."""

# Only answers of complete responses count: a withdrawn or quarantined response
# is not evidence.
COMPLETE = (
    "JOIN answer a ON a.id = ta.answer"
    " JOIN response r ON r.id = a.response AND r.status = 'complete'"
)
# Codes that say an answer has a theme: suggested by the coder or confirmed.
HAS_THEME = "c.source IN ('auto', 'confirmed')"
