"""Shared pytest configuration: a bounded hypothesis profile so the suite stays quick on 2 cores."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "book", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "book"))
