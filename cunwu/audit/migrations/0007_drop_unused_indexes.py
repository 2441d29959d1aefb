"""Audit log indexes no query needs (docs/scaling.md, disk per table): `at` alone (audit_recent_idx on
(at DESC, id DESC) serves ranges on it), `action` and its `_like` twin (searched with icontains only),
and the plain B-tree on `region_code` (a prefix of audit_region_at_idx); the region filter's prefix
match keeps a `varchar_pattern_ops` index.
`(object_type, object_id)` becomes `object_type` alone: the log filters by kind, never by object id.
"""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0006_audit_recent_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='auditentry',
            name='audit_audit_object__3eefc4_idx',
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(max_length=64, verbose_name='操作'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='region_code',
            field=models.CharField(blank=True, max_length=12, verbose_name='区划代码'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['object_type'], name='audit_object_type_idx'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['region_code'], name='audit_region_prefix_idx', opclasses=['varchar_pattern_ops']),
        ),
    ]
