from typing import Any

from django.core.management.base import BaseCommand

from qorgau.demo.data import DEMO_PASSWORD
from qorgau.demo.generator import load_demo


class Command(BaseCommand):
    help = "Create the demo agencies, one user per role and juveniles with families (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo()
        self.stdout.write("Demo data " + ("created." if result.created else "already present."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login, roles, agency in result.logins:
            self.stdout.write(f"  {login:<14} {roles}")
            self.stdout.write(f"  {'':<14} {agency}")
        self.stdout.write("\nOpen http://127.0.0.1:8000 and sign in.\n")
