# Shared pytest plugins: fixtures every app's tests use.
pytest_plugins = ["heard.testing.fixtures"]
