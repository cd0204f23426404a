"""Read queries for tenants and people; brand reads always take the workspace."""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from kos_platform.tenancy import Workspace

from .models import AgencyReport, Enterprise, Membership, User


def enterprises_for_user(user: User) -> QuerySet[Enterprise]:
    """Enterprises the user may act for, annotated with `member_role`, or `via_agency_id`/`via_agency_name`."""
    standing = AgencyReport.objects.filter(
        enterprise=OuterRef("pk"), revoked_at__isnull=True, agency__memberships__user=user
    ).order_by("agency_id")
    member = Q(memberships__user=user)
    reported = Q(agency_reports__revoked_at__isnull=True, agency_reports__agency__memberships__user=user)
    ids = Enterprise.objects.filter(member | reported).values("pk")
    return (
        Enterprise.objects.filter(pk__in=ids)
        .annotate(
            member_role=Subquery(Membership.objects.filter(enterprise=OuterRef("pk"), user=user).values("role")[:1]),
            via_agency_id=Subquery(standing.values("agency_id")[:1]),
            via_agency_name=Subquery(standing.values("agency__name")[:1]),
        )
        .order_by("name", "pk")
    )


def agency_reports_for_workspace(workspace: Workspace) -> QuerySet[AgencyReport]:
    return AgencyReport.objects.filter(enterprise=workspace.enterprise).select_related(
        "agency", "created_by", "revoked_by"
    )


def agency_brand_reports(user: User) -> QuerySet[AgencyReport]:
    """Standing reports of the agencies the user works for: the brands of the agency console."""
    return (
        AgencyReport.objects.filter(revoked_at__isnull=True, agency__memberships__user=user)
        .select_related("enterprise", "agency")
        .order_by("enterprise__name", "pk")
    )


def members_for_workspace(workspace: Workspace) -> QuerySet[Membership]:
    """The brand's team (成员管理): its members with their logins, API keys' logins aside, oldest first."""
    return (
        Membership.objects.filter(enterprise=workspace.enterprise, user__is_service_account=False)
        .select_related("user")
        .order_by("pk")
    )
