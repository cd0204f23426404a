"""The header's bell: the unread count of the notices that concern the page's reader, and where to read them.

- a brand page (a workspace, as a member or through an agency): the enterprise's notices;
- platform staff elsewhere: the platform's notices and the note reviews awaiting a decision (work awaiting them);
- agency staff elsewhere (the agency console): the notices of the brands that reported their agency.

One bounded COUNT per page (none when the page already counted, as the centres do)."""

from django import template
from django.urls import reverse

from .. import notifications as inboxes

register = template.Library()


def _inbox_and_url(context):
    user = context.get("user")
    if not (user and user.is_authenticated):
        return None, None
    workspace = context.get("workspace")
    if workspace is not None:
        return inboxes.enterprise_inbox(workspace), reverse("notification-centre", args=[workspace.enterprise.pk])
    if user.is_staff:
        return inboxes.platform_inbox(user), reverse("platform-notification-centre")
    if context.get("nav_is_agency_staff"):
        return inboxes.agency_inbox(user), reverse("agency-notification-centre")
    return None, None


@register.inclusion_tag("bindings/notifications/_bell.html", takes_context=True)
def notification_bell(context):
    inbox, url = _inbox_and_url(context)
    if inbox is None:
        return {"show": False}
    count = context.get("nav_notifications_unread")
    if count is None:
        count = inbox.bell_count()
    return {
        "show": True,
        "url": url,
        "count": count,
        "capped": count >= inboxes.UNREAD_COUNT_CAP,
        "active": context["request"].path.startswith(url) if context.get("request") else False,
    }
