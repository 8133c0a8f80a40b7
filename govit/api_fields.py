"""Serializer fields shared by the API's domains."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govit.i18n import local_name


@extend_schema_field(OpenApiTypes.STR)
class LocalName(serializers.Field):
    """`name`: the object's name in the request's language (`name_en` in English when there is one, else
    `name_vi`); read only."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return local_name(obj)
