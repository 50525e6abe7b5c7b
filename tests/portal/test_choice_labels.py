"""`get_FOO_display()` from labels mapped once per field (portal.models.ChoiceLabels):
Django's answers, in the language active at the call, translating one label."""

import pytest
from django.db import models
from django.utils import translation

from dossiers.models import Channel, Dossier, Event, Status


def _djangos(obj, name: str) -> str:
    display = models.Model._get_FIELD_display  # type: ignore[attr-defined]
    return str(display(obj, obj._meta.get_field(name)))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_labels_are_djangos_in_the_active_language(language):
    with translation.override(language):
        for value in [*Status.values, "", "no-such-status"]:
            dossier, event = Dossier(status=value), Event(to_status=value)
            assert dossier.get_status_display() == _djangos(dossier, "status")
            assert event.get_to_status_display() == _djangos(event, "to_status")
        for value in Channel.values:
            dossier = Dossier(channel=value)
            assert dossier.get_channel_display() == _djangos(dossier, "channel")
    with translation.override("en"):
        english = Dossier(status=Status.RECEIVED).get_status_display()
    with translation.override("vi"):
        assert Dossier(status=Status.RECEIVED).get_status_display() != english


def test_one_label_is_translated_per_call(monkeypatch):
    """Django's translated every status (13) to show one: the queue shows two
    labels a row."""
    dossier = Dossier(status=Status.RECEIVED)
    dossier.get_status_display()
    with translation.override("en"):
        translated = []
        trans = translation._trans  # type: ignore[attr-defined]
        gettext = trans.gettext

        def counting(message: str) -> str:
            translated.append(message)
            return str(gettext(message))

        monkeypatch.setattr(trans, "gettext", counting)
        assert dossier.get_status_display() == "Received"
    assert len(translated) == 1
