from django.utils.functional import SimpleLazyObject


def navigation(request):
    """The workspace switcher's entries, loaded only if a template uses them."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}

    def workspaces():
        from accounts.selectors import enterprises_for_user

        return list(enterprises_for_user(user))

    def is_agency_staff():
        return user.agency_memberships.exists()

    return {"nav_workspaces": SimpleLazyObject(workspaces), "nav_is_agency_staff": SimpleLazyObject(is_agency_staff)}
