from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "coproduce.spaces"
    label = "spaces"
    verbose_name = "Spaces"
