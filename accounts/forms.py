from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import Agency


class AgencyReportForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.order_by("name"))


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.OPERATOR)
