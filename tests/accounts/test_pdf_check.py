"""The PDF check reads a file as a reader does: what runs is refused, what is
data is not, a damaged or locked file is refused, and no file holds the worker."""

import base64
import datetime
import io
import random
import zlib

import pytest
from django.utils import timezone
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from accounts import pdf_check
from accounts.pdf_check import PdfProblem, pdf_problem
from dossiers import services, slips
from dossiers.models import Event, Result, Status
from payments.receipts import receipt_pdf as payment_receipt_pdf
from payments.services import payment_record_cash
from tests.accounts.pdfs import (
    CATALOG,
    PAGES,
    document,
    make_pdf,
    page,
    stream,
)
from tests.dossiers.factories import make_dossier
from tests.procedures.factories import ProcedureFactory

ACTIVE = PdfProblem.ACTIVE_CONTENT
JS_ACTION = b"<< /S /JavaScript /JS (app.alert(1)) >>"


def with_page(page_extra: bytes, *extra_objects: bytes) -> bytes:
    return make_pdf(CATALOG, PAGES, page(page_extra), *extra_objects)


@pytest.mark.parametrize(
    "pdf",
    [
        document(catalog_extra=b"/OpenAction " + JS_ACTION),
        document(catalog_extra=b"/AA << /O << /S /J#61vaScript >> >>"),
        document(catalog_extra=b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        # The action in an object stream, as compressed PDFs keep their objects.
        document(JS_ACTION, catalog_extra=b"/OpenAction 4 0 R", packed={4}),
        # An object stream as reportlab would write it: ASCII85 over Flate.
        document(
            b"<< /S /Ja#76aScript /JS (x) >>",
            catalog_extra=b"/OpenAction 4 0 R",
            packed={1, 4},
            pack_filter=b"[ /ASCII85Decode /FlateDecode ]",
            pack_encode=lambda raw: base64.a85encode(zlib.compress(raw)) + b"~>",
        ),
        # The short name alone.
        document(catalog_extra=b"/OpenAction << /JS (app.alert(1)) >>"),
        document(
            b"<< /Names [(start) 5 0 R] >>",
            JS_ACTION,
            catalog_extra=b"/Names << /JavaScript 4 0 R >>",
        ),
        with_page(b"/Annots [<< /Type /Annot /Subtype /Link /A 4 0 R >>]", JS_ACTION),
        with_page(b"/AA << /O " + JS_ACTION + b" >>"),
        # A form field's action, and an action run after a harmless one.
        document(
            JS_ACTION,
            catalog_extra=b"/AcroForm << /Fields [<< /AA << /K 4 0 R >> >>] >>",
        ),
        document(
            b"<< /Title (Muc luc) /A << /S /URI /URI (https://a.vn) /Next 5 0 R >> >>",
            JS_ACTION,
            catalog_extra=b"/Outlines << /First 4 0 R /Last 4 0 R >>",
        ),
        document(catalog_extra=b"/AcroForm << /Fields [] /XFA 4 0 R >>"),
        with_page(
            b"/Annots [<< /Subtype /RichMedia /RichMediaContent << >> >>]",
        ),
    ],
    ids=[
        "open action",
        "hex-escaped name",
        "launch",
        "in an object stream",
        "in an ASCII85 object stream",
        "short name",
        "document's name tree",
        "link on a page",
        "page opened",
        "form field",
        "outline action chain",
        "XFA form",
        "rich media",
    ],
)
def test_what_runs_when_the_file_is_opened_or_clicked_is_refused(pdf):
    assert pdf_problem(pdf) is ACTIVE


def test_attached_files_are_refused():
    spec = b"<< /Type /Filespec /F (hoa-don.exe) /EF << /F 4 0 R >> >>"
    embedded = stream(b"/Type /EmbeddedFile", b"MZ\x90\x00")

    in_names = document(
        embedded,
        catalog_extra=b"/Names << /EmbeddedFiles << /Names [(a) %s] >> >>" % spec,
    )
    on_page = with_page(
        b"/Annots [<< /Subtype /FileAttachment /FS %s >>]" % spec, embedded
    )

    assert pdf_problem(in_names) is PdfProblem.EMBEDDED_FILE
    assert pdf_problem(on_page) is PdfProblem.EMBEDDED_FILE


def test_action_names_in_page_text_pictures_and_fonts_are_data():
    # A reader never takes a page's drawing, a picture or a font for objects:
    # their bytes may spell anything (reportlab's ASCII85 page text spelt "/JS"
    # by chance, and a linked step's result slip was refused so).
    spelt = b"<< /S /JavaScript /JS (app.alert(1)) /S /Launch >>"
    contents = stream(b"/Filter /ASCIIHexDecode", spelt.hex().encode() + b">")
    picture = stream(
        b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /Filter /DCTDecode",
        b"\xff\xd8\xff\xe0" + spelt,
    )
    pdf = with_page(
        b"/Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >>",
        contents,
        picture,
    )

    assert pdf_problem(pdf) is None


def test_an_unreferenced_object_runs_nothing():
    # No reader reaches it from the catalogue: it is data too.
    assert pdf_problem(document(JS_ACTION)) is None


# --- Damaged, cut short, locked --------------------------------------------------


@pytest.mark.parametrize(
    "pdf",
    [
        b"%PDF-1.4\n",
        b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<<>>\n%%EOF\n",
        b"%PDF-1.4\n" + bytes(range(256)) * 40,
        # A catalogue without pages; a catalogue that is a number.
        make_pdf(b"<< /Type /Catalog >>"),
        make_pdf(b"42"),
        # The cross-reference table points elsewhere: pypdf would rebuild it.
        document().replace(b"startxref\n", b"startxref\n1"),
        # An object that is itself, and nesting deeper than Python's stack.
        document(b"4 0 R", catalog_extra=b"/Foo 4 0 R"),
        document(b"[" * 50_000 + b"]" * 50_000, catalog_extra=b"/Foo 4 0 R"),
    ],
    ids=[
        "header only",
        "no cross-reference table",
        "garbage",
        "no pages",
        "catalogue not a dictionary",
        "broken table",
        "self reference",
        "deep nesting",
    ],
)
def test_a_damaged_pdf_is_refused_or_read_never_crashes(pdf):
    assert pdf_problem(pdf) in {PdfProblem.BROKEN, None}


@pytest.mark.parametrize(
    "pdf",
    [
        b"%PDF-1.4\n",
        b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<<>>\n%%EOF\n",
        make_pdf(b"<< /Type /Catalog >>"),
        document().replace(b"startxref\n", b"startxref\n1"),
    ],
    ids=["header only", "no table", "no pages", "broken table"],
)
def test_a_pdf_a_reader_cannot_open_is_refused(pdf):
    assert pdf_problem(pdf) is PdfProblem.BROKEN


def test_a_file_cut_short_is_refused(citizen, unit_a, officer):
    dossier = make_dossier(status=Status.RECEIVED, applicant=citizen, unit=unit_a)
    slip = slips.receipt_pdf(dossier, tracking_url="https://dvc.example.vn/tra-cuu/")
    assert pdf_problem(slip) is None

    for keep in (0.25, 0.5, 0.9, 0.99):
        assert pdf_problem(slip[: int(len(slip) * keep)]) is PdfProblem.BROKEN, keep
    assert pdf_problem(slip[:-20]) is PdfProblem.BROKEN


def test_random_damage_never_raises():
    good = document(
        JS_ACTION, b"<< /Title (x) >>", catalog_extra=b"/Foo 5 0 R", packed={1, 4, 5}
    )
    rng = random.Random(15)
    for _ in range(300):
        damaged = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        assert pdf_problem(bytes(damaged)) in set(PdfProblem) | {None}


def _encrypted(user_password: str, *, action: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if action:
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
    writer.encrypt(
        user_password=user_password, owner_password="chu", algorithm="AES-128"
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_that_asks_for_a_password_is_refused():
    assert pdf_problem(_encrypted("bi-mat")) is PdfProblem.ENCRYPTED


def test_a_pdf_locked_only_against_changes_is_read_as_any_other():
    # An empty user password: it opens without asking, for the officer too.
    assert pdf_problem(_encrypted("")) is None
    assert pdf_problem(_encrypted("", action=True)) is ACTIVE


# --- Bounded work ----------------------------------------------------------------


def test_a_decompression_bomb_in_an_object_stream_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_check, "MAX_DECODED_BYTES", 256 * 1024)
    bomb = document(
        b"<< /Pad (%s) >>" % (b"0" * 300 * 1024),
        catalog_extra=b"/Foo 4 0 R",
        packed={4},
    )

    assert len(bomb) < 4096
    assert pdf_problem(bomb) is PdfProblem.TOO_COMPLEX


def test_object_streams_are_bounded_in_sum(monkeypatch):
    monkeypatch.setattr(pdf_check, "MAX_DECODED_BYTES", 256 * 1024)
    # Three streams, each within the bound, the three over it.
    pieces = [b"<< /Pad (%s) >>" % (b"0" * 100 * 1024)] * 3
    refs = b"/Foo [4 0 R 5 0 R 6 0 R]"

    assert (
        pdf_problem(
            document(
                *pieces[:2], catalog_extra=refs[:-7] + b"]", packed={4, 5}, per_stream=1
            )
        )
        is None
    )
    assert (
        pdf_problem(
            document(*pieces, catalog_extra=refs, packed={4, 5, 6}, per_stream=1)
        )
        is PdfProblem.TOO_COMPLEX
    )


def test_a_pypdf_limit_reached_is_too_complex():
    # pypdf's own bound on one stream (8 MB here) holds before ours.
    bomb = document(
        b"<< /Pad (%s) >>" % (b"0" * (9 * 1024 * 1024)),
        catalog_extra=b"/Foo 4 0 R",
        packed={4},
    )

    assert pdf_problem(bomb) is PdfProblem.TOO_COMPLEX


def test_a_long_chain_of_objects_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_check, "MAX_OBJECTS", 500)
    chain = [b"<< /Next %d 0 R >>" % (n + 1) for n in range(4, 1000)]

    assert pdf_problem(document(*chain, catalog_extra=b"/Foo 4 0 R")) is (
        PdfProblem.TOO_COMPLEX
    )


def test_many_values_are_refused(monkeypatch):
    monkeypatch.setattr(pdf_check, "MAX_VALUES", 10_000)
    wide = b"[" + b"[1 2 3] " * 5000 + b"]"

    assert pdf_problem(document(wide, catalog_extra=b"/Foo 4 0 R")) is (
        PdfProblem.TOO_COMPLEX
    )


def test_one_huge_object_is_refused_while_pypdf_parses_it(monkeypatch):
    # pypdf parses an object whole before the walk sees it: the reads bound it.
    monkeypatch.setattr(pdf_check, "MAX_READS", 20_000)
    huge = b"[" + (b"[" + b"1 " * 5000 + b"] ") * 10 + b"]"

    assert pdf_problem(document(huge, catalog_extra=b"/Foo 4 0 R")) is (
        PdfProblem.TOO_COMPLEX
    )


def test_many_objects_out_of_place_are_refused(monkeypatch):
    monkeypatch.setattr(pdf_check, "MAX_REPAIRS", 3)
    objects = [b"<< /N %d >>" % n for n in range(4, 14)]
    pdf = document(
        *objects,
        catalog_extra=b"/Foo [%s]" % b" ".join(b"%d 0 R" % n for n in range(4, 14)),
    )
    # Every table entry of the ten objects points at the first of them: pypdf
    # finds each by searching the whole file.
    table = pdf.index(b"xref\n")
    first = pdf.index(b"4 0 obj")
    head, rows = pdf[:table], pdf[table:].split(b"\n")
    for number in range(4, 14):
        rows[number + 2] = b"%010d 00000 n " % first
    damaged = head + b"\n".join(rows)

    assert pdf_problem(damaged) is PdfProblem.BROKEN


def test_many_references_to_missing_objects_are_refused(monkeypatch):
    # pypdf searches the whole file for each object the table does not list.
    monkeypatch.setattr(pdf_check, "MAX_REPAIRS", 3)
    missing = b" ".join(b"%d 0 R" % n for n in range(100, 140))

    assert pdf_problem(document(catalog_extra=b"/Foo [100 0 R]")) is None
    assert pdf_problem(document(catalog_extra=b"/Foo [%s]" % missing)) is (
        PdfProblem.BROKEN
    )


# --- The portal's own PDFs -------------------------------------------------------


@pytest.fixture
def dossier(citizen, unit_a, officer):
    return make_dossier(
        status=Status.RECEIVED, applicant=citizen, unit=unit_a, officer=officer
    )


def test_every_pdf_the_portal_makes_passes(
    citizen, unit_a, officer, specialist, leader, dossier
):
    url = "https://dvc.example.vn/tra-cuu/"
    supplement = make_dossier(
        status=Status.SUPPLEMENT_REQUESTED,
        applicant=citizen,
        unit=unit_a,
        officer=officer,
    )
    refused = make_dossier(
        status=Status.REFUSED, applicant=citizen, unit=unit_a, officer=officer
    )
    now = timezone.now()
    apology = Event(
        dossier=dossier,
        action="apologize",
        note="Chờ xác minh",
        details={
            "old_due_at": now.isoformat(),
            "new_due_at": (now + datetime.timedelta(days=3)).isoformat(),
        },
    )
    generated = make_dossier(
        status=Status.SIGNED,
        applicant=citizen,
        unit=unit_a,
        officer=officer,
        specialist=specialist,
        leader=leader,
    )
    services.dossier_issue_generated_result(
        dossier=generated, actor=officer, title="Giấy khai sinh"
    )
    agency = services.dossier_record_agency_result(
        dossier=dossier,
        title="Giấy xác nhận cư trú",
        number="123/XN",
        issued_by=officer,
        data_rows=[("Họ và tên", citizen.full_name), ("Nơi cư trú", "Thôn Đông")],
    )
    paying = make_dossier(
        applicant=citizen,
        unit=unit_a,
        procedure=ProcedureFactory(fee_online_vnd=7000, fee_counter_vnd=10000),
    )
    paying = services.dossier_receive(dossier=paying, actor=officer)
    payment = payment_record_cash(dossier=paying, officer=officer)

    made = {
        "receipt": slips.receipt_pdf(dossier, tracking_url=url),
        "control": slips.control_slip_pdf(dossier, tracking_url=url),
        "supplement": slips.supplement_pdf(
            supplement, supplement.events.latest("pk"), tracking_url=url
        ),
        "refusal": slips.refusal_pdf(
            refused, refused.events.latest("pk"), tracking_url=url
        ),
        "apology": slips.apology_pdf(dossier, apology, tracking_url=url),
        "generated result": Result.objects.get(dossier=generated).file.read(),
        "agency result": agency.file.read(),
        "payment receipt": payment_receipt_pdf(payment, tracking_url=url),
    }

    assert {kind: pdf_problem(pdf) for kind, pdf in made.items()} == dict.fromkeys(made)


def test_many_result_slips_with_random_data_pass(dossier, officer):
    # A linked step's result slip was once refused about one time in a few
    # hundred: its page text spelt "/JS" by chance. Random data, long rows.
    result = services.dossier_record_agency_result(
        dossier=dossier, title="Trích lục", number="1", issued_by=officer, data_rows=[]
    )
    rng = random.Random(105)
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬĐÉÈẺẼẸ0123456789 /#"
    for _ in range(40):
        rows = [
            (f"Trường {i}", "".join(rng.choices(letters, k=rng.randint(20, 120))))
            for i in range(rng.randint(5, 25))
        ]
        token = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789-_", k=32))
        pdf = slips.result_pdf(
            dossier,
            result,
            verify_url=f"https://dvc.example.vn/ket-qua/{token}/",
            data_rows=rows,
        )
        assert pdf_problem(pdf) is None
