"""The notification centres: one per audience, all alike — newest first, unread marked, an "unread only" filter,
paging, open (marks the notice read and goes to its object), mark one read, mark all read.

- brand members (and reported agencies acting in the workspace): the enterprise's notices, `/w/<eid>/notifications/`
- agency staff: the notices of every brand that reported their agency, `/agency/notifications/`
- platform staff: work awaiting them (invitations to review; the note reviews awaiting a decision, counted where
  they are and leading to the note review queue), `/platform/notifications/`
- employees: their own notices, `/m/notifications/`

Another tenant's notice is a 404. Read state is per user for shared notices (see bindings.notifications); marking
read is the reader's bookkeeping, not audited. Each page runs the same number of queries whatever its size."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView

from accounts import services as account_services
from kos_platform.pages import AGENCY_SESSION_KEY, WorkspacePageMixin, mark_agency_entry
from kos_platform.tenancy import resolve_workspace

from .. import notifications as inboxes
from .employee import EmployeeNavMixin
from .platform import StaffRequiredMixin

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_size(request) -> int:
    raw = request.GET.get("page_size", "")
    if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE_SIZE:
        return int(raw)
    return PAGE_SIZE


class CentreMixin:
    """`get_inbox()` and `centre_url()` are the audience's; the rest is shared."""

    template_name = "bindings/notifications/centre.html"

    def get_inbox(self) -> inboxes.Inbox:
        raise NotImplementedError

    def centre_url(self) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        inbox = self.get_inbox()
        unread_only = self.request.GET.get("filter") == "unread"
        queryset = inbox.notices()
        if unread_only:
            queryset = inbox.unread(queryset)
        page = Paginator(queryset, page_size(self.request)).get_page(self.request.GET.get("page"))
        items = [inboxes.describe(inbox, notification) for notification in page]
        unread_count = inbox.unread_count()
        note_reviews = inbox.note_reviews_awaiting()
        bell = min(unread_count + note_reviews, inboxes.UNREAD_COUNT_CAP)
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "items": items,
            "unread_only": unread_only,
            "unread_count": unread_count,
            "note_reviews_awaiting": note_reviews,
            "nav_notifications_unread": bell,  # the bell reads it instead of counting again
            "nav_unread": unread_count,  # the phone's tab bar, likewise
            "audience": inbox.audience,
            "centre_url": self.centre_url(),
            "query": query.urlencode(),
        }

    def back(self):
        """Back to the list the reader acted on (same filter and page), or to the centre."""
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(self.centre_url())

    def get(self, request, *args, **kwargs):
        if "op" in kwargs:  # an action's URL, bookmarked or typed: show the centre, act on nothing
            return HttpResponseRedirect(self.centre_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "op" not in kwargs:
            return HttpResponseNotAllowed(["GET"])
        inbox = self.get_inbox()
        if kwargs.get("op") == "read-all":
            inbox.mark_all_read()
            return self.back()
        notification = get_object_or_404(inbox.notices(), pk=kwargs["pk"])
        inbox.mark_read(notification)
        if kwargs["op"] == "open":
            return self.open(inboxes.describe(inbox, notification))
        return self.back()

    def open(self, described: inboxes.Described):
        return HttpResponseRedirect(described.url)


class BrandNotificationsView(WorkspacePageMixin, CentreMixin, TemplateView):
    """Analysts read too: read state is each member's own."""

    def get_inbox(self):
        return inboxes.enterprise_inbox(self.workspace)

    def centre_url(self):
        return reverse("notification-centre", args=[self.workspace.enterprise.pk])


class AgencyNotificationsView(LoginRequiredMixin, CentreMixin, TemplateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.agency_memberships.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_inbox(self):
        return inboxes.agency_inbox(self.request.user)

    def centre_url(self):
        return reverse("agency-notification-centre")

    def open(self, described):
        """The brand's page is reached through its workspace: entering it is recorded with the agency, as from the
        console."""
        eid = described.notification.enterprise_id
        if eid not in self.request.session.get(AGENCY_SESSION_KEY, []):
            workspace = resolve_workspace(self.request.user, eid)
            if workspace.via_agency:
                account_services.agency_workspace_enter(workspace=workspace)
                mark_agency_entry(self.request, eid)
        return super().open(described)


class StaffNotificationsView(StaffRequiredMixin, CentreMixin, TemplateView):
    def get_inbox(self):
        return inboxes.platform_inbox(self.request.user)

    def centre_url(self):
        return reverse("platform-notification-centre")


class EmployeeNotificationsView(LoginRequiredMixin, EmployeeNavMixin, CentreMixin, TemplateView):
    """消息通知 on the phone."""

    template_name = "bindings/employee/notifications.html"

    def get_inbox(self):
        return inboxes.employee_inbox(self.request.user)

    def centre_url(self):
        return reverse("employee-notifications")


def _actions(view, name: str):
    return [
        path("notifications/", view.as_view(), name=name),
        path("notifications/read-all/", view.as_view(), {"op": "read-all"}, name=f"{name}-read-all"),
        path("notifications/<int:pk>/read/", view.as_view(), {"op": "read"}, name=f"{name}-read"),
        path("notifications/<int:pk>/open/", view.as_view(), {"op": "open"}, name=f"{name}-open"),
    ]


brand_urlpatterns = _actions(BrandNotificationsView, "notification-centre")
agency_urlpatterns = _actions(AgencyNotificationsView, "agency-notification-centre")
platform_urlpatterns = _actions(StaffNotificationsView, "platform-notification-centre")
employee_urlpatterns = _actions(EmployeeNotificationsView, "employee-notifications")
