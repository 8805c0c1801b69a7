"""Abuse without a CAPTCHA: suspicious submissions are stored but held for review.

Nothing here refuses a resident's answers except a flood. A submission that looks
automated or repeated is stored whole, with status "quarantined" and Response.flags
naming why; it counts nowhere (the tally, results and exports read complete
responses only) until a planner presses "Count it" on the survey's review page
(analysis/quarantine_pages), which makes it complete and adds it to the tally in
one transaction; "Keep out" leaves it stored and uncounted. The resident always
sees the ordinary thank-you page: a bot is never told it was caught.

Reasons (surveys.abuse.Flag), and the choices behind them:

- honeypot: a field no person fills (hidden from sight and from screen readers,
  out of the tab order, never autofilled) came back filled. Always checked.
- too_fast: sent sooner than 3 s per page shown after the respondent began (the
  start time is kept in their encrypted session, so it cannot be forged), or sent
  without ever beginning here. A draft resumed with a code is not timed.
- rate: more than 20 from one address in 10 minutes (not counted for a kiosk or a
  hosted session, whose people share one network), or more than 5 to one survey
  from one resident's session in an hour (not counted for a kiosk).
- repeat_browser: a second response to a survey from the same browser on the same
  day. The browser is a random id in the session the resident already has (no
  cookie of its own); a kiosk's id goes with each person it clears.
- repeat_address: the fourth and later response of a day to a survey from one
  address. Households answer together and many phones share one address on a mobile
  network, so a second from an address is no evidence on its own.
- Neither repeat is flagged for a kiosk (a shared tablet) or a hosted session (a
  youth club's Wi-Fi): one device and one address legitimately send many there.
- spike: more than CONSULT_SPIKE_PER_MINUTE (60) a minute to one survey, far above
  a busy session's rate (raise it before a consultation is in the news).
- duplicate_text: the response's free text, normalised (case, spaces, punctuation
  and digits), is that of another response to the survey within a day; texts
  shorter than 20 letters are never compared ("no", "more police").

Refused: more than 200 from one address in an hour answer 429 with Retry-After, and
the resident's page keeps their answers and says when to try again.

Addresses and browser ids are only ever hashed, with a key derived from the secret
key and the UTC date (consult.services.rate_limits), so yesterday's hashes cannot
be linked to today's; traces (SubmissionTrace) are deleted after 7 days, counters
after a day. No address, user agent or answer text is ever logged.

CONSULT_ABUSE_CHECKS=0 turns off everything but the honeypot, for load tests and
benchmarks that send thousands of responses from one address in seconds.
"""

from surveys.abuse._judge import (
    ADDRESS_REPEATS,
    FLOOD_PER_ADDRESS,
    PER_ADDRESS,
    PER_SESSION,
    TRACES_KEPT,
    Candidate,
    Verdict,
    forget_old_traces,
    judge,
    spike_limit,
)
from surveys.abuse._review import (
    HeldAnswer,
    HeldResponse,
    Review,
    held_count,
    keep_out,
    release,
    review,
)
from surveys.abuse._signals import (
    HONEYPOT_FIELD,
    KEPT_OUT,
    SECONDS_PER_PAGE,
    Flag,
    Signals,
    form_flags,
    join_flags,
    normalise_text,
    split_flags,
    text_digest,
)

__all__ = [
    "ADDRESS_REPEATS",
    "FLOOD_PER_ADDRESS",
    "HONEYPOT_FIELD",
    "KEPT_OUT",
    "PER_ADDRESS",
    "PER_SESSION",
    "SECONDS_PER_PAGE",
    "TRACES_KEPT",
    "Candidate",
    "Flag",
    "HeldAnswer",
    "HeldResponse",
    "Review",
    "Signals",
    "Verdict",
    "forget_old_traces",
    "form_flags",
    "held_count",
    "join_flags",
    "judge",
    "keep_out",
    "normalise_text",
    "release",
    "review",
    "spike_limit",
    "split_flags",
    "text_digest",
]
