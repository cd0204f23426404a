"""Demo data for the run command: every kind of user, enterprises in each industry, eligible and ineligible
RED accounts, bindings and invitations, and a brand's notes with their figures and reviews. Idempotent: a second
run changes nothing."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F, Q
from django.utils import translation

from accounts import services
from accounts.choices import Industry, Role
from accounts.models import Agency, AuditEvent, Enterprise, RedAccount, User
from bindings import services as binding_services
from bindings.choices import Mode, Position
from bindings.demo import ProofFacts, proof_pdf, proof_png
from bindings.models import Binding, BindingHolder, Invitation, Notification
from bindings.proofs import CleanProof
from bindings.services import EmployeeDetails
from campaigns.demo import fund_demo_account, load_demo_ads, load_demo_commerce
from kos_platform import clock
from kos_platform.tenancy import Actor, Workspace
from kos_platform.validators import resident_id_check_char
from notes.demo import load_demo_notes

PASSWORD = "kos-demo-2026"


def demo_id_number(region: str, birth: str, sequence: str) -> str:
    first17 = f"{region}{birth}{sequence}"
    return first17 + resident_id_check_char(first17)


def account_id_number(number: int) -> str:
    """The ID number on the real-name record of the demo's RED account number `number` (1-based)."""
    return demo_id_number("110101", f"199{number}0{number}1{number}", f"{number:03d}")


def demo_proof_facts(*, enterprise: Enterprise, account: RedAccount, number: int, position: str, region: str):
    """What the demo employment proof of RED account number `number` says (in Chinese, like a real one)."""
    today = clock.local_today()
    with translation.override("zh-hans"):
        position_label = str(Position(position).label)
    return ProofFacts(
        employer=enterprise.name,
        name=account.real_name,
        id_number=account_id_number(number),
        position=position_label,
        region=region,
        red_id=account.red_id,
        since=today.replace(day=1) - timedelta(days=200 * number),
        issued=today,
    )


def demo_proof(facts: ProofFacts, *, pdf: bool) -> CleanProof:
    """A 在职证明 drawn as a document with a red seal: a PDF (a scanned page) or a PNG."""
    return proof_pdf(facts) if pdf else proof_png(facts)


ENTERPRISES = [
    # name, industry, stores, certified, grant, members
    (
        "花漾美妆",
        Industry.CONSUMER_GOODS,
        120,
        True,
        True,
        [
            ("brand_owner", Role.OWNER, "王总"),
            ("brand_admin", Role.ADMIN, "陈经理"),
            ("brand_operator", Role.OPERATOR, "林运营"),
            ("brand_analyst", Role.ANALYST, "周分析"),
        ],
    ),
    ("洁家家政服务", Industry.SERVICE, 35, True, True, [("jiejia_owner", Role.OWNER, "赵店长")]),
    ("山水文旅", Industry.CULTURE_TOURISM, 3, True, True, [("shanshui_owner", Role.OWNER, "孙主管")]),
    ("云帆数码", Industry.OTHER, 4, True, False, [("yunfan_owner", Role.OWNER, "吴老板")]),
]

RED_ACCOUNTS = [
    # red_id, nickname, login, real name, overrides
    ("95270001", "小美导购日记", "emp_xiaomei", "李小美", {}),
    ("95270002", "阿杰店长说", "emp_ajie", "张杰", {"followers": 5200}),
    ("95270003", "婷婷客服在线", "emp_tingting", "刘婷", {"followers": 860}),
    ("95270004", "家政小王", "emp_xiaowang", "王芳", {"followers": 1500}),
    ("95270009", "美妆大V", "emp_bigv", "黄大伟", {"followers": 250000, "has_shop": True, "is_creator": True}),
    ("95270010", "未实名小号", "emp_unverified", "", {"real_name_verified": False, "phone_bound": False}),
    ("95270005", "花漾小鹿", "emp_xiaolu", "陆小鹿", {"followers": 2300}),
    ("95270006", "静安店Amy", "emp_amy", "艾米", {"followers": 640}),
    ("95270007", "美妆顾问阿琳", "emp_alin", "林琳", {"followers": 150}),
]
DEMO_REGIONS = ("上海·静安", "上海·徐汇", "北京·朝阳")  # where the demo's employees work (their proofs say so)
NOTE_AUTHORS = (7, 8, 9)  # RED_ACCOUNTS numbers bound to 花漾美妆 beside emp_ajie, so its note list has several authors
# 花漾美妆's accounts have been its employee accounts for half a year, longer than its oldest demo note: the data
# centre, the incentives and the horse race count a day for the brand only while an account was bound to it (D01).
BOUND_FOR = timedelta(days=180)


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    @transaction.atomic
    def handle(self, *args, **options):
        staff, created = User.objects.get_or_create(username="staff", defaults={"display_name": "平台运营"})
        if created:
            staff.is_staff = staff.is_superuser = True
            staff.set_password(PASSWORD)
            staff.save()
        actor = Actor(user=staff)
        today = clock.local_today()
        enterprises = {}
        for name, industry, stores, certified, grant, members in ENTERPRISES:
            enterprise = Enterprise.objects.filter(name=name).first() or services.enterprise_create(
                actor=actor,
                name=name,
                industry=industry,
                store_count=stores,
                certified=certified,
                annual_review_valid_until=today + timedelta(days=300),
            )
            if grant:
                services.kos_permission_grant(actor=actor, enterprise=enterprise)
            for username, role, display in members:
                services.member_set(
                    actor=actor,
                    enterprise=enterprise,
                    username=username,
                    role=role,
                    password=PASSWORD,
                    display_name=display,
                )
            enterprises[name] = enterprise

        agency = Agency.objects.filter(name="星河代理").first() or services.agency_create(actor=actor, name="星河代理")
        services.agency_staff_add(
            actor=actor, agency=agency, username="agency_staff", password=PASSWORD, display_name="星河·小何"
        )
        other = Agency.objects.filter(name="蓝海传媒").first() or services.agency_create(actor=actor, name="蓝海传媒")
        services.agency_staff_add(
            actor=actor, agency=other, username="agency_other", password=PASSWORD, display_name="蓝海·小吕"
        )
        brand = enterprises["花漾美妆"]
        if not brand.agency_reports.filter(agency=agency, revoked_at__isnull=True).exists():
            owner = User.objects.get(username="brand_owner")
            services.agency_report(workspace=Workspace(enterprise=brand, user=owner, role=Role.OWNER), agency=agency)

        for number, (red_id, nickname, login, real_name, overrides) in enumerate(RED_ACCOUNTS, start=1):
            if RedAccount.objects.filter(red_id=red_id).exists():
                continue
            fields = {
                "nickname": nickname,
                "followers": 300,
                "has_shop": False,
                "is_creator": False,
                "is_enterprise_account": False,
                "has_violation": False,
                "real_name_verified": True,
                "real_name": real_name,
                "phone_bound": True,
                **overrides,
            }
            id_number = account_id_number(number) if real_name else ""
            services.red_account_create(
                actor=actor, red_id=red_id, id_number=id_number, username=login, password=PASSWORD, **fields
            )

        if not Invitation.objects.exists():
            self.bindings(staff=actor, brand=brand, service=enterprises["洁家家政服务"])
        for number in NOTE_AUTHORS:
            if not Binding.objects.filter(red_account__red_id=RED_ACCOUNTS[number - 1][0]).exists():
                self.bind(staff=actor, enterprise=brand, number=number)
        self.bound_since_half_a_year(brand)
        operator = User.objects.get(username="brand_operator")
        fund_demo_account(enterprise=brand, owner=User.objects.get(username="brand_owner"))
        made = load_demo_notes(staff=staff, enterprise=brand, operator=operator)
        if made:
            self.stdout.write(f"{made} demo notes with their daily figures for 花漾美妆")
        if load_demo_ads(staff=staff, enterprise=brand, operator=operator):
            self.stdout.write("demo campaigns, a month of ad spend and the DM service for 花漾美妆")
        if load_demo_commerce(staff=staff, enterprise=brand):
            self.stdout.write("demo products and orders with their commission for 花漾美妆")
        self.print_logins()

    def bound_since_half_a_year(self, enterprise: Enterprise) -> None:
        """Move the brand's bindings made by this load, with their invitations, holders, audit records and notices,
        `BOUND_FOR` into the past (a second load finds them moved already)."""
        bindings = Binding.objects.filter(enterprise=enterprise, effective_at__gt=clock.now() - BOUND_FOR)
        ids = list(bindings.values_list("pk", flat=True))
        invitations = list(bindings.values_list("invitation_id", flat=True))
        earlier = {name: F(name) - BOUND_FOR for name in ("created_at", "reviewed_at", "sent_at", "expires_at")}
        Invitation.objects.filter(pk__in=invitations).update(responded_at=F("responded_at") - BOUND_FOR, **earlier)
        BindingHolder.objects.filter(binding_id__in=ids).update(started_at=F("started_at") - BOUND_FOR)
        Notification.objects.filter(Q(binding_id__in=ids) | Q(invitation_id__in=invitations)).update(
            created_at=F("created_at") - BOUND_FOR
        )
        AuditEvent.objects.filter(
            Q(object_type=Binding._meta.label_lower, object_id__in=[str(pk) for pk in ids])
            | Q(object_type=Invitation._meta.label_lower, object_id__in=[str(pk) for pk in invitations])
        ).update(at=F("at") - BOUND_FOR)
        bindings.update(effective_at=F("effective_at") - BOUND_FOR)

    def invite(self, enterprise, number, mode, position, region):
        account = RedAccount.objects.get(red_id=RED_ACCOUNTS[number - 1][0])
        owner = enterprise.memberships.filter(role=Role.OWNER).first().user
        details = EmployeeDetails(
            name=account.real_name,
            id_number=account_id_number(number),
            position=position,
            region=region,
            proof=demo_proof(
                demo_proof_facts(
                    enterprise=enterprise, account=account, number=number, position=position, region=region
                ),
                pdf=number % 2 == 1,  # some proofs are PDF files, the others PNG images
            ),
        )
        workspace = Workspace(enterprise=enterprise, user=owner, role=Role.OWNER)
        return binding_services.invitation_create(workspace=workspace, red_account=account, mode=mode, details=details)

    def bind(self, *, staff: Actor, enterprise: Enterprise, number: int) -> None:
        """An enterprise-owned binding: invited, approved by the platform, accepted by the employee."""
        invitation = binding_services.invitation_approve(
            actor=staff,
            invitation=self.invite(enterprise, number, Mode.ENTERPRISE_OWNED, Position.SHOPPING_GUIDE, DEMO_REGIONS[0]),
        )
        binding_services.invitation_accept(actor=Actor(user=invitation.red_account.user), invitation=invitation)

    def bindings(self, *, staff: Actor, brand: Enterprise, service: Enterprise):
        """Something on every binding page: an active enterprise-owned account, an invitation awaiting the
        employee, one awaiting platform review. emp_xiaomei (95270001) is left free for the bind wizard."""
        self.bind(staff=staff, enterprise=brand, number=2)
        binding_services.invitation_approve(
            actor=staff,
            invitation=self.invite(brand, 3, Mode.PERSONAL_AUTHORIZED, Position.CUSTOMER_SERVICE, DEMO_REGIONS[1]),
        )
        self.invite(service, 4, Mode.PERSONAL_AUTHORIZED, Position.SHOPPING_GUIDE, DEMO_REGIONS[2])

    def print_logins(self):
        rows = [
            ("platform staff", "staff"),
            ("brand owner · 花漾美妆", "brand_owner"),
            ("brand admin · 花漾美妆", "brand_admin"),
            ("brand operator · 花漾美妆", "brand_operator"),
            ("brand analyst (read-only) · 花漾美妆", "brand_analyst"),
            ("brand owner · 洁家家政服务 (service)", "jiejia_owner"),
            ("brand owner · 山水文旅 (3 stores, culture & tourism)", "shanshui_owner"),
            ("brand owner · 云帆数码 (no KOS permission)", "yunfan_owner"),
            ("agency staff · 星河代理 (reported by 花漾美妆)", "agency_staff"),
            ("agency staff · 蓝海传媒 (not reported)", "agency_other"),
            ("employee · eligible", "emp_xiaomei"),
            ("employee · eligible", "emp_ajie"),
            ("employee · eligible", "emp_tingting"),
            ("employee · eligible", "emp_xiaowang"),
            ("employee · bound to 花漾美妆, with notes", "emp_xiaolu"),
            ("employee · ineligible (followers, shop, creator)", "emp_bigv"),
            ("employee · ineligible (no real name)", "emp_unverified"),
        ]
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {PASSWORD})"))
        for label, username in rows:
            self.stdout.write(f"  {username:<16} {label}")
