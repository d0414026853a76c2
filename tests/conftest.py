import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

_QUIET = [HealthCheck.filter_too_much, HealthCheck.too_slow]
settings.register_profile("stepgrad", deadline=None, max_examples=60, suppress_health_check=_QUIET)
# CI explores the same examples on every run, so a run's result does not depend on luck.
settings.register_profile(
    "ci", parent=settings.get_profile("stepgrad"), derandomize=True, database=None
)
# HYPOTHESIS_PROFILE=stress for a long hunt before changing an op or the engine.
settings.register_profile("stress", parent=settings.get_profile("stepgrad"), max_examples=1500)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "stepgrad")
)
