from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "heard.letters"
    default_auto_field = "django.db.models.BigAutoField"
