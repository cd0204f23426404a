"""The run command's demo data loads through the services, every login works, and a second load changes nothing.
The demo looks real: employment proofs are documents (a PDF and a PNG of a 在职证明 with a red seal) and the
notes have daily figures for every day from their publish date to today, over several months."""

import io
import re
import string
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.utils import timezone, translation
from PIL import Image

from accounts.management.commands.load_demo import DEMO_REGIONS, ENTERPRISES, PASSWORD, RED_ACCOUNTS
from accounts.models import Enterprise, User
from bindings import demo as proof_demo
from bindings.choices import Position
from bindings.models import Binding, Invitation
from bindings.proofs import clean_proof
from campaigns import ledger, rights
from campaigns.models import AdAccount, Campaign
from kos_platform import clock
from notes.models import Note, NoteBoost, NoteDailyMetric, NotePush, NoteReview

from ..conftest import database_fingerprint

pytestmark = pytest.mark.django_db


def test_demo_data_is_complete_and_idempotent():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    logins = out.getvalue().split("Demo logins")[1].splitlines()[1:]
    usernames = [line.split()[0] for line in logins if line.strip()]
    assert len(usernames) == 17
    assert all(User.objects.get(username=name).check_password(PASSWORD) for name in usernames)
    assert Binding.objects.filter(status="active", red_account__red_id="95270002").count() == 1
    assert sorted(Invitation.objects.values_list("status", flat=True)) == [
        *["accepted"] * 4,
        "pending_review",
        "sent",
    ]
    brand = Enterprise.objects.get(name="花漾美妆")
    assert Note.objects.filter(enterprise=brand).count() >= 20
    assert set(NoteReview.objects.values_list("status", flat=True)) == {"in_review", "approved", "rejected"}
    assert NotePush.objects.count() == 3 and NoteBoost.objects.count() == 1  # every approved note pushed
    # Ads: the first recharge, three campaigns (delivering, a search draft, paused), a month of spend that unlocks
    # advanced rights, the DM service; the ledger is the balance.
    account = AdAccount.objects.get(pk=brand.pk)
    assert account.first_recharge_at and account.balance == ledger.ledger_sum(brand) > 0
    assert sorted(Campaign.objects.filter(enterprise=brand).values_list("status", flat=True)) == [
        "active",
        "draft",
        "paused",
    ]
    assert rights.rights_of(brand).unlocked and rights.served_dm_service(brand)["dial_card"]
    assert_proofs_are_documents()
    assert_months_of_daily_figures(brand)

    before = database_fingerprint()
    call_command("load_demo", stdout=io.StringIO())
    assert database_fingerprint() == before


def assert_proofs_are_documents():
    """Every demo invitation's proof is a real PDF or PNG document that the upload check accepts; both kinds occur."""
    kinds = set()
    for invitation in Invitation.objects.all():
        with invitation.proof.open("rb") as handle:
            content = handle.read()
        kinds.add(invitation.proof_content_type)
        if invitation.proof_content_type == "application/pdf":
            assert_real_pdf(content)
        else:
            assert invitation.proof_content_type == "image/png"
            assert_certificate_png(content)
        upload = SimpleUploadedFile("proof", content, invitation.proof_content_type)
        assert clean_proof(upload).content_type == invitation.proof_content_type  # what an upload would accept
    assert kinds == {"application/pdf", "image/png"}


def assert_certificate_png(content: bytes):
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(content))
    image.load()
    assert image.format == "PNG" and image.size == proof_demo.PAGE_PX  # an A4 page at 150 dpi
    assert 20_000 < len(content) < 2_000_000
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    ink = sum(count for count, (r, g, b) in colours if r < 80 and g < 80 and b < 80)
    seal = sum(count for count, (r, g, b) in colours if r > 180 and g < 90 and b < 90)
    assert ink > 20_000, "no text drawn"
    assert seal > 5_000, "no red seal"


def assert_real_pdf(content: bytes):
    """Structure checked by hand (the project has no PDF library): header, trailer, a cross-reference table whose
    every offset starts its object, one page, and the page's image is a JPEG of the certificate."""
    assert content.startswith(b"%PDF-1.") and content.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", content).group(1))
    assert content[startxref : startxref + 4] == b"xref"
    first, count = map(int, re.match(rb"xref\s+(\d+) (\d+)\s+", content[startxref:]).groups())
    table = content[startxref:].split(b"\n")[2 : 2 + count]
    offsets = [int(row[:10]) for row in table if row.endswith(b"n ") or row.endswith(b"n")]
    assert first == 0 and len(offsets) == count - 1 >= 5
    for number, offset in enumerate(offsets, start=1):
        assert content[offset:].startswith(f"{number} 0 obj".encode())
    assert b"/Type /Catalog" in content and b"/Count 1" in content
    trailer = content[content.rindex(b"trailer") :]
    assert re.search(rb"/Size %d\b" % count, trailer) and b"/Root 1 0 R" in trailer
    image = re.search(rb"/Subtype /Image .*?/Length (\d+) >>\nstream\n", content, re.S)
    jpeg = content[image.end() : image.end() + int(image.group(1))]
    scan = Image.open(io.BytesIO(jpeg))
    assert scan.format == "JPEG" and scan.size == proof_demo.PAGE_PX
    assert proof_demo.TITLE.encode("utf-16-be").hex().upper().encode() in content  # the document's title
    try:
        import pypdf
    except ImportError:
        return
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1 and reader.metadata.title.startswith(proof_demo.TITLE)


def assert_months_of_daily_figures(brand):
    """Notes published over about five months, each with one row of figures for every day from its publish date
    (local) to today: no gap, nothing before it was published."""
    today = clock.local_today()
    notes = Note.objects.filter(enterprise=brand).annotate(
        first=Min("daily_metrics__date"), last=Max("daily_metrics__date"), days=Count("daily_metrics")
    )
    assert min(note.first for note in notes) <= today - timedelta(days=120)
    for note in notes:
        published = timezone.localdate(note.published_at)
        assert note.first == published and note.last == today
        assert note.days == (today - published).days + 1
    assert NoteDailyMetric.objects.filter(note__enterprise=brand, exposure__gt=0).count() > 1_000


def test_the_proof_font_draws_every_word_the_demo_puts_on_a_proof():
    """The bundled font is a subset: every character a demo proof can hold is in it (else rebuild the subset)."""
    with translation.override("zh-hans"):
        positions = "".join(str(label) for label in Position.labels)
    words = [
        proof_demo.STATIC_TEXT,
        string.digits + "X",
        positions,
        *DEMO_REGIONS,
        *(name for name, *_ in ENTERPRISES),
        *(real_name for *_, real_name, _overrides in RED_ACCOUNTS),
    ]
    assert proof_demo.missing_characters("".join(words)) == ""
    assert proof_demo.missing_characters("在职证明丨") == "丨"  # the check can fail
