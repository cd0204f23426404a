from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics and incentives")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from bindings.models import Binding, BindingHolder

        from . import data_version

        for model in (Binding, BindingHolder):
            post_save.connect(data_version.changed, sender=model, dispatch_uid=f"data_version_{model.__name__}")
            post_delete.connect(data_version.changed, sender=model, dispatch_uid=f"data_version_del_{model.__name__}")
