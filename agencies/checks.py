"""Deployment checks of the agency adapters (`manage.py check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

DEVELOPMENT_REGISTRY = "agencies.adapters.population.DevelopmentPopulationRegistry"
# The development systems of the linked chains, by their setting.
DEVELOPMENT_SYSTEMS = {
    "CIVIL_STATUS_REGISTRY_BACKEND": (
        "agencies.adapters.civil_status.DevelopmentCivilStatusRegistry"
    ),
    "RESIDENCE_SYSTEM_BACKEND": (
        "agencies.adapters.residence.DevelopmentResidenceSystem"
    ),
    "SOCIAL_INSURANCE_BACKEND": (
        "agencies.adapters.social_insurance.DevelopmentSocialInsurance"
    ),
    "SOCIAL_AFFAIRS_BACKEND": (
        "agencies.adapters.social_affairs.DevelopmentSocialAffairs"
    ),
}


@register(deploy=True)
def agency_adapters_check(app_configs: Any, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if settings.DEBUG or settings.DEMO_MODE:
        return problems
    if settings.POPULATION_REGISTRY_BACKEND == DEVELOPMENT_REGISTRY:
        problems.append(
            Warning(
                "The population registry is the development one (demo records).",
                hint=(
                    "Set POPULATION_REGISTRY_BACKEND to the adapter of the real "
                    "registry (docs/agencies.md)."
                ),
                id="agencies.W001",
            )
        )
    development = [
        name
        for name, path in DEVELOPMENT_SYSTEMS.items()
        if getattr(settings, name) == path
    ]
    if development:
        problems.append(
            Warning(
                "The linked chains talk to development systems: "
                + ", ".join(development)
                + ".",
                hint="Point these settings at the real adapters (docs/agencies.md).",
                id="agencies.W002",
            )
        )
    return problems
