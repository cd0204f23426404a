"""Forms of the brand's binding pages. They check what the I02 form needs (the same checks as the API's
serializers); the rules that depend on the state (eligibility, cooldown, the enterprise) stay in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import RedAccount
from kos_platform.guard import check_text
from kos_platform.validators import validate_resident_id

from . import proofs
from .choices import BindingStatus, InvitationStatus, Mode, Position
from .proofs import MAX_PROOF_BYTES, clean_proof
from .services import EmployeeDetails

PROOF_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def _blank(choices) -> list:
    return [("", _("All")), *choices]


class RedIdField(forms.CharField):
    """A RED ID (小红书号), cleaned to the RedAccount it names."""

    default_error_messages = {"does_not_exist": _("No Xiaohongshu account has this RED ID.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def clean(self, value):
        red_id = super().clean(value)
        if not red_id:
            return None
        account = RedAccount.objects.filter(red_id=red_id).first()
        if account is None:
            raise ValidationError(self.error_messages["does_not_exist"], code="does_not_exist")
        return account


class ProofField(forms.FileField):
    """An employment proof (在职证明/劳动合同): PDF, JPEG or PNG from its content, ≤ 10 MB, metadata dropped."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Employment certificate or labour contract"))
        kwargs.setdefault("error_messages", {"required": _("Upload the employment certificate or labour contract.")})
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": PROOF_ACCEPT, "data-max-bytes": MAX_PROOF_BYTES})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None and not self.required:
            return None  # the bind wizard may hold a kept draft instead (InvitationForm.clean)
        return clean_proof(upload)


class EmployeeDetailsForm(forms.Form):
    """The employee part of the I02 form: name, ID number, proof, position, region."""

    name = forms.CharField(
        label=_("Full name"),
        min_length=1,
        max_length=24,
        validators=[check_text],
        widget=forms.TextInput(attrs={"placeholder": _("The employee's real name"), "autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        min_length=18,
        widget=forms.TextInput(
            attrs={"placeholder": _("The employee's resident ID number"), "autocomplete": "off", "inputmode": "text"}
        ),
    )
    proof = ProofField()
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices, widget=forms.RadioSelect)
    region = forms.CharField(
        label=_("Region"),
        max_length=50,
        validators=[check_text],
        widget=forms.TextInput(attrs={"placeholder": _("For example 上海·静安"), "list": "region-options"}),
    )

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        validate_resident_id(value)
        return value

    def details(self) -> EmployeeDetails:
        data = self.cleaned_data
        return EmployeeDetails(
            name=data["name"],
            id_number=data["id_number"],
            position=data["position"],
            region=data["region"],
            proof=data["proof"],
        )


class InvitationForm(EmployeeDetailsForm):
    """The bind wizard: the four steps of the deck. Each step is checked on its own (`step_errors`) as the user
    moves on, and the whole form again on submit. The proof is uploaded once: kept as a draft of this workspace's
    user (`keep_proof`) and sent back as `proof_token`, it stands in for the file until the invitation exists."""

    proof = ProofField(required=False)
    proof_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    mode = forms.ChoiceField(label=_("Binding mode"), choices=Mode.choices, widget=forms.RadioSelect)
    red_id = RedIdField(
        label=_("RED ID"),
        widget=forms.TextInput(attrs={"placeholder": _("The account's RED ID (小红书号)"), "autocomplete": "off"}),
    )
    commitment_signed = forms.BooleanField(
        label=_("I have read and sign the commitment letter"),
        error_messages={"required": _("The commitment letter must be signed.")},
    )
    agreement_signed = forms.BooleanField(
        label=_("I have read and sign the service agreement"),
        error_messages={"required": _("The service agreement must be signed.")},
    )

    field_order = ("mode", "red_id", "name", "id_number", "proof", "region", "position")

    # Which wizard step holds each field (1 确认员工信息, 2 选择岗位, 3 查看员工号权限, 4 签署承诺书).
    STEPS = {
        "mode": 1,
        "red_id": 1,
        "name": 1,
        "id_number": 1,
        "proof": 1,
        "region": 1,
        "proof_token": 1,
        "position": 2,
        "commitment_signed": 4,
        "agreement_signed": 4,
    }

    def __init__(self, *args, workspace=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.draft = None  # the kept proof this form uses or keeps
        token = self.data.get("proof_token") if self.is_bound else None
        if workspace is not None and token:
            self.draft = proofs.draft_find(workspace=workspace, token=token)  # another's token finds nothing

    def clean(self):
        data = super().clean()
        if "proof" in self.errors:
            return data
        if data.get("proof") is None:
            kept = proofs.draft_proof(self.draft) if self.draft else None
            if kept is None:
                self.draft = None
                self.add_error("proof", self.fields["proof"].error_messages["required"])
            else:
                data["proof"] = kept
        return data

    def step_errors(self, step: int) -> dict[str, list[str]]:
        """The errors of one step's fields, in the user's language (the form must have been validated)."""
        return {
            name: [str(message) for message in messages]
            for name, messages in self.errors.items()
            if self.STEPS.get(name) == step
        }

    def first_invalid_step(self) -> int:
        steps = [self.STEPS.get(name, 1) for name in self.errors]
        return min(steps) if steps else 1

    @property
    def uploaded(self) -> bool:
        """A new proof file came with this submission (it replaces any kept draft)."""
        return bool(self.files.get("proof"))

    def keep_proof(self):
        """After a refused step or submit: keep a valid newly uploaded proof as a draft, so it is not asked again;
        returns the draft in use (or None)."""
        proof = self.cleaned_data.get("proof") if hasattr(self, "cleaned_data") else None
        if self.uploaded and proof is not None and "proof" not in self.errors:
            self.draft = proofs.draft_keep(
                workspace=self.workspace, proof=proof, upload=self.files["proof"], replaces=self.draft
            )
        return self.draft


class HandoverForm(EmployeeDetailsForm):
    """B04: the next holder of an enterprise-owned account."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("For example: the previous holder left the company")}),
    )


class RebindForm(forms.Form):
    """B05: the new account that replaces the bound one."""

    red_id = RedIdField(
        label=_("RED ID of the new account"),
        widget=forms.TextInput(attrs={"placeholder": _("The new account's RED ID"), "autocomplete": "off"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
    )


class BindingFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("RED ID, nickname or employee name")}),
    )
    mode = forms.ChoiceField(label=_("Binding mode"), required=False, choices=_blank(Mode.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(BindingStatus.choices))
    position = forms.ChoiceField(label=_("Position"), required=False, choices=_blank(Position.choices))
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _blank([(region, region) for region in regions])


class InvitationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(InvitationStatus.choices))
    mode = forms.ChoiceField(label=_("Binding mode"), required=False, choices=_blank(Mode.choices))


class BatchForm(forms.Form):
    table = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    proofs = forms.FileField(
        label=_("Proof files (ZIP, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
