"""django-otp's own admin screens show each device's secret key (and a QR code of it): nobody,
not even a superuser, should read another person's second factor. The security
administrator resets a factor instead (``twofactor.reset_second_factor``)."""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
