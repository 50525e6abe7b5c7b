import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from accounts.models import (
    ApiToken,
    DataAccessLog,
    DocumentSource,
    HouseholdMember,
    IdentityLevel,
    Relation,
    StoredDocument,
    User,
)
from accounts.services import (
    IdentityClaims,
    IdentityLinkError,
    api_token_create,
    api_token_hash,
    citizen_link_from_claims,
    citizen_sign_up,
    data_access_record,
    household_member_add,
    household_member_update,
    profile_update,
    stored_document_add,
    stored_document_delete,
)
from tests.accounts.factories import UserFactory
from tests.dossiers.factories import PDF_BYTES, tiny_png

PDF = PDF_BYTES
PNG = tiny_png()

CLAIMS = IdentityClaims(
    personal_id="036188004321",
    full_name="Hoàng Thị Thu",
    date_of_birth=datetime.date(1988, 9, 9),
    sex="female",
    identity_level=IdentityLevel.LEVEL_2,
    phone="+84978123456",
    email="thu@example.com",
)


# --- Sign-up and identity claims ------------------------------------------------


@pytest.mark.django_db
def test_sign_up_refuses_a_number_that_does_not_match_the_birth_date():
    with pytest.raises(ValidationError) as excinfo:
        citizen_sign_up(
            personal_id="036185012345",
            password="Mat-khau-2024",
            full_name="Nguyễn Văn An",
            date_of_birth=datetime.date(1985, 3, 12),
            sex="male",
            phone="0912345678",
        )

    assert "phải có chữ số 0" in str(excinfo.value)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_claims_create_a_citizen_without_password():
    user = citizen_link_from_claims(claims=CLAIMS)

    assert user.username == "036188004321"
    assert user.is_citizen
    assert user.identity_level == 2
    assert user.phone == "0978123456"
    assert not user.has_usable_password()


def test_claims_update_an_existing_citizen_but_keep_their_contact(citizen):
    citizen.phone = "0911111111"
    citizen.save()
    claims = IdentityClaims(
        personal_id=citizen.username,
        full_name="Nguyễn Văn Công Mới",
        date_of_birth=citizen.date_of_birth,
        sex=citizen.sex,
        identity_level=IdentityLevel.LEVEL_1,
        phone="0988888888",
    )

    user = citizen_link_from_claims(claims=claims)

    assert user.pk == citizen.pk
    assert user.full_name == "Nguyễn Văn Công Mới"
    assert user.identity_level == 1
    assert user.phone == "0911111111"


@pytest.mark.django_db
def test_claims_with_an_inconsistent_personal_id_are_refused():
    claims = IdentityClaims(**(CLAIMS.__dict__ | {"sex": "male"}))

    with pytest.raises(IdentityLinkError, match="phải có chữ số 0"):
        citizen_link_from_claims(claims=claims)


@pytest.mark.django_db
def test_claims_without_a_known_level_are_refused():
    claims = IdentityClaims(**(CLAIMS.__dict__ | {"identity_level": 0}))

    with pytest.raises(IdentityLinkError):
        citizen_link_from_claims(claims=claims)


def test_claims_never_log_in_a_staff_account(unit_a):
    UserFactory(username=CLAIMS.personal_id, roles=["leader"], org_unit=unit_a)

    with pytest.raises(IdentityLinkError):
        citizen_link_from_claims(claims=CLAIMS)


@pytest.mark.django_db
def test_claims_never_log_in_a_disabled_account():
    UserFactory(username=CLAIMS.personal_id, is_active=False)

    with pytest.raises(IdentityLinkError):
        citizen_link_from_claims(claims=CLAIMS)


# --- Profile and household --------------------------------------------------------


def test_profile_update_keeps_addresses_and_contact(citizen, tree):
    profile = profile_update(
        user=citizen,
        permanent_address="Xóm 1, xã An",
        current_address="",
        commune=tree["commune_a"],
        phone="0912.000.222",
        email="cong@example.com",
    )

    citizen.refresh_from_db()
    assert profile.address == "Xóm 1, xã An"
    assert citizen.phone == "0912000222"
    assert citizen.email == "cong@example.com"


def test_household_member_personal_id_is_checked_against_birth(citizen):
    with pytest.raises(ValidationError, match="hai số cuối của năm sinh"):
        household_member_add(
            owner=citizen,
            full_name="Nguyễn Văn Bé",
            relation=Relation.CHILD,
            date_of_birth=datetime.date(2019, 6, 1),
            sex="male",
            personal_id="036220001111",
        )

    member = household_member_add(
        owner=citizen,
        full_name="Nguyễn Văn Bé",
        relation=Relation.CHILD,
        date_of_birth=datetime.date(2019, 6, 1),
        sex="male",
        personal_id="036219001111",
    )
    assert member.personal_id == "036219001111"


def test_household_member_update(citizen):
    member = household_member_add(
        owner=citizen, full_name="Trần Thị Vợ", relation=Relation.SPOUSE
    )

    household_member_update(
        member=member, full_name="Trần Thị Hiền", relation=Relation.SPOUSE
    )

    member.refresh_from_db()
    assert member.full_name == "Trần Thị Hiền"


def test_database_refuses_a_malformed_household_personal_id(citizen):
    with pytest.raises(IntegrityError):
        HouseholdMember.objects.create(
            owner=citizen, full_name="X", relation="child", personal_id="12ab"
        )


# --- Document store ---------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_stored_document_keeps_checksum_size_and_sniffed_type(citizen, media):
    upload = SimpleUploadedFile("khai-sinh.PDF", PDF, content_type="image/png")

    document = stored_document_add(
        owner=citizen,
        doc_type="birth_certificate",
        title="Giấy khai sinh",
        file=upload,
        number="123/2019",
        issued_on=datetime.date(2019, 6, 10),
    )

    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert len(document.checksum) == 64
    assert document.source == DocumentSource.UPLOAD
    assert document.file.name.startswith(f"private/stored-documents/{citizen.pk}/")
    assert "khai-sinh" not in str(document.file.name)
    assert document.file.read() == PDF


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a document", "không phải PDF, JPEG hay PNG"),
        (b"", "Tệp trống"),
    ],
)
def test_stored_document_refuses_other_files(citizen, media, content, message):
    upload = SimpleUploadedFile("x.pdf", content, content_type="application/pdf")

    with pytest.raises(ValidationError, match=message):
        stored_document_add(owner=citizen, doc_type="other", title="X", file=upload)
    assert not StoredDocument.objects.exists()


def test_stored_document_refuses_big_files(citizen, media, settings):
    settings.STORED_DOCUMENT_MAX_BYTES = 20

    with pytest.raises(ValidationError, match="lớn hơn"):
        stored_document_add(
            owner=citizen,
            doc_type="other",
            title="X",
            file=SimpleUploadedFile("x.png", PNG),
        )


def test_deleting_a_document_removes_its_file_after_commit(
    citizen, media, django_capture_on_commit_callbacks
):
    document = stored_document_add(
        owner=citizen, doc_type="other", title="X", file=SimpleUploadedFile("x", PNG)
    )
    path = media / document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        stored_document_delete(document=document)

    assert not path.exists()
    assert not StoredDocument.objects.exists()


# --- Data-access log and tokens ---------------------------------------------------


def test_data_access_record_notes_the_officers_unit(officer, citizen):
    row = data_access_record(
        staff=officer, citizen=citizen, obj_label="Hồ sơ cá nhân", context="Tiếp nhận"
    )

    assert row.staff_unit == officer.org_unit
    assert DataAccessLog.objects.get().citizen == citizen


def test_api_tokens_are_stored_hashed(citizen):
    key = api_token_create(user=citizen)

    token = ApiToken.objects.get()
    assert token.key_hash == api_token_hash(key)
    assert key not in token.key_hash
