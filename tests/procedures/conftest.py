import pytest

from procedures.models import (
    Announcement,
    Document,
    Field,
    Guide,
    LifeEvent,
    LinkedStep,
    Procedure,
)
from procedures.services import catalogue_load_reference


def clear_catalogue() -> None:
    LinkedStep.objects.all().delete()
    Guide.objects.all().delete()
    Announcement.objects.all().delete()
    Document.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    LifeEvent.objects.all().delete()


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """The reviewed catalogue (procedures/data/), loaded once per module."""
    with django_db_blocker.unblock():
        catalogue_load_reference(overwrite=True)
    yield
    with django_db_blocker.unblock():
        clear_catalogue()
