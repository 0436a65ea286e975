from django.apps import AppConfig


class StoreConfig(AppConfig):
    """Tables are named ``pressroom_*``: the app label is the project's name."""

    name = "pressroom.store"
    label = "pressroom"
    verbose_name = "Pressroom"
    default_auto_field = "django.db.models.BigAutoField"
