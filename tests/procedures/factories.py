import datetime
from typing import Any

import factory
from django.utils import timezone

from procedures.models import (
    Announcement,
    Document,
    Faq,
    Field,
    Guide,
    GuideStep,
    Kind,
    LifeEvent,
    LinkedStep,
    Procedure,
    Verified,
)
from procedures.services import procedure_save
from units.models import AgencyType

SIMPLE_SCHEMA: dict[str, Any] = {
    "version": 1,
    "sections": [
        {
            "key": "nguoi-nop",
            "title": {"vi": "Người nộp", "en": "Applicant"},
            "fields": [
                {
                    "name": "full_name",
                    "type": "text",
                    "required": True,
                    "label": {"vi": "Họ và tên", "en": "Full name"},
                }
            ],
        }
    ],
}


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"linh-vuc-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"su-kien-{n}")
    name = factory.Sequence(lambda n: f"Sự kiện {n}")
    name_en = factory.Sequence(lambda n: f"Event {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    """A procedure saved through the service, so its search columns are set."""

    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"thu-tuc-{n}")
    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử số {n}")
    name_en = factory.Sequence(lambda n: f"Test procedure {n}")
    field = factory.SubFactory(FieldFactory)
    agency_type = AgencyType.COMMUNE_COMMITTEE
    agency_level = "commune"
    processing_days = 3
    fee_online_vnd = 0
    fee_counter_vnd = 0
    verified = Verified.YES
    source = "test"
    form_schema = factory.LazyFunction(lambda: SIMPLE_SCHEMA)

    class Params:
        linked = factory.Trait(kind=Kind.LINKED)
        list_only = factory.Trait(
            submittable=False,
            where_done="Thanh toán trên Cổng Dịch vụ công quốc gia.",
            verified=Verified.LIST_ONLY,
            form_schema={},
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return procedure_save(procedure=model_class(**kwargs), edited_locally=False)

    @factory.post_generation
    def life_events(self, create, extracted, **kwargs):
        if create and extracted:
            self.life_events.set(extracted)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    procedure = factory.SubFactory(ProcedureFactory)
    key = factory.Sequence(lambda n: f"giay-to-{n}")
    name = factory.Sequence(lambda n: f"Giấy tờ {n}")
    name_en = factory.Sequence(lambda n: f"Document {n}")


class LinkedStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LinkedStep

    group = factory.SubFactory(ProcedureFactory, linked=True)
    order = factory.Sequence(lambda n: n + 1)
    procedure = factory.SubFactory(ProcedureFactory)
    agency_type = AgencyType.COMMUNE_COMMITTEE


class FaqFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faq

    procedure = factory.SubFactory(ProcedureFactory)
    order = factory.Sequence(lambda n: n)
    question = factory.Sequence(lambda n: f"Câu hỏi số {n}?")
    question_en = factory.Sequence(lambda n: f"Question {n}?")
    answer = "Câu trả lời."
    answer_en = "The answer."


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    slug = factory.Sequence(lambda n: f"huong-dan-{n}")
    title = factory.Sequence(lambda n: f"Hướng dẫn {n}")
    title_en = factory.Sequence(lambda n: f"Guide {n}")
    summary = "Tóm tắt."
    summary_en = "Summary."


class GuideStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideStep

    guide = factory.SubFactory(GuideFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "Bấm nút."
    text_en = "Press the button."


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    title = factory.Sequence(lambda n: f"Thông báo {n}")
    title_en = factory.Sequence(lambda n: f"Notice {n}")
    body = "Nội dung thông báo."
    body_en = "Body of the notice."
    published_from = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=1)
    )
