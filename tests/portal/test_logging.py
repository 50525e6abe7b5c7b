import logging

import pytest

from portal.logging import MaskingFormatter, mask_identifiers


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("citizen 036085012345 logged in", "citizen *********345 logged in"),
        ("phone 0912345678.", "phone *******678."),
        ("phone +84912345678", "phone *********678"),
        ("phone 0912 345 678", "phone **** *** 678"),
        ("id 036.085.012.345", "id ***.***.***.345"),
        ("user_036085012345", "user_*********345"),
    ],
)
def test_personal_ids_and_phones_keep_only_their_last_three_digits(text, masked):
    assert mask_identifiers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "dossier 000.00.12.H56-240315-0001",
        "2024-03-15 10:00:01,123",
        "received 12 dossiers in 3456 ms",
    ],
)
def test_dates_codes_and_small_numbers_are_left_alone(text):
    assert mask_identifiers(text) == text


def test_the_formatter_masks_arguments_and_tracebacks():
    formatter = MaskingFormatter("%(message)s")
    try:
        raise ValueError("bad id 036085012345")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "login %s", ("0987654321",), None
        )
        import sys

        record.exc_info = sys.exc_info()

    out = formatter.format(record)

    assert "0987654321" not in out
    assert "036085012345" not in out
    assert "*******321" in out
    assert "*********345" in out
