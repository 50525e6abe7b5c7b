"""Adapters to other agencies' systems, each chosen by a setting.

`population_registry()` gives the configured `PopulationRegistry`
(POPULATION_REGISTRY_BACKEND, a dotted path to a class taking no arguments).
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .population import (
    DevelopmentPopulationRegistry,
    PersonRecord,
    PopulationRegistry,
    RegistryUnavailable,
)

__all__ = [
    "DevelopmentPopulationRegistry",
    "PersonRecord",
    "PopulationRegistry",
    "RegistryUnavailable",
    "population_registry",
]


def population_registry() -> PopulationRegistry:
    """The population registry the settings choose."""
    backend = import_string(settings.POPULATION_REGISTRY_BACKEND)
    registry = backend()
    if not isinstance(registry, PopulationRegistry):
        raise TypeError(
            f"{settings.POPULATION_REGISTRY_BACKEND} is not a PopulationRegistry"
        )
    return registry
