from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import Agency


class AgencyReportForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.order_by("name"))


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.OPERATOR)


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form for the page, which asks for the new password twice; whether the old one is right and the new
    one passes the password rules is `services.user_password_change`'s to say (its errors land on these fields)."""

    SERVICE_FIELDS = {"old_password": "old_password", "new_password": "new_password2"}

    def clean_old_password(self):
        return self.cleaned_data["old_password"]

    def validate_password_for_user(self, user, password_field_name="password2"):
        pass
