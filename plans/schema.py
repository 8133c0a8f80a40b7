"""OpenAPI naming of the plans' choice sets.

drf-spectacular names an enum after the property that carries it, so `kind` and `status` of plans
would collide with the agencies' and values' ones (a warning that `check --deploy` turns into an
error). A NamedChoiceField carries its own component name instead.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers


class NamedChoiceField(serializers.ChoiceField):
    def __init__(self, choices, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        values = [v for v in field.choices if v not in ("", None)]
        component = ResolvedComponent(
            name=field.enum_name, type=ResolvedComponent.SCHEMA, object=field.enum_name,
            schema={"type": "string", "enum": values,
                    "description": "\n".join(f"* `{v}` - {label}" for v, label in field.choices.items() if v)},
        )
        auto_schema.registry.register_on_missing(component)
        if field.allow_blank or field.allow_null:
            schema = {"oneOf": [component.ref, {"type": "string", "enum": [""]}]} if field.allow_blank else {
                "allOf": [component.ref]}
            if field.allow_null:
                schema["nullable"] = True
            return schema
        return component.ref
