"""Admin building blocks shared by the apps."""


class ReadOnlyAdminMixin:
    """Staff may look, not change: changes go through the consoles and the services, which audit them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
