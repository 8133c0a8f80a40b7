from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Installed for its commands (load_framework, create_period); its models belong to the app `assessments`."""

    name = "assessments.catalog"
    label = "assessments_catalog"
