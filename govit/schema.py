"""OpenAPI post-processing: document the error answers every endpoint can give (api.md, Errors)."""


ERROR_SCHEMA = {
    "type": "object",
    "description": 'Either {"detail": "..."} or field errors {"field": ["message"]}; messages follow Accept-Language.',
    "additionalProperties": True,
}
COMMON = {
    "400": "Bad request: field errors or a clear message",
    "401": "Not signed in",
    "403": "Signed in but not allowed",
    "404": "Not found, or outside the caller's scope",
    "429": "Throttled",
}
WRITES = {"409": "Illegal workflow transition or stale version", "413": "Upload too large"}


def add_error_responses(result, generator, request, public):  # noqa: ARG001 - hook signature
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            codes = dict(COMMON)
            if method in ("post", "put", "patch", "delete"):
                codes.update(WRITES)
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, "content": ref})
    return result
