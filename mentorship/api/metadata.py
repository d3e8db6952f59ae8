from rest_framework.metadata import SimpleMetadata


class Metadata(SimpleMetadata):
    """OPTIONS describes what a role may send without fetching an object: our views check
    object access in their own queries (``get_<thing>_for_member``), and singleton resources
    have no ``pk`` for DRF's default ``get_object()``."""

    def determine_actions(self, request, view):
        get_object = getattr(view, "get_object", None)
        if get_object is not None:
            view.get_object = lambda: None
        try:
            return super().determine_actions(request, view)
        finally:
            if get_object is not None:
                del view.get_object
