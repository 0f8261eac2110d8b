"""One-time codes: the libraries behind them load only when a second step is used."""

from __future__ import annotations

import subprocess
import sys


def test_the_web_app_and_store_start_without_the_cryptography_and_totp_libraries() -> None:
    code = ("import sys, knoop.web.app, knoop.store, knoop.store.backup; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'cryptography', 'pyotp'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"  # ~12 MB of a server's memory that most practices never use
