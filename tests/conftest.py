"""Test-wide settings.

The app hides tracebacks from visitors (``client.showErrorDetails = "none"``
in .streamlit/config.toml); under test the whole exception must reach the
report, so AppTest runs show it.
"""

from streamlit import config

config.set_option("client.showErrorDetails", "full")
