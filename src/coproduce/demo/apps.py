from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network. It calls every capability's services, so it sits on top of them all."""

    name = "coproduce.demo"
    label = "demo"
    verbose_name = "Demo network"
