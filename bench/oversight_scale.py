"""Every burden figure's raw records at Yunnan scale, for bench_oversight.py.

The test world (cunwu/tests/world.py plus the few records it lacks) holds at least one record behind
every figure, made through the apps' services. Each figure's query (its app's `burden_queries`) gives a
template record; it is copied with bulk_create (PostgreSQL, batches of 5,000) to every village (or
county, as the template's region is) and month, about `rate` per place and month, with the region and
date fields the figure counts by changed and unique values made fresh. Parents reached through the
figure's region or date path (a decision's request, a task's campaign) and one-to-one parents (a
stamping's seal request, a case's application) are copied too, so every figure counts its copies."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import string
import uuid
from collections import defaultdict
from typing import Any

from django.db import models
from django.utils import timezone

BATCH = 5000


def _fresh_unique(obj: Any, rng: random.Random, skip: set[str]) -> None:
    """New values for the fields that must be unique (alone or in a constraint), except `skip`."""
    meta = obj._meta
    names: set[str] = {f.name for f in meta.fields if f.unique and not f.primary_key}
    for c in meta.constraints:
        if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None:
            names |= set(c.fields)
    for group in meta.unique_together:
        names |= set(group)
    for f in meta.fields:
        if f.primary_key:
            if isinstance(f, models.UUIDField):
                setattr(obj, f.attname, uuid.uuid4())
            else:
                setattr(obj, f.attname, None)
            continue
        if f.name not in names or f.name in skip or f.attname in skip or f.is_relation:
            continue
        if isinstance(f, models.CharField):
            old = str(getattr(obj, f.attname) or "")
            n = max(6, min(f.max_length or 12, len(old) or 12))
            setattr(obj, f.attname, "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(n)))
        elif isinstance(f, models.IntegerField | models.BigIntegerField | models.PositiveBigIntegerField):
            setattr(obj, f.attname, rng.randrange(10**6, 2 * 10**9))


def _copy(obj: Any) -> Any:
    new = obj.__class__()
    for f in obj._meta.concrete_fields:
        setattr(new, f.attname, getattr(obj, f.attname))
    return new


def _with_time(day: dt.date, template_value: Any) -> Any:
    """A date, or a local datetime on `day` at the template's time of day (off-hours stay off-hours)."""
    if isinstance(template_value, dt.datetime):
        local = timezone.localtime(template_value)
        return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))
    return day


def _one_to_one_parents(objs: list[Any], rng: random.Random) -> None:
    """Each copy gets its own copy of every one-to-one parent (a stamping's request, a case's application)."""
    if not objs:
        return
    for f in objs[0]._meta.concrete_fields:
        if isinstance(f, models.OneToOneField) and not f.remote_field.parent_link:
            parent_model: Any = f.related_model
            template = parent_model.objects.get(pk=getattr(objs[0], f.attname))
            parents = []
            for _ in objs:
                p = _copy(template)
                _fresh_unique(p, rng, set())
                parents.append(p)
            parent_model.objects.bulk_create(parents, batch_size=BATCH)
            for o, p in zip(objs, parents, strict=True):
                setattr(o, f.attname, p.pk)


def _parent_for(
    template: Any, cache: dict[tuple[str, Any], Any], rng: random.Random, path: list[str], field: str, value: Any
) -> Any:
    """A copy of the template's parent along `path` with `field` set to `value` (made once per value);
    with `field` empty, just a fresh copy per `value` (a relation in a unique constraint, per month)."""
    key = (".".join(path) + field, value)
    if key not in cache:
        holder = template
        for part in path:
            holder = getattr(holder, part)
        p = _copy(holder)
        _fresh_unique(p, rng, {field} if field else set())
        if field:
            setattr(p, field, value)
        _spread_conditional(p)
        p.save(force_insert=True)
        cache[key] = p
    return cache[key]


COUNTIES: list[str] = []
_SPREAD = itertools.count()


def _spread_conditional(obj: Any) -> None:
    """A region in a conditional unique constraint (one open campaign per county) differs per copy,
    and from the template's own (the test world's county)."""
    for c in obj._meta.constraints:
        if not (isinstance(c, models.UniqueConstraint) and c.condition is not None and c.fields):
            continue
        for name in c.fields:
            f: Any = obj._meta.get_field(name)
            if f.is_relation and f.related_model._meta.label == "regions.Region" and COUNTIES:
                others = [x for x in COUNTIES if x != getattr(obj, f.attname)]
                setattr(obj, f.attname, others[next(_SPREAD) % len(others)])


def _unique_relations(model: Any, skip: set[str]) -> list[str]:
    """Foreign keys (not one-to-one) that take part in a unique constraint of the model, except `skip`."""
    names: set[str] = set()
    for c in model._meta.constraints:
        if isinstance(c, models.UniqueConstraint) and c.fields:
            names |= set(c.fields)
    for group in model._meta.unique_together:
        names |= set(group)
    out = []
    for f in model._meta.concrete_fields:
        related = isinstance(f, models.ForeignKey) and not isinstance(f, models.OneToOneField)
        if related and f.name in names and f.name not in skip and f.attname not in skip:
            out.append(f.name)
    return out


def generate(
    queries: list[Any], places: dict[str, list[str]], months: list[dt.date], today: dt.date, rate: float, seed: int
) -> dict[str, int]:
    """Copies per figure; `places` maps a level ("village", "county") to its codes."""
    from cunwu.regions import codes

    rng = random.Random(seed)
    COUNTIES[:] = places["county"]
    written: dict[str, int] = defaultdict(int)
    for q in queries:
        template = q.qs.order_by("pk").first()
        if template is None:
            continue
        model = template.__class__
        template = model.objects.get(pk=template.pk)  # without the query's annotations
        region_path, when_path = q.region.split("__"), q.when.split("__")
        region_value = template
        for part in region_path[:-1]:
            region_value = getattr(region_value, part)
        level = codes.level_of(getattr(region_value, region_path[-1]))
        targets = places["village"] if level in (codes.VILLAGE, codes.COMMUNITY) else places["county"]
        per_place = rate if len(targets) > 1000 else rate * 20
        when_holder = template
        for part in when_path[:-1]:
            when_holder = getattr(when_holder, part)
        template_when = getattr(when_holder, when_path[-1])
        parent_cache: dict[tuple[str, Any], Any] = {}

        region_skip = {region_path[0], region_path[0].removesuffix("_id"), when_path[0]}
        per_month = _unique_relations(model, region_skip)
        batch: list[Any] = []
        for month in months:
            month_parents = {f: _parent_for(template, parent_cache, rng, [f], "", month).pk for f in per_month}
            last = min((month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1), today)
            span = (last - month).days + 1
            for code in targets:
                n = int(per_place) + (rng.random() < per_place - int(per_place))
                for _ in range(n):
                    day = month + dt.timedelta(days=rng.randrange(span))
                    when = _with_time(day, template_when)
                    obj = _copy(template)
                    _fresh_unique(obj, rng, {region_path[0], when_path[0]})
                    if len(region_path) == 1:
                        setattr(obj, region_path[0], code)
                    else:
                        parent = _parent_for(template, parent_cache, rng, region_path[:-1], region_path[-1], code)
                        setattr(obj, region_path[0] + "_id", parent.pk)
                    if len(when_path) == 1:
                        setattr(obj, when_path[0], when)
                    else:
                        parent = _parent_for(
                            template, parent_cache, rng, when_path[:-1], when_path[-1], _with_time(month, template_when)
                        )
                        setattr(obj, when_path[0] + "_id", parent.pk)
                    for f, pk in month_parents.items():
                        setattr(obj, f + "_id", pk)
                    batch.append(obj)
                    if len(batch) >= BATCH:
                        _one_to_one_parents(batch, rng)
                        model.objects.bulk_create(batch, batch_size=BATCH, ignore_conflicts=True)
                        written[q.figure] += len(batch)
                        batch = []
        if batch:
            _one_to_one_parents(batch, rng)
            model.objects.bulk_create(batch, batch_size=BATCH, ignore_conflicts=True)
            written[q.figure] += len(batch)
    return dict(written)
