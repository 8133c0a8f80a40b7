from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govit.api_fields import LocalName
from govit.i18n import local_name

from .models import Agency, AgencyLineage


class AgencyRefSerializer(serializers.ModelSerializer):
    name = LocalName()

    class Meta:
        model = Agency
        fields = ["code", "name", "name_vi", "name_en", "kind", "valid_from", "valid_to"]

    def to_representation(self, obj) -> dict:
        # Built directly: the registry is read by every page and client, and DRF's per-field
        # machinery (signature inspection of each attribute) cost more than the query.
        return {
            "code": obj.code, "name": local_name(obj), "name_vi": obj.name_vi, "name_en": obj.name_en,
            "kind": obj.kind, "valid_from": _iso(obj.valid_from), "valid_to": _iso(obj.valid_to),
        }


def _iso(day) -> str | None:
    return None if day is None else day.isoformat()


class AgencySerializer(AgencyRefSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    group = serializers.CharField(read_only=True)
    parent = AgencyRefSerializer(read_only=True, allow_null=True)
    children_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code", "name", "name_vi", "name_en", "kind", "kind_display", "group", "parent",
            "valid_from", "valid_to", "code_status", "children_count",
        ]

    def to_representation(self, obj) -> dict:
        parent = obj.parent
        data = {
            **super().to_representation(obj),
            "kind_display": str(obj.get_kind_display()),
            "group": obj.group,
            "parent": None if parent is None else AgencyRefSerializer.to_representation(self, parent),
            "code_status": obj.code_status,
            "children_count": getattr(obj, "children_count", None),
        }
        return {name: data[name] for name in AgencySerializer.Meta.fields}  # in the documented order


class LineageLinkSerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    event = serializers.CharField()
    date = serializers.DateField()
    legal_act = serializers.CharField()
    weight = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)


class AgencyDetailSerializer(AgencySerializer):
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()
    source = serializers.CharField(read_only=True)

    class Meta(AgencySerializer.Meta):
        fields = [*AgencySerializer.Meta.fields, "source", "predecessors", "successors"]

    def to_representation(self, obj) -> dict:
        return {**super().to_representation(obj), "source": obj.source,
                "predecessors": self.get_predecessors(obj), "successors": self.get_successors(obj)}

    @staticmethod
    def _links(links: list[AgencyLineage], side: str) -> list[dict]:
        rows = [
            {"agency": getattr(link, side), "event": link.event, "date": link.date,
             "legal_act": link.legal_act, "weight": link.weight}
            for link in links
        ]
        return LineageLinkSerializer(rows, many=True).data

    @extend_schema_field(LineageLinkSerializer(many=True))
    def get_predecessors(self, obj):
        return self._links(self.context["lineage"][0], "predecessor")

    @extend_schema_field(LineageLinkSerializer(many=True))
    def get_successors(self, obj):
        return self._links(self.context["lineage"][1], "successor")
