"""The stored counts, for comparing two ways of computing them."""

from dashboards.models import COUNT_COLUMNS, StatBucket, UnitBucket

KEY = ("grain", "start", "receiving_unit_id", "channel")


def bucket_rows():
    """(per procedure, all procedures together): the non-zero rows, sorted."""
    per_procedure = sorted(
        row
        for row in StatBucket.objects.values_list(*KEY, "procedure_id", *COUNT_COLUMNS)
        if any(row[5:])
    )
    per_unit = sorted(
        row
        for row in UnitBucket.objects.values_list(*KEY, *COUNT_COLUMNS)
        if any(row[4:])
    )
    return per_procedure, per_unit
