"""Settings for bench/bench_certificates.py's server: cunwu's own, plus a hello-world view.

The hello view is the baseline the verification API is compared with on the same server, same
middleware; it lives only here, never in the app.
"""

from cunwu.settings import *  # noqa: F403

ROOT_URLCONF = "bench.certificates_hello_urls"
