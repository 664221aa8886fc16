"""Load the demo agency Kota Kendari (idempotent) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from padu.core.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load Kota Kendari with its kecamatan, kelurahan, OPDs and one demo user per role."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("id")
        logins = seed_demo()
        self.stdout.write(
            self.style.SUCCESS("Demo Padu siap / Padu demo ready: http://127.0.0.1:8000")
        )
        self.stdout.write(
            f"Kata sandi semua akun demo / password of every demo account: {DEMO_PASSWORD}"
        )
        width = max(len(login.username) for login in logins)
        for login in logins:
            scope = f" ({login.scope})" if login.scope else ""
            self.stdout.write(f"  {login.username.ljust(width)}  {login.role}{scope}")
