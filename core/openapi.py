"""The API's OpenAPI schema: drf-spectacular's, plus the answers every operation can give
besides 200 and local times as they are sent (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"])."""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ApiErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the site's language.")


# 400 answers name each parameter that was refused with its messages.
VALIDATION_ERRORS = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "description": "Messages for each query parameter that was refused.",
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema plus what every operation can answer besides 200, and local
    times as they are sent."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        errors = {
            "404": OpenApiResponse(ApiErrorSerializer, description="No such object or page."),
            "429": OpenApiResponse(ApiErrorSerializer, description="Too many requests."),
        }
        if self._is_list_view():
            errors["400"] = OpenApiResponse(VALIDATION_ERRORS, description="Bad query parameters.")
        for code, response in sorted(errors.items()):
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            free_text = schema.get("type") == "string" and not (
                {"enum", "pattern", "format"} & schema.keys()
            )
            if parameter["in"] == "query" and free_text:
                # Text cannot carry a NUL character (PostgreSQL refuses it): say so, as the
                # answer to one is 400.
                schema["pattern"] = "^[^\\u0000]*$"
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField) and schema and schema.get("format") == "time":
            # Opening hours and club times are wall-clock times in Europe/Kyiv ("09:00:00"):
            # OpenAPI's `format: time` would demand a UTC offset that a weekly time cannot have.
            del schema["format"]
            schema["pattern"] = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
            schema.setdefault("description", "Local time in Kyiv, HH:MM:SS.")
        return schema
