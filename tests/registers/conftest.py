import pytest


@pytest.fixture
def people(citizen, officer, specialist, leader, unit_a):
    """The actors `make_dossier` takes, at commune A's one-stop shop."""
    return {
        "applicant": citizen,
        "unit": unit_a,
        "officer": officer,
        "specialist": specialist,
        "leader": leader,
    }
