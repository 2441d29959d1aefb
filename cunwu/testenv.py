"""pytest plugin loaded first (-p cunwu.testenv): environment for the test settings."""

import os
import tempfile

os.environ.setdefault("CUNWU_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("CUNWU_TESTING", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("CUNWU_VAR_DIR", os.path.join(tempfile.gettempdir(), "cunwu-test-var"))
