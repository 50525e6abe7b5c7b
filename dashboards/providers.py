"""Figures that other apps add to the dashboards, without importing them.

An app that has figures of its own (the linked chains: chains completed and
their median time; payments, when their records say more than
`Dossier.paid_online`) lists providers on its AppConfig, as it lists role
permissions:

    class ChainsConfig(AppConfig):
        stats_providers = ["chains.stats.linked_chain_figures"]

A provider is called as `provider(org_units=<OrgUnit queryset>, start=<date>,
end=<date>)` and returns a list of `ExtraFigure`-shaped dicts:
{"key": str, "label": str, "value": int | float | None, "unit": "" | "days" |
"rate", "formula": str}. The dashboard shows each as a card; nothing in
dashboards knows the app. Providers run their own (bounded) queries.

The service index shows a provider's figure beside the indicator whose rule
names its key (`"figures": [key]` in the rules file); its points stay as the
rules say.

An app may also add tables to the exports (CSV and XLSX), named on its
AppConfig: `export_tables = {"feedback": "feedback.stats.feedback_table"}`. A
table provider is called like a figures provider and returns
{"title": str, "columns": [(code, label)], "rows": [[...]]}; rates are
fractions whose column code ends in "_rate".
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from units.models import OrgUnit

Provider = Callable[..., list[dict[str, Any]]]
TableProvider = Callable[..., dict[str, Any]]


def stats_providers() -> list[Provider]:
    """Every provider listed by an installed app, in app order."""
    found: list[Provider] = []
    for config in apps.get_app_configs():
        for dotted in getattr(config, "stats_providers", ()):
            found.append(import_string(dotted))
    return found


def extra_figures(
    *, org_units: QuerySet[OrgUnit], start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = []
    for provider in stats_providers():
        figures.extend(provider(org_units=org_units, start=start, end=end))
    return figures


def export_table_providers() -> dict[str, TableProvider]:
    """Table name to provider, for every table an installed app exports."""
    found: dict[str, TableProvider] = {}
    for config in apps.get_app_configs():
        for name, dotted in getattr(config, "export_tables", {}).items():
            found[name] = import_string(dotted)
    return found
