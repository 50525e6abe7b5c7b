"""Each way of signing for an agency, the refusal of development keys in
production and the development authority's set-up."""

import io

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader

from portal.checks import refuse_unsafe_start
from signing.adapters import DevelopmentAuthority, SigningUnavailable
from signing.models import SignedDocument
from signing.selectors import pdf_verify
from signing.services import NotSignable, pdf_sign
from tests.dossiers.factories import PDF_BYTES
from tests.units.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def signer_name(content):
    signature = PdfFileReader(io.BytesIO(content)).embedded_regular_signatures[0]
    return signature.signer_cert.subject.native["common_name"]


def test_an_agency_signs_with_its_own_pkcs12_file(settings, tmp_path):
    unit = OrgUnitFactory()
    credential = DevelopmentAuthority(tmp_path / "ca").for_unit(
        code=unit.agency_code, name="UBND xã Thử Nghiệm"
    )
    (tmp_path / f"{unit.agency_code}.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"agency",
            credential.key,
            credential.certificate,
            list(credential.chain),
            serialization.BestAvailableEncryption(b"mat-khau"),
        )
    )
    (tmp_path / f"{unit.agency_code}.pass").write_text("mat-khau\n")
    settings.SIGNATURE_BACKEND = "pkcs12"
    settings.SIGNATURE_PKCS12_DIR = str(tmp_path)
    settings.SIGNATURE_TRUST_ROOTS = [str(tmp_path / "ca" / "ca.pem")]

    signed = pdf_sign(content=PDF_BYTES, unit=unit, document=unit, reason="Thử")

    assert signer_name(signed.content).startswith("UBND xã Thử Nghiệm")
    assert (signed.record.backend, signed.record.development) == ("pkcs12", False)
    assert pdf_verify(content=signed.content, record=signed.record).valid
    # The development root is not trusted with the agencies' own certificates.
    settings.SIGNATURE_TRUST_ROOTS = []
    found = pdf_verify(content=signed.content, record=signed.record)
    assert (found.valid, found.problem) == (False, "untrusted")


def test_a_wrong_passphrase_is_named_and_nothing_recorded(settings, tmp_path):
    unit = OrgUnitFactory()
    credential = DevelopmentAuthority(tmp_path).for_unit(
        code=unit.agency_code, name=unit.name
    )
    (tmp_path / f"{unit.agency_code}.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"agency",
            credential.key,
            credential.certificate,
            None,
            serialization.BestAvailableEncryption(b"dung"),
        )
    )
    (tmp_path / f"{unit.agency_code}.pass").write_text("sai")
    settings.SIGNATURE_BACKEND = "pkcs12"
    settings.SIGNATURE_PKCS12_DIR = str(tmp_path)

    with pytest.raises(SigningUnavailable, match="wrong passphrase"):
        pdf_sign(content=PDF_BYTES, unit=unit, document=unit, reason="Thử")
    assert not SignedDocument.objects.exists()


def test_a_signing_service_signs_the_digest_of_an_enrolled_key(settings, tmp_path):
    from signing.adapters import DevelopmentSigningService

    unit, stranger = OrgUnitFactory(), OrgUnitFactory()
    settings.SIGNATURE_BACKEND = "remote"
    settings.SIGNATURE_DIR = tmp_path
    DevelopmentSigningService().enrol(key_id=unit.agency_code, name=unit.name)

    signed = pdf_sign(content=PDF_BYTES, unit=unit, document=unit, reason="Thử")

    assert signer_name(signed.content).endswith("(DEVELOPMENT)")
    assert signed.record.backend == "remote"
    assert pdf_verify(content=signed.content, record=signed.record).valid
    with pytest.raises(SigningUnavailable, match="no key"):
        pdf_sign(content=PDF_BYTES, unit=stranger, document=stranger, reason="Thử")


def test_what_is_not_a_pdf_is_not_signable():
    unit = OrgUnitFactory()

    with pytest.raises(NotSignable):
        pdf_sign(content=b"\x89PNG\r\n", unit=unit, document=unit, reason="Thử")
    with pytest.raises(NotSignable):
        pdf_sign(content=b"%PDF-1.4 broken", unit=unit, document=unit, reason="x")
    assert not SignedDocument.objects.exists()


def signing_errors():
    return [m.msg for m in run_checks() if m.id == "signing.E001"]


def test_development_keys_are_refused_with_debug_off(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    settings.SIGNATURE_BACKEND = "development"

    assert signing_errors() == [
        "SIGNATURE_BACKEND is development: results would carry development keys "
        "(docs/signing.md)."
    ]
    with pytest.raises(ImproperlyConfigured, match="SIGNATURE_BACKEND"):
        refuse_unsafe_start()
    settings.SIGNATURE_BACKEND = "remote"
    settings.SIGNATURE_REMOTE_SERVICE = (
        "signing.adapters.remote.DevelopmentSigningService"
    )
    assert len(signing_errors()) == 1
    settings.SIGNATURE_BACKEND = "pkcs12"
    assert signing_errors() == []


@pytest.mark.parametrize(("debug", "demo"), [(False, True), (True, False)])
def test_development_keys_are_fine_in_development_and_demo(settings, debug, demo):
    settings.DEBUG, settings.DEMO_MODE = debug, demo
    settings.SIGNATURE_BACKEND = "development"

    assert signing_errors() == []


def test_signing_setup_makes_one_authority_and_a_certificate_per_agency(
    settings, tmp_path
):
    settings.SIGNATURE_BACKEND = "development"
    settings.SIGNATURE_DIR = tmp_path
    units = [OrgUnitFactory(), OrgUnitFactory()]

    call_command("signing_setup", stdout=io.StringIO())
    root = (tmp_path / "ca.pem").read_bytes()
    call_command("signing_setup", stdout=io.StringIO())

    assert (tmp_path / "ca.pem").read_bytes() == root
    authority = DevelopmentAuthority(tmp_path)
    for unit in units:
        assert authority.unit_path(code=unit.agency_code, name=unit.name).is_file()
    assert len(list((tmp_path / "agencies").iterdir())) >= len(units)


def test_checking_works_where_an_event_loop_runs():
    """pyHanko's synchronous API starts its own loop: called from code that runs
    in one (Playwright's synchronous API does), it goes to a thread of its own.
    (Signing takes the same path; the anonymous browser journey issues a result
    beside Playwright's loop.)"""
    import asyncio

    unit = OrgUnitFactory()
    signed = pdf_sign(content=PDF_BYTES, unit=unit, document=unit, reason="Thử")

    async def inside_a_loop():
        return pdf_verify(content=signed.content, record=signed.record)

    assert asyncio.run(inside_a_loop()).valid
