"""Model fields shared by every app."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property


class BoundedTextField(models.TextField):
    """A TextField whose max_length is checked by full_clean, so services refuse over-long text.

    Django's own TextField passes max_length only to the form widget; text sent to a service by the API or a
    command would be stored whatever its length.
    """

    @cached_property
    def validators(self):
        validators = list(super().validators)
        if self.max_length is not None:
            validators.append(MaxLengthValidator(self.max_length))
        return validators
