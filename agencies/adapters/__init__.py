"""Adapters to other agencies' systems, each chosen by a setting.

Every function below makes the configured implementation (a dotted path to a
class taking no arguments), at call time, never at import:

| function | setting | interface |
|---|---|---|
| `population_registry()` | POPULATION_REGISTRY_BACKEND | `PopulationRegistry` |
| `civil_status_registry()` | CIVIL_STATUS_REGISTRY_BACKEND | `CivilStatusRegistry` |
| `residence_system()` | RESIDENCE_SYSTEM_BACKEND | `ResidenceSystem` |
| `social_insurance()` | SOCIAL_INSURANCE_BACKEND | `SocialInsurance` |
| `social_affairs()` | SOCIAL_AFFAIRS_BACKEND | `SocialAffairs` |
"""

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from .base import AgencyRefused, AgencyUnavailable
from .civil_status import CivilStatusRegistry, DevelopmentCivilStatusRegistry
from .population import (
    DevelopmentPopulationRegistry,
    PersonRecord,
    PopulationRegistry,
    RegistryUnavailable,
)
from .residence import DevelopmentResidenceSystem, ResidenceSystem
from .social_affairs import DevelopmentSocialAffairs, SocialAffairs
from .social_insurance import DevelopmentSocialInsurance, SocialInsurance

__all__ = [
    "AgencyRefused",
    "AgencyUnavailable",
    "CivilStatusRegistry",
    "DevelopmentCivilStatusRegistry",
    "DevelopmentPopulationRegistry",
    "DevelopmentResidenceSystem",
    "DevelopmentSocialAffairs",
    "DevelopmentSocialInsurance",
    "PersonRecord",
    "PopulationRegistry",
    "RegistryUnavailable",
    "ResidenceSystem",
    "SocialAffairs",
    "SocialInsurance",
    "civil_status_registry",
    "population_registry",
    "residence_system",
    "social_affairs",
    "social_insurance",
]


def _make(setting: str, interface: Any) -> Any:
    path = getattr(settings, setting)
    adapter = import_string(path)()
    if not isinstance(adapter, interface):
        raise TypeError(f"{path} is not a {interface.__name__}")
    return adapter


def population_registry() -> PopulationRegistry:
    """The population registry the settings choose."""
    adapter: PopulationRegistry = _make(
        "POPULATION_REGISTRY_BACKEND", PopulationRegistry
    )
    return adapter


def civil_status_registry() -> CivilStatusRegistry:
    adapter: CivilStatusRegistry = _make(
        "CIVIL_STATUS_REGISTRY_BACKEND", CivilStatusRegistry
    )
    return adapter


def residence_system() -> ResidenceSystem:
    adapter: ResidenceSystem = _make("RESIDENCE_SYSTEM_BACKEND", ResidenceSystem)
    return adapter


def social_insurance() -> SocialInsurance:
    adapter: SocialInsurance = _make("SOCIAL_INSURANCE_BACKEND", SocialInsurance)
    return adapter


def social_affairs() -> SocialAffairs:
    adapter: SocialAffairs = _make("SOCIAL_AFFAIRS_BACKEND", SocialAffairs)
    return adapter
