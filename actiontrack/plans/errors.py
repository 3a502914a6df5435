"""Errors services raise besides ValidationError (bad input) and PermissionDenied (wrong person)."""


class EditConflict(Exception):
    """Someone else saved this first. Carries what is stored now, so the view can show both versions."""

    def __init__(self, what: str, current: dict, current_version: int, *, plural: bool = False):
        super().__init__(f"{what} {'were' if plural else 'was'} changed by someone else while you were editing "
                         f"{'them' if plural else 'it'}.")
        self.what = what
        self.plural = plural
        self.current = current
        self.current_version = current_version
