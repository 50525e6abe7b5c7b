"""Processing as officers practise it (issue 18): appraisal with a draft
result, signature, send-backs. Dossiers approved under the earlier flow (the
leader approved, the result not yet issued) are signed off in the new one
(docs/decisions.md, 234); their events stay as they were."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def approved_to_signed(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Dossier.objects.filter(status="approved").update(status="signed")


def signed_to_approved(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Dossier.objects.filter(status="signed").update(status="approved")
    Dossier.objects.filter(status__in=["appraised", "awaiting_signature"]).update(
        status="processing"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0014_result_register_book"),
        ("procedures", "0005_anywhere_in_province"),
        ("units", "0003_orgunit_dated_kinds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ResultDraft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("title", models.CharField(max_length=255, verbose_name="tên kết quả")),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        upload_to="result-drafts/%Y/%m",
                        verbose_name="dự thảo kết quả",
                    ),
                ),
                ("original_name", models.CharField(blank=True, max_length=255)),
                (
                    "generate",
                    models.BooleanField(
                        default=False, verbose_name="tạo từ dữ liệu hồ sơ"
                    ),
                ),
                (
                    "appraised_at",
                    models.DateTimeField(verbose_name="thời điểm thẩm định"),
                ),
            ],
            options={
                "verbose_name": "dự thảo kết quả",
                "verbose_name_plural": "dự thảo kết quả",
            },
        ),
        migrations.RemoveConstraint(
            model_name="dossier",
            name="dossier_status_known",
        ),
        migrations.AddField(
            model_name="dossier",
            name="send_back_count",
            field=models.PositiveSmallIntegerField(db_default=0, default=0),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="status",
            field=models.CharField(
                choices=[
                    ("submitted", "Mới nộp, chờ tiếp nhận"),
                    ("received", "Đã tiếp nhận"),
                    ("supplement_requested", "Yêu cầu bổ sung hồ sơ"),
                    ("awaiting_payment", "Chờ nộp phí, lệ phí"),
                    ("processing", "Đang xử lý"),
                    ("appraised", "Đã thẩm định, chờ trình ký"),
                    ("awaiting_signature", "Chờ lãnh đạo ký duyệt"),
                    ("signed", "Đã ký duyệt, chờ phát hành kết quả"),
                    ("result_ready", "Đã có kết quả, chờ trả"),
                    ("returned", "Đã trả kết quả"),
                    ("refused", "Từ chối giải quyết"),
                    ("withdrawn", "Công dân rút hồ sơ"),
                    ("stopped", "Dừng xử lý"),
                ],
                db_index=True,
                default="submitted",
                max_length=24,
                verbose_name="trạng thái",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("submitted", "Mới nộp, chờ tiếp nhận"),
                    ("received", "Đã tiếp nhận"),
                    ("supplement_requested", "Yêu cầu bổ sung hồ sơ"),
                    ("awaiting_payment", "Chờ nộp phí, lệ phí"),
                    ("processing", "Đang xử lý"),
                    ("appraised", "Đã thẩm định, chờ trình ký"),
                    ("awaiting_signature", "Chờ lãnh đạo ký duyệt"),
                    ("signed", "Đã ký duyệt, chờ phát hành kết quả"),
                    ("result_ready", "Đã có kết quả, chờ trả"),
                    ("returned", "Đã trả kết quả"),
                    ("refused", "Từ chối giải quyết"),
                    ("withdrawn", "Công dân rút hồ sơ"),
                    ("stopped", "Dừng xử lý"),
                ],
                max_length=24,
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="to_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("submitted", "Mới nộp, chờ tiếp nhận"),
                    ("received", "Đã tiếp nhận"),
                    ("supplement_requested", "Yêu cầu bổ sung hồ sơ"),
                    ("awaiting_payment", "Chờ nộp phí, lệ phí"),
                    ("processing", "Đang xử lý"),
                    ("appraised", "Đã thẩm định, chờ trình ký"),
                    ("awaiting_signature", "Chờ lãnh đạo ký duyệt"),
                    ("signed", "Đã ký duyệt, chờ phát hành kết quả"),
                    ("result_ready", "Đã có kết quả, chờ trả"),
                    ("returned", "Đã trả kết quả"),
                    ("refused", "Từ chối giải quyết"),
                    ("withdrawn", "Công dân rút hồ sơ"),
                    ("stopped", "Dừng xử lý"),
                ],
                max_length=24,
            ),
        ),
        migrations.RunPython(approved_to_signed, signed_to_approved),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "submitted",
                            "received",
                            "supplement_requested",
                            "awaiting_payment",
                            "processing",
                            "appraised",
                            "awaiting_signature",
                            "signed",
                            "result_ready",
                            "returned",
                            "refused",
                            "withdrawn",
                            "stopped",
                        ],
                    )
                ),
                name="dossier_status_known",
            ),
        ),
        migrations.AddField(
            model_name="resultdraft",
            name="appraised_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="resultdraft",
            name="dossier",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="result_draft",
                to="dossiers.dossier",
            ),
        ),
        migrations.AddConstraint(
            model_name="resultdraft",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("generate", True), ("file", "")),
                    models.Q(
                        ("generate", False), models.Q(("file", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="resultdraft_file_or_generate",
            ),
        ),
    ]
