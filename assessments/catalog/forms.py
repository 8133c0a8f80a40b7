"""The forms of the catalogs pages (admins): a catalog YAML to load, a period to open, a deadline to move.

They only turn what was typed into values; the rules (validity, years, admins) are the services'."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.forms.forms import NON_FIELD_ERRORS

from govit.dates import parse_day
from govit.errors import InputError, InputRejected
from govit.i18n import _

# A catalog is a few hundred lines of YAML; anything bigger is a wrong file.
MAX_CATALOG_BYTES = 2 * 1024 * 1024


class YearField(forms.CharField):
    """A calendar year of at most 4 digits; full-width digits (typed with a Vietnamese IME) count as digits."""

    def to_python(self, value) -> int | None:
        text = unicodedata.normalize("NFKC", super().to_python(value))
        if not text:
            return None
        if not (text.isascii() and text.isdigit() and len(text) <= 4):
            raise ValidationError(_("The year must be between 2000 and 2100."))
        return int(text)


class DayField(forms.CharField):
    """A day typed as dd/mm/yyyy (or ISO), read by the project's one day parser."""

    widget = forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        day = parse_day(text)
        if day is None:
            raise ValidationError(_("Enter a day that exists, as dd/mm/yyyy (e.g. 31/03/2026)."))
        return day


class CatalogUploadForm(forms.Form):
    # An empty file goes to the loader, which says "the catalog is empty" like for any other bad content.
    file = forms.FileField(allow_empty_file=True, error_messages={"required": _("Choose a catalog YAML file.")})

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_CATALOG_BYTES:
            raise ValidationError(_("The catalog file is larger than %(mb)s MB.") % {"mb": MAX_CATALOG_BYTES >> 20})
        return file


class OpenPeriodForm(forms.Form):
    year = YearField(error_messages={"required": _("The year must be between 2000 and 2100.")},
                     widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}))
    deadline = DayField(required=False)  # empty: the default deadline


class DeadlineForm(forms.Form):
    deadline = DayField(error_messages={"required": _("Enter a day that exists, as dd/mm/yyyy (e.g. 31/03/2026).")})


def problems(form: forms.Form | None = None, rejected: InputRejected | None = None) -> list[InputError]:
    """A form's errors and a service's refusal as one list of (where, message) for the page."""
    found = [InputError(message, where=None if name == NON_FIELD_ERRORS else name)
             for name, messages in (form.errors.items() if form is not None else ())
             for message in messages]
    return found + (rejected.errors if rejected is not None else [])
