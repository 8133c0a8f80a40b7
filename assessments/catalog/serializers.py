"""Serializers of the catalog endpoints: frameworks with their pillars, indicators and legal bases, periods (api.md)."""

from rest_framework import serializers

from assessments.catalog.models import Framework, Indicator, LegalBasis, Period, Pillar
from govit.api_fields import LocalName


class LegalBasisSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code")
    title_vi = serializers.CharField(source="source.title_vi")
    title_en = serializers.CharField(source="source.title_en")
    issued = serializers.DateField(source="source.issued", allow_null=True)

    class Meta:
        model = LegalBasis
        fields = ["source", "title_vi", "title_en", "issued", "article", "clause", "note_vi", "note_en"]


class IndicatorSerializer(serializers.ModelSerializer):
    name = LocalName()
    max_points = serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=False)
    legal_basis = LegalBasisSerializer(many=True)

    class Meta:
        model = Indicator
        fields = ["code", "name", "name_vi", "name_en", "type", "min_level", "max_level", "normalization",
                  "max_points", "applies_to", "evidence_vi", "evidence_en", "legal_basis"]


class PillarSerializer(serializers.ModelSerializer):
    name = LocalName()
    weight = serializers.DecimalField(max_digits=12, decimal_places=6, coerce_to_string=False, allow_null=True)
    indicators = IndicatorSerializer(many=True)

    class Meta:
        model = Pillar
        fields = ["code", "name", "name_vi", "name_en", "weight", "indicators"]


class FrameworkSerializer(serializers.ModelSerializer):
    name = LocalName()

    class Meta:
        model = Framework
        fields = ["code", "version", "name", "name_vi", "name_en", "loaded_at"]


class LegalSourceSerializer(serializers.Serializer):
    code = serializers.CharField()
    title_vi = serializers.CharField()
    title_en = serializers.CharField()
    issued = serializers.DateField(allow_null=True)


class FrameworkDetailSerializer(FrameworkSerializer):
    versions = serializers.SerializerMethodField()
    legal_sources = LegalSourceSerializer(many=True)
    pillars = PillarSerializer(many=True)

    class Meta(FrameworkSerializer.Meta):
        fields = [*FrameworkSerializer.Meta.fields, "description_vi", "description_en", "levels", "versions",
                  "legal_sources", "pillars"]

    def get_versions(self, obj) -> list[str]:
        return self.context.get("versions", [obj.version])


class PeriodSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework_code")

    class Meta:
        model = Period
        fields = ["id", "framework", "year", "deadline", "status", "closed_at"]
