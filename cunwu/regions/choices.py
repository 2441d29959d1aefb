"""Levels of the division tree and kinds of organisation, importable without the models."""

from __future__ import annotations

from django.db import models

from . import codes


class Level(models.TextChoices):
    PROVINCE = codes.PROVINCE, "省"
    PREFECTURE = codes.PREFECTURE, "州（市）"
    COUNTY = codes.COUNTY, "县（市、区）"
    TOWNSHIP = codes.TOWNSHIP, "乡镇（街道）"
    VILLAGE = codes.VILLAGE, "村"
    COMMUNITY = codes.COMMUNITY, "社区"


class OrgKind(models.TextChoices):
    PARTY = "party", "村党组织"
    COMMITTEE = "committee", "村民委员会"
    SUPERVISION = "supervision", "村务监督委员会"
    COLLECTIVE = "collective", "村集体经济组织"
    DEPARTMENT = "department", "党政群机构"
    GOVERNMENT = "government", "党委和政府"


VILLAGE_ORG_KINDS = (OrgKind.PARTY, OrgKind.COMMITTEE, OrgKind.SUPERVISION, OrgKind.COLLECTIVE)
