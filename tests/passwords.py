"""Staff passwords hashed at a test's cost, in the test run and in its servers."""

from __future__ import annotations

# Piccolo's production cost is 600,000 PBKDF2 rounds, a third of a second or more
# per hash here; the suite creates users and signs in hundreds of times, and over
# a fifth of the integration tests' time went to hashing.
TEST_ROUNDS = 1_000


def cheap_password_hashing() -> None:
    """Hash staff passwords with TEST_ROUNDS rounds in this process.

    The scheme, salt and comparison stay the production ones; only the round count
    differs, and Piccolo keeps it in each hash, so a password hashed at either cost
    (by a `consult` child process, say) still signs in, and is hashed again at this
    cost when it does.
    """
    from piccolo.apps.user.tables import BaseUser

    BaseUser._pbkdf2_iteration_count = TEST_ROUNDS
