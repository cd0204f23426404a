"""Factories for invitations and bindings, for states the services would take many steps to reach (many rows,
or a row the rules would refuse). Holder fields copy the account's real-name record, so acceptance matches."""

from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from bindings.choices import BindingStatus, InvitationStatus, Mode
from bindings.models import ACCEPT_WITHIN_HOURS, Binding, BindingHolder, Invitation
from kos_platform import clock

from ..factories import EnterpriseFactory, RedAccountFactory
from .helpers import png_bytes

SHARED_PROOF = "proofs/factory-proof.png"


def shared_proof() -> str:
    """One stored PNG that every factory row points at (downloads work, no file per row)."""
    if not default_storage.exists(SHARED_PROOF):
        default_storage.save(SHARED_PROOF, ContentFile(png_bytes()))
    return SHARED_PROOF


class HolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    red_account = factory.SubFactory(RedAccountFactory)
    name = factory.LazyAttribute(lambda o: o.red_account.real_name)
    id_number_encrypted = factory.LazyAttribute(lambda o: o.red_account.id_number_encrypted)
    id_number_index = factory.LazyAttribute(lambda o: o.red_account.id_number_index)
    id_number_masked = factory.LazyAttribute(lambda o: o.red_account.id_number_masked)
    position = "shopping_guide"
    region = "上海·静安"
    proof = factory.LazyFunction(shared_proof)
    proof_content_type = "image/png"


class InvitationFactory(HolderFactory):
    """A pending_review invitation; `sent=True` for one the employee has 48 hours to accept."""

    class Meta:
        model = Invitation

    enterprise = factory.SubFactory(EnterpriseFactory)
    mode = Mode.PERSONAL_AUTHORIZED
    status = InvitationStatus.PENDING_REVIEW
    commitment_signed = True
    agreement_signed = True
    created_at = factory.LazyFunction(clock.now)

    class Params:
        sent = factory.Trait(
            status=InvitationStatus.SENT,
            sent_at=factory.LazyFunction(clock.now),
            expires_at=factory.LazyAttribute(lambda o: o.sent_at + timedelta(hours=ACCEPT_WITHIN_HOURS)),
        )


class BindingFactory(HolderFactory):
    """An active binding with its first holder."""

    class Meta:
        model = Binding
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    mode = Mode.PERSONAL_AUTHORIZED
    status = BindingStatus.ACTIVE
    effective_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def first_holder(binding, create, extracted, **kwargs):
        if create:
            BindingHolder.objects.create(binding=binding, started_at=binding.effective_at, **binding.holder_fields())
