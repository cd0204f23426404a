"""Forms of the staff review console (mounted under /platform/)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import BindingStatus, InvitationStatus, Mode


class ReasonForm(forms.Form):
    """A required reason: rejecting an invitation, removing a binding for a violation."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("A reason is required.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("A reason is required."), code="required")
        return reason


class InvitationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("all", _("All statuses")), *InvitationStatus.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "style": "min-width: 19rem",
                "placeholder": _("Enterprise, RED ID or employee name"),
            }
        ),
    )


class BindingFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "style": "min-width: 19rem",
                "placeholder": _("RED ID, nickname or holder name"),
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *BindingStatus.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        required=False,
        choices=[("", _("All modes")), *Mode.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )
