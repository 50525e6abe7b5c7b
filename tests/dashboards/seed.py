"""The seed's figures (H1 2023, Vụ Bản's communes) as import files."""

import datetime
from pathlib import Path

from .csvfiles import dossier_row, write_csv, write_unit_stats

# (agency identifier of the commune's people's committee, GSO commune code)
COMMUNES = [(f"000.{11 + i}.59.H00", str(13741 + 3 * i)) for i in range(18)]
COMPLETED, EARLY, ON_TIME = 1871, 1433, 438
IN_SCOPE, DIGITIZED = 772, 771
EID_ACTIVATED, EID_POPULATION = 73_012, 98_665


def _at(day: datetime.date, hour: int, minute: int = 0) -> str:
    return datetime.datetime.combine(day, datetime.time(hour, minute)).isoformat()


def seed_dossier_rows(procedures: list[str]) -> list[dict[str, str]]:
    """1,871 dossiers received online and completed in H1 2023 (1,433 early,
    438 on time; 772 results in scope, 771 digitised), spread over the 18
    communes, named by agency identifier or by commune code in turn, plus
    dossiers before and after the half year that must not count."""
    rows = []
    for i in range(COMPLETED):
        agency, commune = COMMUNES[i % len(COMMUNES)]
        received = datetime.date(2023, 1, 3) + datetime.timedelta(days=(i * 7) % 165)
        due = received + datetime.timedelta(days=5)
        if i < EARLY:
            done = received + datetime.timedelta(days=i % 5)
            completed = _at(done, 16, 30)
        else:
            completed = _at(due, 10)
        in_scope = i % 2 == 0 and i < 2 * IN_SCOPE
        rows.append(
            dossier_row(
                code=f"{agency}-{received:%y%m%d}-{i + 1:04d}",
                procedure_code=procedures[i % len(procedures)],
                unit_code=agency if i % 2 else commune,
                submitted_at=_at(received, 7, 30),
                received_at=_at(received, 8 + i % 7, 15),
                due_at=_at(due, 17),
                completed_at=completed,
                returned_at=completed[:10] + "T23:00",
                result_digitized=(i != 10) if in_scope else "",
            )
        )
    outside = [datetime.date(2022, 12, 1), datetime.date(2023, 7, 3)]
    for j, received in enumerate(outside * 5):
        agency, _commune = COMMUNES[j]
        rows.append(
            dossier_row(
                code=f"{agency}-{received:%y%m%d}-9{j:03d}",
                procedure_code=procedures[0],
                unit_code=agency,
                channel="counter",
                submitted_at=_at(received, 8),
                received_at=_at(received, 9),
                due_at=_at(received + datetime.timedelta(days=3), 17),
                completed_at=_at(received + datetime.timedelta(days=4), 9),
                returned_at=_at(received + datetime.timedelta(days=4), 10),
                result_digitized=False,
            )
        )
    return rows


def seed_unit_stat_rows() -> list[tuple[str, str, int, int]]:
    """E-ID figures of the 18 communes adding up to 73,012 of 98,665 on
    30/06/2023, with older and later figures that must not count."""
    rows = []
    n = len(COMMUNES)
    for i, (_agency, commune) in enumerate(COMMUNES):
        activated = EID_ACTIVATED // n + (1 if i < EID_ACTIVATED % n else 0)
        population = EID_POPULATION // n + (1 if i < EID_POPULATION % n else 0)
        rows.append((commune, "2023-06-30", activated, population))
        rows.append((commune, "2022-12-31", activated // 2, population))
        rows.append((commune, "2023-09-30", population, population))
    return rows


def write_seed_files(directory: Path, procedures: list[str]) -> tuple[Path, Path]:
    dossiers = write_csv(directory / "vu-ban-2023.csv", seed_dossier_rows(procedures))
    stats = write_unit_stats(directory / "eid-2023.csv", seed_unit_stat_rows())
    return dossiers, stats
