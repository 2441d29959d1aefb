"""Serials are unique per village and year and leave no gaps, even when many are issued at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection, connections

from cunwu.ledger.models import ChainEntry

from ..models import Application, Certificate, SigningKey
from ..services import application_decide, certificate_issue
from .helpers import RESIDENCE_MATERIALS, id_number, make_application

THREADS = 8
PER_THREAD = 4
VILLAGE = "530124103200"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one write transaction in at a time (BEGIN IMMEDIATE); the row locks matter on PostgreSQL",
    ),
]


def _race(work: Callable[[int], None]) -> list[BaseException]:
    """Run `work(n)` in THREADS threads released together, each on its own connection."""
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    close_old_connections()
    return errors


def test_concurrent_intake_and_issue_leave_no_gaps() -> None:
    from conftest import seed_base
    from cunwu.accounts.models import User
    from cunwu.regions.models import Region

    seed_base()
    clerk, head = User.objects.get(username="village_clerk"), User.objects.get(username="village_head")
    village = Region.objects.get(code=VILLAGE)
    assert not SigningKey.objects.exists()  # the first issues also race to create the signing key

    def receive(n: int) -> None:
        for i in range(PER_THREAD):
            app = make_application(clerk, village, applicant_id_number=id_number(seq=f"{n}{i:02d}"))
            application_decide(
                actor=clerk,
                application=app,
                action="issue",
                materials_checked=RESIDENCE_MATERIALS,
                verified_facts="属实",
            )

    assert _race(receive) == []
    total = THREADS * PER_THREAD
    receipts = sorted(int(r[-6:]) for r in Application.objects.values_list("receipt_number", flat=True))
    assert receipts == list(range(1, total + 1))

    pending = list(Application.objects.order_by("pk").values_list("pk", flat=True))

    def issue(n: int) -> None:
        for pk in pending[n::THREADS]:
            certificate_issue(actor=head, application=Application.objects.get(pk=pk))

    assert _race(issue) == []
    seqs = sorted(Certificate.objects.filter(region_id=VILLAGE).values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))  # unique, and no gaps
    assert Certificate.objects.values("serial").distinct().count() == total
    assert SigningKey.objects.count() == 1
    chain = list(
        ChainEntry.objects.filter(chain=VILLAGE, kind="certificate.issue").order_by("seq").values_list("seq", flat=True)
    )
    assert chain == list(range(chain[0], chain[0] + total))


def test_issuing_one_application_from_many_threads_gives_one_certificate() -> None:
    from conftest import seed_base
    from cunwu.accounts.models import User
    from cunwu.errors import Conflict
    from cunwu.regions.models import Region

    seed_base()
    clerk, head = User.objects.get(username="village_clerk"), User.objects.get(username="village_head")
    village = Region.objects.get(code=VILLAGE)
    app = make_application(clerk, village)
    application_decide(
        actor=clerk, application=app, action="issue", materials_checked=RESIDENCE_MATERIALS, verified_facts="属实"
    )

    def issue(n: int) -> None:
        certificate_issue(actor=head, application=Application.objects.get(pk=app.pk))

    errors: list[Any] = _race(issue)
    assert len(errors) == THREADS - 1 and all(isinstance(e, Conflict) for e in errors)
    assert Certificate.objects.count() == 1 and Certificate.objects.get().seq == 1
