"""Deployment checks of the agency adapters (`manage.py check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

DEVELOPMENT_REGISTRY = "agencies.adapters.population.DevelopmentPopulationRegistry"


@register(deploy=True)
def agency_adapters_check(app_configs: Any, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if settings.POPULATION_REGISTRY_BACKEND == DEVELOPMENT_REGISTRY and not (
        settings.DEBUG or settings.DEMO_MODE
    ):
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
    return problems
