import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Letters are saved as files: keep each test's files in its own directory.
    settings.MEDIA_ROOT = tmp_path / "media"
