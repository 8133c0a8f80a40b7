"""Signals of the values domain, for other apps to react to without the domain importing them."""

from django.dispatch import Signal

# Sent inside the transaction of reject_value, with `value` (IndicatorValue) and `user` (the reviewer).
value_rejected = Signal()
