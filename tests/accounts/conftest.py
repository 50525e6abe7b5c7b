import uuid

import pytest


@pytest.fixture(autouse=True)
def _own_cache_keys(settings):
    """Rate-limit counters of one test never reach another (same backend, Redis in
    CI, under a key prefix of its own: clearing Redis would hit other users)."""
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for name, config in settings.CACHES.items()
    }
