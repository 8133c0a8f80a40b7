from django.apps import AppConfig


class ScoresConfig(AppConfig):
    """Installed for its command (compute_scores), its template tags (names, scores) and so that Celery finds its
    tasks; its models belong to the app `assessments`."""

    name = "assessments.scores"
    label = "assessments_scores"
