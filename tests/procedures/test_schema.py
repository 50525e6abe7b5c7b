import copy
import datetime
from typing import Any

import pytest
import time_machine
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedures.schema import (
    PREFILL_KEYS,
    SchemaError,
    schema_api_fields,
    schema_clean,
    schema_condition_errors,
    schema_condition_holds,
    schema_errors,
    schema_file_fields,
    schema_form_class,
    schema_generic,
    schema_prefill,
)

SCHEMA: dict[str, Any] = {
    "version": 1,
    "sections": [
        {
            "key": "tre",
            "title": {"vi": "Trẻ", "en": "Child"},
            "fields": [
                {
                    "name": "child",
                    "type": "person",
                    "role": "child",
                    "required": True,
                    "label": {"vi": "Trẻ", "en": "Child"},
                    "fields": ["full_name", "date_of_birth", "sex"],
                },
                {
                    "name": "father_known",
                    "type": "yesno",
                    "required": True,
                    "label": {"vi": "Đã biết cha?", "en": "Father known?"},
                },
                {
                    "name": "father",
                    "type": "person",
                    "role": "father",
                    "required": True,
                    "label": {"vi": "Cha", "en": "Father"},
                    "show_if": {"field": "father_known", "equals": True},
                    "fields": [
                        "full_name",
                        "date_of_birth",
                        {"name": "personal_id", "required": True},
                    ],
                },
                {
                    "name": "copies",
                    "type": "number",
                    "min": 0,
                    "max": 10,
                    "label": {"vi": "Số bản sao", "en": "Copies"},
                },
                {
                    "name": "count",
                    "type": "select",
                    "required": True,
                    "label": {"vi": "Số thủ tục", "en": "Procedures"},
                    "choices": [
                        {"value": "2", "label": {"vi": "Hai", "en": "Two"}},
                        {
                            "value": "3",
                            "label": {"vi": "Ba", "en": "Three"},
                            "show_if": {"field": "father_known", "equals": True},
                        },
                    ],
                },
            ],
        },
        {
            "key": "lien-he",
            "title": {"vi": "Liên hệ", "en": "Contact"},
            "fields": [
                {
                    "name": "phone",
                    "type": "phone",
                    "required": True,
                    "prefill": "applicant.phone",
                    "label": {"vi": "Điện thoại", "en": "Phone"},
                },
                {
                    "name": "email",
                    "type": "email",
                    "label": {"vi": "Thư điện tử", "en": "Email"},
                },
                {
                    "name": "note",
                    "type": "textarea",
                    "max_length": 20,
                    "label": {"vi": "Ghi chú", "en": "Note"},
                    "help": {"vi": "Ngắn gọn.", "en": "Briefly."},
                },
                {
                    "name": "file_giay",
                    "type": "file",
                    "document": "giay-chung-sinh",
                    "required": True,
                    "label": {"vi": "Giấy chứng sinh", "en": "Birth notification"},
                },
                {
                    "name": "file_cha",
                    "type": "file",
                    "document": "giay-cha",
                    "required": True,
                    "label": {"vi": "Giấy của cha", "en": "Father's paper"},
                    "show_if": {"field": "father_known", "equals": True},
                },
            ],
        },
    ],
}

VALID: dict[str, Any] = {
    "child": {
        "full_name": " Nguyễn  Văn   Bé ",
        "date_of_birth": "05/09/2024",
        "sex": "male",
    },
    "father_known": "yes",
    "father": {
        "full_name": "Nguyễn Văn Cha",
        "date_of_birth": "1990-03-12",
        "personal_id": "036090012345",
    },
    "copies": "2",
    "count": "3",
    "phone": "+84 912 345 678",
    "email": "cha@example.com",
}


# --- schema_errors ----------------------------------------------------------------


def test_a_good_schema_has_no_errors():
    assert schema_errors(SCHEMA) == []


def test_a_schema_must_be_an_object_with_version_and_sections():
    assert schema_errors([]) == ["Cấu trúc tờ khai phải là một đối tượng JSON."]
    assert "Cấu trúc tờ khai cần “version”: 1." in schema_errors(
        {"version": 2, "sections": SCHEMA["sections"]}
    )
    assert schema_errors({"version": 1, "sections": []})[-1] == (
        "Cấu trúc tờ khai cần ít nhất một phần (“sections”)."
    )


def _broken(**changes):
    schema = copy.deepcopy(SCHEMA)
    field = schema["sections"][0]["fields"][3]  # copies
    field.update(changes)
    return schema


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"type": "textt"}, "loại “textt” không có"),
        ({"name": "Ban Sao"}, "tên mục “Ban Sao” phải bắt đầu bằng chữ thường"),
        ({"name": "count"}, "tên mục bị trùng"),
        ({"label": {"vi": "Số bản sao"}}, "“label” cần có nội dung cả tiếng Việt"),
        ({"required": "yes"}, "“required” phải là true hoặc false"),
        ({"min": 5, "max": 1}, "“min” lớn hơn “max”"),
        ({"prefill": "applicant.shoe_size"}, "“prefill” phải là một trong"),
        ({"colour": "red"}, "khóa không dùng được ở đây: colour"),
        (
            {"show_if": {"field": "phone", "equals": "x"}},
            "mục này không có ở phía trên",
        ),
        (
            {"show_if": {"field": "father_known", "equals": "yes"}},
            "phải là true hoặc false",
        ),
        ({"show_if": {"field": "child.full_name"}}, "điều kiện phải có dạng"),
        ({"choices": [{"value": "a"}]}, "khóa không dùng được ở đây: choices"),
    ],
)
def test_schema_errors_name_the_field_and_the_problem(changes, expected):
    errors = schema_errors(_broken(**changes))

    assert any(expected in error for error in errors), errors
    assert any("Phần “tre”" in error for error in errors), errors


def test_conditions_must_use_a_choice_of_the_select_they_test():
    schema = copy.deepcopy(SCHEMA)
    schema["sections"][1]["fields"][0]["show_if"] = {"field": "count", "equals": "9"}

    assert schema_errors(schema) == [
        "Phần “lien-he”, mục “phone”: “9” không phải một lựa chọn của mục “count”."
    ]


def test_schema_errors_check_select_choices_and_file_documents():
    schema = copy.deepcopy(SCHEMA)
    schema["sections"][0]["fields"][4]["choices"] = [
        {"value": "2", "label": {"vi": "Hai", "en": "Two"}},
        {"value": "2", "label": {"vi": "Hai", "en": "Two"}},
    ]
    del schema["sections"][1]["fields"][3]["document"]

    errors = schema_errors(schema)

    assert any("giá trị “2” bị trùng" in e for e in errors), errors
    assert any("mục tệp cần “document”" in e for e in errors), errors


def test_file_fields_must_name_a_document_of_the_procedure():
    errors = schema_errors(SCHEMA, document_keys=["giay-chung-sinh"])

    assert errors == [
        "Phần “lien-he”, mục “file_cha”: thủ tục không có thành phần hồ sơ "
        "khóa “giay-cha”."
    ]


def test_person_blocks_accept_only_standard_names_and_no_nested_blocks():
    schema = copy.deepcopy(SCHEMA)
    schema["sections"][0]["fields"][0]["fields"] = ["full_name", "shoe_size"]
    schema["sections"][0]["fields"][0]["role"] = "pet"

    errors = schema_errors(schema)

    assert any("“shoe_size” không phải mục chuẩn" in e for e in errors), errors
    assert any("“role” phải là một trong" in e for e in errors), errors


def test_schema_errors_are_translated():
    with translation.override("en"):
        errors = schema_errors(_broken(type="textt"))

    assert any("type “textt” does not exist" in e for e in errors), errors


def test_condition_errors_for_linked_steps_read_the_group_schema():
    assert schema_condition_errors(SCHEMA, {"field": "count", "in": ["2"]}) == []
    assert schema_condition_errors(SCHEMA, {"field": "nope", "equals": 1})


# --- schema_clean -----------------------------------------------------------------


@time_machine.travel(datetime.date(2026, 1, 10))
def test_valid_data_is_cleaned_to_json_ready_values():
    cleaned, errors = schema_clean(SCHEMA, VALID)

    assert errors == {}
    assert cleaned == {
        "child": {
            "full_name": "Nguyễn Văn Bé",
            "date_of_birth": "2024-09-05",
            "sex": "male",
        },
        "father_known": True,
        "father": {
            "full_name": "Nguyễn Văn Cha",
            "date_of_birth": "1990-03-12",
            "personal_id": "036090012345",
        },
        "copies": 2,
        "count": "3",
        "phone": "0912345678",
        "email": "cha@example.com",
    }


def test_flat_dotted_keys_are_read_like_nested_ones():
    flat = {f"child.{k}": v for k, v in VALID["child"].items()}
    flat |= {f"father.{k}": v for k, v in VALID["father"].items()}
    flat |= {k: v for k, v in VALID.items() if k not in ("child", "father")}

    assert schema_clean(SCHEMA, flat) == schema_clean(SCHEMA, VALID)


def test_missing_required_fields_are_reported_with_dotted_names():
    cleaned, errors = schema_clean(SCHEMA, {"father_known": "yes"})

    assert errors == {
        "child.full_name": ["Vui lòng điền mục này."],
        "child.date_of_birth": ["Vui lòng điền mục này."],
        "child.sex": ["Vui lòng chọn một phương án."],
        "father.full_name": ["Vui lòng điền mục này."],
        "father.date_of_birth": ["Vui lòng điền mục này."],
        "father.personal_id": ["Vui lòng điền mục này."],
        "count": ["Vui lòng chọn một phương án."],
        "phone": ["Vui lòng điền mục này."],
    }
    assert cleaned == {"father_known": True}


def test_fields_hidden_by_a_condition_are_not_required_and_are_dropped():
    data = VALID | {"father_known": "no", "count": "2"}

    cleaned, errors = schema_clean(SCHEMA, data)

    assert errors == {}
    assert "father" not in cleaned
    assert cleaned["father_known"] is False


def test_a_choice_hidden_by_its_condition_is_refused():
    _cleaned, errors = schema_clean(SCHEMA, VALID | {"father_known": "no"})

    assert errors == {"count": ["Lựa chọn này không áp dụng với thông tin đã khai."]}


def test_personal_id_inside_a_person_is_checked_against_birth_year():
    data = copy.deepcopy(VALID)
    data["father"]["personal_id"] = "036085012345"  # says born in 1985

    _cleaned, errors = schema_clean(SCHEMA, data)

    assert errors == {
        "father.personal_id": [
            "Chữ số thứ 5 và 6 là 85 nhưng phải là hai số cuối của năm sinh (90)."
        ]
    }


def test_role_gives_the_sex_for_the_personal_id_check():
    data = copy.deepcopy(VALID)
    data["father"]["personal_id"] = "036190012345"  # 1 = a woman born 1900-1999

    _cleaned, errors = schema_clean(SCHEMA, data)

    assert "father.personal_id" in errors
    assert "(mã thế kỷ và giới tính)" in errors["father.personal_id"][0]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("copies", "hai", "Cần nhập một số, ví dụ 2 hoặc 2,5."),
        ("copies", "11", "Không được lớn hơn 10."),
        (
            "count",
            "9",
            "Lựa chọn không hợp lệ: hãy chọn một phương án trong danh sách.",
        ),
        ("father_known", "maybe", "Hãy chọn Có hoặc Không."),
        ("phone", "12345", "Số điện thoại di động phải có 10 chữ số"),
        ("email", "not-an-email", "Địa chỉ thư điện tử không hợp lệ"),
        ("note", "x" * 21, "Tối đa 20 ký tự (đang có 21)."),
    ],
)
def test_bad_values_get_a_clear_message(field, value, message):
    _cleaned, errors = schema_clean(SCHEMA, VALID | {field: value})

    assert errors[field][0].startswith(message), errors


@time_machine.travel(datetime.date(2026, 1, 10))
def test_dates_are_read_in_both_formats_and_not_in_the_future():
    ok = copy.deepcopy(VALID)
    ok["child"]["date_of_birth"] = "31/02/2024"

    _cleaned, errors = schema_clean(SCHEMA, ok)
    assert errors["child.date_of_birth"] == [
        "Ngày không hợp lệ: nhập ngày/tháng/năm, ví dụ 05/09/2024."
    ]

    ok["child"]["date_of_birth"] = "2026-01-11"
    _cleaned, errors = schema_clean(SCHEMA, ok)
    assert errors["child.date_of_birth"] == [
        "Ngày này chưa đến: không được sau hôm nay."
    ]


def test_numbers_accept_a_decimal_comma():
    cleaned, errors = schema_clean(SCHEMA, VALID | {"copies": "2,5"})

    assert errors == {}
    assert cleaned["copies"] == 2.5


def test_a_number_without_bounds_has_a_sane_default_range():
    """10^30 months was accepted once: a schema that names no maximum still has one."""
    schema = copy.deepcopy(SCHEMA)
    months = {
        "name": "months",
        "type": "number",
        "required": True,
        "min": 1,
        "label": {"vi": "Số tháng", "en": "Months"},
    }
    schema["sections"][0]["fields"].append(months)

    for absurd in ("1" + "0" * 30, 10**30, "9" * 5000):
        _cleaned, errors = schema_clean(schema, VALID | {"months": absurd})
        assert errors["months"] == ["Không được lớn hơn 999.999.999."], absurd
    _cleaned, errors = schema_clean(schema, VALID | {"months": "-" + "9" * 5000})
    assert errors["months"] == ["Không được nhỏ hơn 1."]
    cleaned, errors = schema_clean(schema, VALID | {"months": "999999999"})
    assert errors == {}
    assert cleaned["months"] == 999_999_999


def test_a_number_without_a_minimum_is_not_negative():
    schema = copy.deepcopy(SCHEMA)
    schema["sections"][0]["fields"].append(
        {"name": "area", "type": "number", "label": {"vi": "Diện tích", "en": "Area"}}
    )

    _cleaned, errors = schema_clean(schema, VALID | {"area": "-2"})

    assert errors["area"] == ["Không được nhỏ hơn 0."]


def test_a_schemas_own_bounds_replace_the_default_ones():
    schema = copy.deepcopy(SCHEMA)
    schema["sections"][0]["fields"].append(
        {
            "name": "level",
            "type": "number",
            "min": -5,
            "max": 2.5,
            "label": {"vi": "Mức", "en": "Level"},
        }
    )

    assert schema_clean(schema, VALID | {"level": "-5"})[1] == {}
    assert schema_clean(schema, VALID | {"level": "2,6"})[1]["level"] == [
        "Không được lớn hơn 2,5."
    ]


def test_file_fields_are_not_data():
    cleaned, errors = schema_clean(SCHEMA, VALID | {"file_giay": "x.pdf"})

    assert errors == {}
    assert "file_giay" not in cleaned


def test_unknown_keys_are_dropped():
    cleaned, _errors = schema_clean(SCHEMA, VALID | {"is_admin": True})

    assert "is_admin" not in cleaned


def test_one_section_is_checked_with_earlier_answers_for_its_conditions():
    earlier = {"father_known": True}

    cleaned, errors = schema_clean(
        SCHEMA, earlier | {"phone": "0912345678"}, section="lien-he"
    )

    assert errors == {}
    assert cleaned == {"phone": "0912345678"}


def test_a_broken_schema_is_refused_before_any_data_is_read():
    with pytest.raises(SchemaError) as raised:
        schema_clean(_broken(type="textt"), VALID)

    assert "loại “textt” không có" in raised.value.messages[0]


def test_admin_unit_must_be_valid_today_and_under_the_parent(tree):
    schema = {
        "version": 1,
        "sections": [
            {
                "key": "noi-o",
                "title": {"vi": "Nơi ở", "en": "Home"},
                "fields": [
                    {
                        "name": "unit",
                        "type": "admin_unit",
                        "parent": "999",
                        "required": True,
                        "label": {"vi": "Xã", "en": "Commune"},
                    }
                ],
            }
        ],
    }

    assert schema_clean(schema, {"unit": "99991"}) == ({"unit": "99991"}, {})
    assert schema_clean(schema, {"unit": "12345"})[1] == {
        "unit": ["Không có đơn vị hành chính mã “12345” còn hiệu lực hôm nay."]
    }
    assert schema_clean(schema, {"unit": "96"})[1] == {
        "unit": ["Đơn vị hành chính mã “96” không thuộc địa bàn của cổng."]
    }


def test_conditions_combine_with_all_and_in():
    data = {"a": "x", "b": True}

    assert schema_condition_holds({}, data)
    assert schema_condition_holds({"field": "a", "in": ["x", "y"]}, data)
    assert schema_condition_holds(
        {"all": [{"field": "a", "equals": "x"}, {"field": "b", "equals": True}]}, data
    )
    assert not schema_condition_holds({"field": "missing", "equals": None}, data)


# --- Property tests ------------------------------------------------------------------

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 50),
    st.text(max_size=30),
    st.sampled_from(["yes", "no", "2", "3", "05/09/2024", "0912345678", "male"]),
)
leaf_names = [
    "child.full_name",
    "child.date_of_birth",
    "child.sex",
    "father_known",
    "father.full_name",
    "father.date_of_birth",
    "father.personal_id",
    "copies",
    "count",
    "phone",
    "email",
    "note",
]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(leaf_names), values))
def test_clean_never_fails_and_its_output_cleans_to_itself(data):
    cleaned, errors = schema_clean(SCHEMA, data)

    assert set(errors) <= set(leaf_names)
    again, again_errors = schema_clean(SCHEMA, cleaned)
    if not errors:
        assert again_errors == {}
        assert again == cleaned


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(leaf_names), values))
def test_the_web_form_accepts_and_refuses_exactly_what_clean_does(data):
    raw = {
        k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
        for k, v in data.items()
    }
    form = schema_form_class(SCHEMA)(data=raw)

    valid = form.is_valid()

    cleaned, errors = schema_clean(SCHEMA, raw)
    assert valid == (not errors)
    assert {k: list(v) for k, v in form.errors.items()} == errors
    if valid:
        assert form.schema_data == cleaned


# --- Form, API fields, files, prefill ------------------------------------------------


def test_form_has_a_field_per_leaf_and_a_crispy_layout():
    form = schema_form_class(SCHEMA)()

    assert list(form.fields) == [
        *leaf_names[:7],
        "copies",
        "count",
        "phone",
        "email",
        "note",
        "file_giay",
        "file_cha",
    ]
    assert form.helper.form_tag is False
    assert form.fields["child.full_name"].label == "Họ, chữ đệm và tên"
    assert form.fields["father.personal_id"].required is True


def test_form_for_one_section_only_holds_that_section():
    form_class = schema_form_class(SCHEMA, section="lien-he")
    form = form_class(data={"phone": "0912345678"}, known_data={"father_known": True})

    assert list(form.fields) == ["phone", "email", "note", "file_giay", "file_cha"]
    assert form.is_valid(), form.errors
    assert form.schema_data == {"phone": "0912345678"}


def test_form_labels_follow_the_active_language():
    with translation.override("en"):
        form = schema_form_class(SCHEMA)()

    assert form.fields["child.full_name"].label == "Full name"
    assert (
        "Only needed when “Father known?” is “Yes”."
        in form.fields["file_cha"].help_text
    )


def test_form_renders_with_labels_for_every_input():
    form = schema_form_class(SCHEMA)()
    html = form.as_div()

    assert 'for="id_child.full_name"' in html
    assert 'aria-required="true"' in html
    assert " required" not in html  # conditional fields: the server decides


def test_api_fields_flatten_persons_and_carry_conditions():
    fields = {f["name"]: f for f in schema_api_fields(SCHEMA)}

    assert fields["father.personal_id"] == {
        "name": "father.personal_id",
        "label": "Cha: Số định danh cá nhân",
        "type": "personal_id",
        "required": True,
        "section": "tre",
        "help": "12 chữ số trên thẻ căn cước.",
        "show_if": {"field": "father_known", "equals": True},
        "block": "father",
        "block_required": True,
    }
    assert fields["count"]["choices"] == [
        {"value": "2", "label": "Hai"},
        {"value": "3", "label": "Ba"},
    ]
    assert fields["file_giay"]["document"] == "giay-chung-sinh"


def test_file_fields_follow_the_data():
    assert [f["name"] for f in schema_file_fields(SCHEMA)] == ["file_giay", "file_cha"]
    assert [f["name"] for f in schema_file_fields(SCHEMA, {"father_known": False})] == [
        "file_giay"
    ]


def test_prefill_maps_profile_values_to_fields():
    assert schema_prefill(SCHEMA, {"applicant.phone": "0912345678"}) == {
        "phone": "0912345678"
    }
    assert set(PREFILL_KEYS) >= {"applicant.full_name", "applicant.personal_id"}


def test_generic_schema_asks_for_the_applicant_and_each_document():
    schema = schema_generic(
        [
            {"key": "to-khai", "name": "Tờ khai", "name_en": "Form"},
            {
                "key": "giay-to-cu-tru",
                "name": "Cư trú",
                "name_en": "Residence",
                "required": True,
                "ecopy_from_national_db": True,
            },
        ]
    )

    assert schema_errors(schema, document_keys=["to-khai", "giay-to-cu-tru"]) == []
    files = schema_file_fields(schema)
    assert [(f["document"], f["required"]) for f in files] == [
        ("to-khai", True),
        ("giay-to-cu-tru", False),
    ]
    assert {f["prefill"] for f in schema_api_fields(schema) if "prefill" in f} <= set(
        PREFILL_KEYS
    )


# --- Properties: any JSON, and data generated from a schema ---------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)
# JSON close to a schema's shape, so the checker goes deep before it refuses:
# plausible names, types, labels and conditions, with odd values anywhere.
LABEL = {"vi": "Nhãn", "en": "Label"}
names = st.sampled_from(["a", "b", "child", "father_known", "a.b", "B", ""])
odd = json_values | st.integers(-(10**400), 10**400) | names


def mostly(good):
    """`good` four times in five, anything else otherwise."""
    return st.integers(0, 4).flatmap(lambda i: odd if i == 0 else good)


conditions = st.recursive(
    st.fixed_dictionaries(
        {"field": names | odd},
        optional={"equals": odd, "in": mostly(st.lists(odd, max_size=3))},
    ),
    lambda inner: st.fixed_dictionaries({"all": mostly(st.lists(inner, max_size=3))}),
    max_leaves=4,
)
choices = st.lists(
    st.fixed_dictionaries(
        {"value": mostly(st.sampled_from(["x", "y"])), "label": mostly(st.just(LABEL))},
        optional={"show_if": conditions},
    ),
    max_size=3,
)


def near_field(subfields):
    return st.fixed_dictionaries(
        {
            "name": mostly(names),
            "type": mostly(
                st.sampled_from(
                    [
                        "text",
                        "number",
                        "select",
                        "yesno",
                        "person",
                        "file",
                        "admin_unit",
                    ]
                )
            ),
            "label": mostly(st.just(LABEL)),
        },
        optional={
            "required": mostly(st.booleans()),
            "show_if": mostly(conditions),
            "choices": mostly(choices),
            "min": odd,
            "max": odd,
            "max_length": odd,
            "role": mostly(st.sampled_from(["child", "father"])),
            "document": mostly(st.just("giay-to")),
            "prefill": mostly(st.just("applicant.full_name")),
            "parent": mostly(st.just("36")),
            "no_future": odd,
            "fields": subfields,
        },
    )


near_fields = near_field(
    mostly(
        st.lists(
            mostly(st.sampled_from(["full_name", "sex", "nope"]) | near_field(odd)),
            max_size=3,
        )
    )
)
near_schemas = st.fixed_dictionaries(
    {"version": st.sampled_from([1, True, "1", None])},
    optional={
        "sections": st.lists(
            st.fixed_dictionaries(
                {
                    "key": mostly(st.sampled_from(["a", "b", "A b"])),
                    "title": mostly(st.just(LABEL)),
                    "fields": mostly(st.lists(near_fields, max_size=4)),
                },
                optional={"show_if": mostly(conditions)},
            ),
            max_size=3,
        )
    },
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(json_values, near_schemas))
def test_the_schema_checker_never_raises_on_any_json(schema):
    errors = schema_errors(schema)

    assert all(isinstance(error, str) and error for error in errors)
    if errors:
        with pytest.raises(SchemaError):
            schema_clean(schema, {})


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_clean_never_raises_on_any_json_data(data):
    cleaned, errors = schema_clean(SCHEMA, data)

    assert isinstance(cleaned, dict)
    assert all(isinstance(e, str) for messages in errors.values() for e in messages)


def _catalogue_schemas() -> list[tuple[str, dict[str, Any]]]:
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "procedures" / "data" / "procedures"
    found = [("test", SCHEMA)]
    for path in sorted(folder.glob("*.json")):
        entry = json.loads(path.read_text())
        if entry.get("form_schema"):
            found.append((path.stem, entry["form_schema"]))
    return found


def _valid_value(draw, field, person_context):
    """A value `schema_clean` must accept for `field` (None: leave it empty)."""
    from accounts.identifiers import PROVINCE_CODES, century_sex_digit

    kind = field["type"]
    if kind in ("text", "textarea"):
        limit = min(field.get("max_length", 200), 40)
        text = draw(st.text(alphabet="abcĐđàáạôơưỹ ,.-0123456789", max_size=limit))
        return text if text.strip() else "A"
    if kind == "number":
        low = int(field.get("min", -1000))
        high = int(field.get("max", 1000))
        return str(draw(st.integers(low, high)))
    if kind == "date":
        latest = (
            datetime.date.today()
            if field.get("no_future")
            else datetime.date(2100, 1, 1)
        )
        day = draw(st.dates(datetime.date(1900, 1, 1), latest))
        return draw(st.sampled_from([day.isoformat(), day.strftime("%d/%m/%Y")]))
    if kind == "yesno":
        return draw(st.sampled_from([True, False, "yes", "no", "có", "không"]))
    if kind == "phone":
        prefix = draw(st.sampled_from(["03", "05", "07", "08", "09", "+843", "+849"]))
        digits = draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
        return prefix + digits
    if kind == "email":
        user = draw(st.text(alphabet="abcxyz019", min_size=1, max_size=10))
        return f"{user}@example.com"
    if kind == "personal_id":
        born = person_context.get("date_of_birth")
        year = datetime.date.fromisoformat(born).year if born else 1985
        sex = person_context.get("sex") or draw(st.sampled_from(["male", "female"]))
        province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
        tail = draw(st.integers(0, 999_999))
        century = century_sex_digit(birth_year=year, sex=sex)
        return f"{province}{century}{year % 100:02d}{tail:06d}"
    return None  # admin_unit needs the database; file fields are not data


def schema_data(draw, schema):
    """Data for every visible field of `schema`, drawn field by field so that
    select choices and conditions see the answers before them."""
    from procedures.schema.cleaning import ROLE_SEX
    from procedures.schema.definitions import person_fields, section_fields, sections

    data: dict[str, Any] = {}
    values: dict[str, Any] = {}  # cleaned form, for the conditions
    for section in sections(schema):
        if not schema_condition_holds(section.get("show_if"), values):
            continue
        for field in section_fields(section):
            if not schema_condition_holds(field.get("show_if"), values):
                continue
            if field["type"] == "person":
                context = {"sex": ROLE_SEX.get(field.get("role", ""))}
                block: dict[str, Any] = {}
                subs = sorted(
                    person_fields(field), key=lambda s: s["type"] == "personal_id"
                )
                for sub in subs:
                    if not schema_condition_holds(sub.get("show_if"), values):
                        continue
                    if sub["type"] == "select":
                        value = draw(
                            st.sampled_from([c["value"] for c in sub["choices"]])
                        )
                    else:
                        value = _valid_value(draw, sub, context)
                    if value is None:
                        continue
                    block[sub["name"]] = value
                    if sub["type"] == "date":
                        day, month, year = (
                            value.split("/") if "/" in value else value.split("-")[::-1]
                        )
                        context["date_of_birth"] = f"{year}-{month}-{day}"
                    if sub["type"] == "select" and sub["name"] == "sex":
                        context["sex"] = value
                    values[f"{field['name']}.{sub['name']}"] = value
                data[field["name"]] = block
                continue
            if field["type"] == "select":
                choices = [
                    c["value"]
                    for c in field["choices"]
                    if schema_condition_holds(c.get("show_if"), values)
                ]
                if not choices:
                    continue
                value = draw(st.sampled_from(choices))
                values[field["name"]] = value
            else:
                value = _valid_value(draw, field, {})
                if value is None:
                    continue
                if field["type"] == "yesno":
                    values[field["name"]] = value in (True, "yes", "có")
                elif field["type"] == "number":
                    values[field["name"]] = int(value)
                else:
                    values[field["name"]] = value
            data[field["name"]] = value
    return data


CATALOGUE_SCHEMAS = _catalogue_schemas()


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(CATALOGUE_SCHEMAS), st.data())
def test_clean_accepts_whatever_is_generated_from_the_schema(named, data):
    name, schema = named
    answers = schema_data(data.draw, schema)

    cleaned, errors = schema_clean(schema, answers)

    # Administrative units are looked up in the database: left empty here.
    from procedures.schema.definitions import leaves

    admin_units = {leaf.name for leaf in leaves(schema) if leaf.type == "admin_unit"}
    assert set(errors) <= admin_units, (name, answers, errors)
    again, again_errors = schema_clean(schema, cleaned)
    assert again == cleaned
    assert set(again_errors) == set(errors)


LABEL_OK = {"vi": "Nhãn", "en": "Label"}


def _one_section(*fields):
    return {
        "version": 1,
        "sections": [{"key": "a", "title": LABEL_OK, "fields": list(fields)}],
    }


def _select(**changes):
    return {"name": "c", "type": "select", "label": LABEL_OK, **changes}


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        # Found by test_the_schema_checker_never_raises_on_any_json: each raised
        # TypeError or OverflowError instead of naming the problem.
        (
            _one_section(_select(choices=[{"value": {"a": 1}, "label": LABEL_OK}])),
            "“value” phải là một chuỗi không rỗng",
        ),
        (
            _one_section(
                _select(choices=[{"value": "v", "label": LABEL_OK}]),
                {
                    "name": "d",
                    "type": "text",
                    "label": LABEL_OK,
                    "show_if": {"field": "c", "in": [[1]]},
                },
            ),
            "không phải một lựa chọn của mục “c”",
        ),
        (
            _one_section(
                _select(choices=5),
                {
                    "name": "d",
                    "type": "text",
                    "label": LABEL_OK,
                    "show_if": {"field": "c", "equals": "v"},
                },
            ),
            "cần danh sách “choices” không rỗng",
        ),
        (
            _one_section(
                {
                    "name": "n",
                    "type": "number",
                    "label": LABEL_OK,
                    "min": 10**400,
                    "max": 1,
                }
            ),
            "“min” lớn hơn “max”",
        ),
    ],
)
def test_odd_json_in_a_schema_is_named_not_a_crash(schema, message):
    errors = schema_errors(schema)

    assert any(message in error for error in errors), errors
