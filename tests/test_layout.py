"""The layout issue 12 asks for: assessments/ is its app label and three domain packages, nothing else."""

from django.apps import apps
from django.core.management import get_commands
from django.template import engines

from tests.conftest import ROOT

PACKAGES = {"catalog", "values", "scores"}


def test_assessments_holds_only_the_app_label_and_the_three_packages():
    here = {p.name for p in (ROOT / "assessments").iterdir() if p.name != "__pycache__"}
    assert here == {"__init__.py", "apps.py", "models.py", "migrations"} | PACKAGES
    assert all((ROOT / "assessments" / name / "README.md").is_file() for name in PACKAGES)


def test_the_models_keep_the_label_assessments_and_live_in_the_packages():
    models = [m for m in apps.get_app_config("assessments").get_models() if not m.__name__.startswith("Historical")]
    assert {m.__module__.split(".")[1] for m in models} == PACKAGES
    assert all(not list(apps.get_app_config(f"assessments_{name}").get_models()) for name in PACKAGES)


def test_commands_and_template_tags_are_found_in_their_packages():
    commands = get_commands()
    assert commands["load_framework"] == commands["create_period"] == "assessments.catalog"
    assert commands["import_values"] == commands["govit_feed_source"] == "assessments.values"
    assert commands["compute_scores"] == "assessments.scores"
    libraries = engines["django"].engine.libraries
    assert libraries["names"] == "assessments.scores.templatetags.names"
    assert libraries["scores"] == "assessments.scores.templatetags.scores"
