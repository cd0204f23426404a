from django.utils.translation import gettext_lazy as _
from rest_framework import filters, pagination
from rest_framework.exceptions import ValidationError

PAGE_SIZE_MESSAGE = _("A whole number from 1 (at most %(max)s are shown).")
PAGE_MESSAGE = _("A page number from 1, or 'last'.")
ORDERING_MESSAGE = _("Sort by one of: %(fields)s.")


def query_form(request, form_class):
    """A list's query parameters read through its form; a value the list does not know is a 400 naming it."""
    form = form_class(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form


def _whole(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (default 20, max 100: a larger size shows 100) → {count, next, previous, results};
    a page size or page number that is not a whole number from 1 is a 400, as any other invalid filter value."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        size = _whole(raw)
        if size is None or size < 1:
            raise ValidationError({self.page_size_query_param: [PAGE_SIZE_MESSAGE % {"max": self.max_page_size}]})
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw and raw not in self.last_page_strings and not (_whole(raw) or 0) >= 1:
            raise ValidationError({self.page_query_param: [PAGE_MESSAGE]})
        return super().paginate_queryset(queryset, request, view)


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=` of a list's sortable fields; one it does not sort by is a 400, not silently ignored."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            valid = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            terms = [term.strip() for term in params.split(",")]
            if not valid or any(term.lstrip("-") not in valid for term in terms):
                allowed = ", ".join(sorted(valid)) or "-"
                raise ValidationError({self.ordering_param: [ORDERING_MESSAGE % {"fields": allowed}]})
        return super().get_ordering(request, queryset, view)


def sort_columns(keys, ordering: str) -> dict:
    """A page's sortable columns: for each, the ordering its header links to (descending first, then toggling),
    and whether and how the list is sorted by it now."""
    columns = {}
    for key in keys:
        active = ordering.lstrip("-") == key
        descending = ordering.startswith("-")
        columns[key] = {
            "next": key if active and descending else f"-{key}",
            "active": active,
            "direction": ("desc" if descending else "asc") if active else "",
        }
    return columns
