from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import Agency, User


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


class TeamMemberForm(forms.Form):
    """成员管理: add a member — an existing login by its username, or a new login with a password (Django's password
    validators apply); a name and an e-mail are kept for a new login only."""

    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.OPERATOR)
    display_name = forms.CharField(label=_("Name"), max_length=64, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    password = forms.CharField(
        label=_("Password"), max_length=128, required=False, strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [choice for choice in Role.choices if choice[0] in roles]

    def clean(self):
        data = super().clean()
        username = data.get("username")
        if not username or User.objects.filter(username=username).exists():
            return data
        password = data.get("password")
        if not password:
            self.add_error("password", _("A new login needs a password."))
            return data
        try:
            validate_password(password, User(username=username, email=data.get("email", "")))
        except ValidationError as error:
            self.add_error("password", error)
        return data


class TeamRoleForm(forms.Form):
    """成员管理: a member's new role."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
