from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.scores.models import AgencyScore, ScoreRun


class PillarScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    points = serializers.FloatField()
    max_points = serializers.FloatField()
    index = serializers.FloatField()


class AgencyBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ScoreSerializer(serializers.ModelSerializer):
    agency = serializers.SerializerMethodField()
    framework = serializers.CharField(source="framework.code")
    framework_version = serializers.CharField(source="framework.version")
    period = serializers.IntegerField(source="period.year")
    index = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False)
    points = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)
    max_points = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)
    delta = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)
    verified_share = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False)
    pillars = serializers.SerializerMethodField()
    run = serializers.IntegerField(source="run_id")

    class Meta:
        model = AgencyScore
        fields = ["agency", "framework", "framework_version", "period", "index", "points", "max_points", "rank",
                  "group", "level", "delta", "verified_share", "pillars", "computed_at", "run"]

    def to_representation(self, obj) -> dict:
        """The declared fields, built directly: DRF's per-field machinery was most of a 500-row page's time."""
        return {
            "agency": self.get_agency(obj),
            "framework": obj.framework.code,
            "framework_version": obj.framework.version,
            "period": obj.period.year,
            # Decimals straight from their columns (6 and 4 places), written as JSON numbers.
            "index": obj.index,
            "points": obj.points,
            "max_points": obj.max_points,
            "rank": obj.rank,
            "group": obj.group,
            "level": obj.level,
            "delta": obj.delta,
            "verified_share": obj.verified_share,
            "pillars": self.get_pillars(obj),
            "computed_at": self.fields["computed_at"].to_representation(obj.computed_at),
            "run": obj.run_id,
        }

    @extend_schema_field(AgencyBriefSerializer)
    def get_agency(self, obj) -> dict:
        english = get_language() == "en" and obj.agency.name_en
        return {"code": obj.agency.code, "name": obj.agency.name_en if english else obj.agency.name_vi}

    @extend_schema_field(PillarScoreSerializer(many=True))
    def get_pillars(self, obj) -> list[dict]:
        names = self.context.get("pillar_names", {}).get(obj.framework_id, {})
        english = get_language() == "en"
        out = []
        for p in obj.pillars:
            vi, en = names.get(p["code"], (p["code"], ""))
            out.append({**p, "name": en if english and en else vi})
        return out


class BreakdownLineSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    pillar = serializers.CharField()
    status = serializers.CharField(help_text="counted, missing or not_applicable")
    value_status = serializers.CharField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    s = serializers.FloatField(allow_null=True)
    points = serializers.FloatField(allow_null=True)
    max_points = serializers.FloatField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True)
    legal_basis = serializers.ListField(child=serializers.CharField())
    value_source = serializers.ChoiceField(["measured", "reported"], allow_null=True,
                                           help_text="measured by a feed source or reported by a person; null: none")
    measured_by = serializers.CharField(allow_null=True, help_text="the feed source's code")
    measured_at = serializers.DateTimeField(allow_null=True, help_text="when its latest observation was made")


class BreakdownSerializer(ScoreSerializer):
    breakdown = BreakdownLineSerializer(many=True)

    def to_representation(self, obj) -> dict:
        lines = self.fields["breakdown"].to_representation(obj.breakdown)
        return {**super().to_representation(obj), "breakdown": lines}

    class Meta(ScoreSerializer.Meta):
        fields = [*ScoreSerializer.Meta.fields, "breakdown"]


class ScoreRunSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.code", read_only=True)
    framework_version = serializers.CharField(source="framework.version", read_only=True)
    period = serializers.IntegerField(source="period.year", read_only=True)
    progress = serializers.SerializerMethodField()
    started_by = serializers.CharField(source="started_by.username", read_only=True, allow_null=True)

    class Meta:
        model = ScoreRun
        fields = ["id", "framework", "framework_version", "period", "status", "progress", "reason", "scope_groups",
                  "started_by", "requested_at", "started_at", "finished_at", "duration_seconds", "attempts",
                  "agencies_count", "values_count", "error"]
        read_only_fields = fields

    def get_progress(self, obj) -> float:
        from assessments.scores.runs import run_progress

        return run_progress(obj)


class ScoreRunRequestSerializer(serializers.Serializer):
    framework = serializers.CharField()
    period = serializers.IntegerField(min_value=1990, max_value=2100)
