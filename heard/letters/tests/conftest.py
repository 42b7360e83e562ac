import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Letters are saved as files: keep each test's files in its own directory.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _shipped_letter_templates(db):
    """The data migration seeds the shipped templates, but a browser test before this one (a flushed
    transaction) empties the table; put them back so every test starts from what a council installs."""
    from heard.letters.defaults import DEFAULT_TEMPLATES
    from heard.letters.models import LetterTemplate

    for kind, (title, body) in DEFAULT_TEMPLATES.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
