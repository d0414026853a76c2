import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("stepgrad", deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
settings.load_profile("stepgrad")
