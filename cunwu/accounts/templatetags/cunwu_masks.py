"""Template filters that mask personal data wherever it is listed."""

from django import template

from cunwu import masking

register = template.Library()
register.filter("mask_name", masking.mask_name)
register.filter("mask_id", masking.mask_id_number)
register.filter("mask_phone", masking.mask_phone)
