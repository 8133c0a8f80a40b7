"""Serializers of the indicator-value endpoints (api.md)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.values.importer import IMPORT_STATUSES, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from assessments.values.models import IndicatorValue, ValueStatus

VALUE_SCHEMA = {"oneOf": [{"type": "number"}, {"type": "boolean"}], "nullable": True,
                "description": "Percent, count and level: a number; boolean: true/false; ratio: null."}


class IndicatorValueSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    framework = serializers.CharField(source="indicator.framework.code")
    framework_version = serializers.CharField(source="indicator.framework.version")
    period = serializers.IntegerField(source="period.year")
    indicator = serializers.CharField(source="indicator.code")
    indicator_type = serializers.CharField(source="indicator.type")
    value = serializers.SerializerMethodField()
    updated_by = serializers.CharField(source="updated_by.username", allow_null=True, default=None)

    class Meta:
        model = IndicatorValue
        fields = ["id", "agency", "framework", "framework_version", "period", "indicator", "indicator_type",
                  "value", "numerator", "denominator", "note", "evidence_url", "status", "na_reason",
                  "reject_reason", "version", "updated_by", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(VALUE_SCHEMA)
    def get_value(self, obj):
        if obj.value_bool is not None:
            return obj.value_bool
        return None if obj.value_decimal is None else float(obj.value_decimal)


@extend_schema_field({"oneOf": [{"type": "string", "maxLength": 5000}, {"type": "number"}, {"type": "boolean"}],
                      "nullable": True})
class CellField(serializers.Field):
    """A cell as the client typed it: text, a number or true/false; checked later by values.fields."""

    default_error_messages = {"invalid": _("Expected text, a number or true/false."),
                              "max_length": _("Ensure this field has no more than 5000 characters."),
                              "null": _("Null characters are not allowed.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool | int | float):
            return data
        if not isinstance(data, str):
            self.fail("invalid")
        if len(data) > 5000:
            self.fail("max_length")
        if "\x00" in data:
            self.fail("null")
        return data

    def to_representation(self, value):
        return value


def _loose(**kwargs):
    return CellField(required=False, **kwargs)


class ValueWriteSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=50)
    framework = serializers.CharField(max_length=50)
    period = serializers.IntegerField(min_value=1900, max_value=2100, help_text="Year of the period")
    indicator = serializers.CharField(max_length=50)
    value = _loose(help_text="Percent, count, level or yes/no; not for ratios")
    numerator = _loose()
    denominator = _loose()
    note = _loose()
    evidence_url = _loose()
    na_reason = _loose(help_text="Why the indicator does not apply to the agency: claims N/A instead of a value "
                                 "(no value, numerator or denominator then); a reviewer accepts it by verifying")
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**31 - 1,
                                       help_text="The version the edit is based on (required to edit an "
                                                 "existing value)")


class BulkBaseSerializer(serializers.Serializer):
    framework = serializers.CharField(max_length=50)
    period = serializers.IntegerField(min_value=1900, max_value=2100, help_text="Year of the period")
    # Plain text rather than an enum (whose name would collide with ValueStatus in the schema); the
    # importer refuses other statuses with a row-style error.
    status = serializers.CharField(max_length=20, default=ValueStatus.DRAFT,
                                   help_text=f"One of {', '.join(IMPORT_STATUSES)}; draft by default")


class BulkFileSerializer(BulkBaseSerializer):
    file = serializers.FileField(help_text="CSV or XLSX, columns as formats.md §2")


class BulkRowsSerializer(BulkBaseSerializer):
    rows = serializers.ListField(
        child=serializers.DictField(child=CellField()),
        help_text=f"Rows with the CSV columns: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}",
    )


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    message_vi = serializers.CharField()
    message_en = serializers.CharField()


class BulkErrorsSerializer(serializers.Serializer):
    errors = RowErrorSerializer(many=True)


class TransitionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**31 - 1,
                                       help_text="The version the action is based on")


class RejectSerializer(TransitionSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Why, for the agency to read")


class ValueConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current_version = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(allow_null=True)
