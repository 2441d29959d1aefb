"""The access matrix: every page and API operation × every persona → the expected HTTP status.

One table, read by `test_access_pages.py` and `test_access_api.py`. A page or operation without a row
fails those tests, naming the row to add. To add an app's rows, add its URL names (pages) to PAGES
and its operations ("METHOD /api/v1/path", as in /api/v1/openapi.json) to OPERATIONS, in its own
section, and the objects its URLs need to `world.py` with `@maker`.

Rules (see `matrix.Row`): "public", "signed_in", "perm:<permission>", "obj:<permission>" (an object of
the first village: outside → 404, inside without the permission → 403), with `status={persona: …}`
for the exceptions, `ok=` for the success status (405 for a POST-only action asked with GET, 422
for an operation posted an empty body) and `kw=` naming the world values for the path converters.
Personas: see `matrix.PERSONAS`; pages send the public to sign in (302), the API answers 401.

Requests are safe: pages are fetched with GET; operations are called with an empty JSON body, and
every request runs in a savepoint that is rolled back, so no success path changes the world.
"""

from __future__ import annotations

from .matrix import OUTSIDE, Row

# Department officers see records of their own department (admission requests they filed, their
# templates): for those, only the other department is outside.
DEPARTMENT_INSIDE = OUTSIDE - {"department"}
# Records that county-level staff read whatever department: only another village's clerk is outside.
VILLAGE_ONLY = frozenset({"other_clerk"})
# Pages of a county (its plan, ledger, reports): village and township staff are outside them.
BELOW_COUNTY = frozenset({"clerk", "other_clerk", "head", "custodian", "supervisor", "township"})
# County records that no department reaches either (alerts, ledger tasks, reports).
BELOW_COUNTY_AND_DEPARTMENTS = BELOW_COUNTY | {"department", "other_department"}
# Django's admin site: only staff (the province admin in the demo) get in; everyone else is sent to its login.
ADMIN = Row("signed_in", ok=302, status={"province": 200})

# Append-only registers (audit log, login attempts) cannot be added to, not even by staff.
ADMIN_NO_ADD = Row("signed_in", ok=302, status={"province": 403})

PAGES: dict[str, Row] = {
    # --- admin (the rest of the namespace: ADMIN) ----------------------------------------------------
    "admin:login": Row("public", status={"province": 302}),
    "admin:logout": Row("signed_in", ok=302, status={"province": 405}),
    "admin:autocomplete": Row("signed_in", ok=302, status={"province": 403}),
    "admin:axes_accessattempt_add": ADMIN_NO_ADD,
    "admin:axes_accesslog_add": ADMIN_NO_ADD,
    "admin:axes_accessfailurelog_add": ADMIN_NO_ADD,
    "admin:audit_auditentry_add": ADMIN_NO_ADD,
    # --- site --------------------------------------------------------------------------------------
    "healthz": Row("public"),
    # --- accounts ----------------------------------------------------------------------------------
    "accounts:login": Row("public", status={"anonymous": 200}, ok=302),
    "accounts:logout": Row("public", ok=405),
    "accounts:password_change": Row("signed_in"),
    "accounts:workbench": Row("signed_in"),
    "accounts:notification_count": Row("signed_in"),
    "accounts:users": Row("perm:account:manage"),
    "accounts:user_new": Row("perm:account:manage"),
    "accounts:users_import": Row("perm:account:manage"),
    "accounts:users_template": Row("perm:account:manage"),
    "accounts:villages_template": Row("perm:region:manage"),
    "accounts:user_detail": Row("obj:account:manage", outside=VILLAGE_ONLY, kw={"pk": "user"}),
    "accounts:user_reset": Row("signed_in", ok=405, kw={"pk": "user"}),
    "accounts:membership_handover": Row("signed_in", ok=405, kw={"pk": "membership"}),
    # --- audit -------------------------------------------------------------------------------------
    "audit:list": Row("perm:audit:view"),
    # --- catalogs ----------------------------------------------------------------------------------
    "catalogs:home": Row("signed_in"),
    "catalogs:revisions": Row("signed_in"),
    "catalogs:revision": Row("signed_in", kw={"pk": "revision"}),
    # GET: the confirmation page, for the approvers of the revision's level (a province revision here).
    "catalogs:approve": Row("signed_in", ok=403, status={"province": 200}, kw={"pk": "revision"}),
    "catalogs:discard": Row("signed_in", ok=405, kw={"pk": "revision"}),
    "catalogs:import": Row("perm:catalog:edit"),
    "catalogs:template": Row("signed_in", kw={"kind": "kind"}),
    "catalogs:compare": Row("signed_in"),
    "catalogs:export": Row("signed_in"),
    "catalogs:item_new": Row("perm:catalog:edit", kw={"kind": "kind"}),
    "catalogs:item_history": Row("signed_in", kw={"kind": "kind", "code": "item"}),
    "catalogs:item_refine": Row("perm:catalog:edit", kw={"kind": "kind", "code": "item"}),
    "catalogs:item_withdraw": Row("perm:catalog:edit", kw={"kind": "kind", "code": "item"}),
    # --- admission ---------------------------------------------------------------------------------
    "admission:index": Row("public", ok=302),
    "admission:requests": Row("signed_in"),
    "admission:request_new": Row("perm:admission:file"),
    "admission:screen_preview": Row("signed_in", ok=405),
    "admission:request_detail": Row(
        "obj:admission:view",
        status={"clerk": 404, "head": 404, "custodian": 404, "supervisor": 404, "township": 404},
        outside=DEPARTMENT_INSIDE,
        kw={"pk": "admission_request"},
    ),
    "admission:request_revise": Row(
        "obj:admission:file",
        status={"clerk": 404, "head": 404, "custodian": 404, "supervisor": 404, "township": 404},
        outside=DEPARTMENT_INSIDE,
        kw={"pk": "admission_request"},
    ),
    "admission:request_decide": Row("signed_in", ok=405, kw={"pk": "admission_request"}),
    "admission:request_withdraw": Row("signed_in", ok=405, kw={"pk": "admission_request"}),
    "admission:attachment": Row(
        "obj:admission:view",
        status={"clerk": 404, "head": 404, "custodian": 404, "supervisor": 404, "township": 404},
        outside=DEPARTMENT_INSIDE,
        kw={"pk": "attachment"},
    ),
    "admission:review": Row("perm:admission:review"),
    "admission:village": Row("perm:admission:receive"),
    "admission:assignment_detail": Row("obj:admission:view", outside=DEPARTMENT_INSIDE, kw={"pk": "assignment"}),
    "admission:offlist": Row(
        "perm:admission:view", status={"custodian": 403, "department": 403, "other_department": 403}
    ),
    "admission:offlist_new": Row("perm:admission:receive"),
    "admission:offlist_detail": Row("obj:admission:view", status={"custodian": 404}, kw={"pk": "offlist"}),
    "admission:meetings": Row("signed_in"),
    "admission:ledger": Row("signed_in"),
    "admission:evaluations": Row("signed_in"),
    "admission:evaluation_detail": Row(
        "obj:admission:view",
        status={"clerk": 404, "head": 404, "custodian": 404, "supervisor": 404, "township": 404},
        outside=VILLAGE_ONLY,
        kw={"pk": "evaluation"},
    ),
    "admission:channels": Row("signed_in"),
    "admission:channel_decide": Row("signed_in", ok=405, kw={"pk": "channel"}),
    # --- signs -------------------------------------------------------------------------------------
    "signs:home": Row("perm:sign:view", ok=302),
    "signs:region": Row(
        "obj:sign:view",
        status={"clerk": 404, "head": 404, "custodian": 404, "supervisor": 404},
        kw={"code": "township"},
    ),
    "signs:report_run": Row("signed_in", ok=405, kw={"code": "township"}),
    "signs:report_export": Row(
        "obj:sign:view",
        status={"clerk": 404, "head": 404, "custodian": 404, "supervisor": 404},
        kw={"code": "township"},
    ),
    "signs:village": Row("obj:sign:view", kw={"code": "village"}),
    "signs:sign_new": Row("obj:sign:edit", kw={"code": "village"}),
    "signs:facility_edit": Row("obj:sign:edit", kw={"code": "village"}),
    "signs:mechanism_new": Row("obj:sign:edit", kw={"code": "village"}),
    "signs:sign_edit": Row("obj:sign:edit", kw={"pk": "sign"}),
    "signs:sign_remove": Row("obj:sign:edit", kw={"pk": "sign"}),
    "signs:photo": Row("obj:sign:view", kw={"pk": "photo"}),
    "signs:mechanism_edit": Row("obj:sign:edit", kw={"pk": "mechanism"}),
    "signs:mechanism_end": Row("signed_in", ok=405, kw={"pk": "mechanism"}),
    "signs:request_list": Row("signed_in"),
    "signs:request_new": Row("signed_in", ok=404),
    "signs:request_detail": Row("obj:sign:view", kw={"pk": "sign_request"}),
    "signs:request_review": Row("signed_in", ok=405, kw={"pk": "sign_request"}),
    "signs:request_decide": Row("signed_in", ok=405, kw={"pk": "sign_request"}),
    "signs:request_revoke": Row("signed_in", ok=405, kw={"pk": "sign_request"}),
    "signs:campaign_list": Row("signed_in"),
    "signs:campaign_new": Row("perm:sign:campaign"),
    "signs:campaign_detail": Row("obj:sign:view", status={"other_clerk": 200}, kw={"pk": "campaign"}),
    "signs:campaign_close": Row("signed_in", ok=405, kw={"pk": "campaign"}),
    "signs:batch_new": Row(
        "obj:sign:campaign",
        status={"clerk": 404, "head": 404, "custodian": 404, "supervisor": 404, "township": 404},
        kw={"pk": "campaign"},
    ),
    "signs:task_do": Row("obj:sign:edit", kw={"pk": "task"}),
    # --- certificates ------------------------------------------------------------------------------
    "certificates:list": Row("perm:certificate:view"),
    "certificates:new": Row("perm:certificate:intake"),
    "certificates:detail": Row("obj:certificate:view", kw={"pk": "application"}),
    "certificates:decide": Row("signed_in", ok=405, kw={"pk": "application"}),
    "certificates:issue": Row("signed_in", ok=405, kw={"pk": "application"}),
    "certificates:return": Row("signed_in", ok=405, kw={"pk": "application"}),
    "certificates:withdraw": Row("signed_in", ok=405, kw={"pk": "application"}),
    "certificates:materials": Row("signed_in", ok=405, kw={"pk": "application"}),
    "certificates:receipt": Row("obj:certificate:view", kw={"pk": "application"}),
    "certificates:refusal": Row("signed_in", ok=404, kw={"pk": "application"}),
    "certificates:commitment": Row("signed_in", ok=404, kw={"pk": "application"}),
    "certificates:material": Row("obj:certificate:view", kw={"pk": "material"}),
    "certificates:certificate": Row("obj:certificate:view", kw={"pk": "certificate"}),
    "certificates:pdf": Row("signed_in", ok=405, kw={"pk": "certificate"}),
    "certificates:revoke": Row("obj:certificate:revoke", kw={"pk": "certificate"}),  # GET: the confirmation page
    "certificates:register": Row("perm:certificate:view"),
    "certificates:register_xlsx": Row("perm:certificate:view"),
    "certificates:stats": Row("perm:certificate:view"),
    "certificates:cases": Row("perm:certificate:view"),
    "certificates:case": Row("obj:certificate:view", kw={"pk": "case"}),
    "certificates:templates": Row("perm:certificate:template"),
    "certificates:template_new": Row("perm:certificate:template"),
    "certificates:template": Row(
        "obj:certificate:template",
        status={"other_clerk": 403, "department": 404, "other_department": 404},
        kw={"pk": "template"},
    ),
    "certificates:template_publish": Row("signed_in", ok=405, kw={"pk": "template"}),
    "certificates:template_sample": Row("signed_in", status={"county_admin": 200}, ok=404, kw={"pk": "template"}),
    # --- seals -------------------------------------------------------------------------------------
    "seals:seal_list": Row("perm:seal:view"),
    "seals:seal_new": Row("perm:seal:manage"),
    "seals:seal_detail": Row("obj:seal:view", kw={"pk": "seal"}),
    "seals:seal_edit": Row("obj:seal:manage", kw={"pk": "seal"}),
    "seals:seal_file": Row("signed_in", ok=405, kw={"pk": "seal"}),
    "seals:seal_status": Row("signed_in", ok=405, kw={"pk": "seal"}),
    "seals:request_list": Row("perm:seal:view"),
    "seals:request_new": Row("perm:seal:request"),
    "seals:request_detail": Row("obj:seal:view", kw={"pk": "seal_request"}),
    "seals:request_document": Row("signed_in", ok=405, kw={"pk": "seal_request"}),
    "seals:document_download": Row("obj:seal:view", kw={"pk": "seal_request", "doc": "document"}),
    "seals:request_resolution": Row("signed_in", ok=405, kw={"pk": "seal_request"}),
    "seals:request_submit": Row("signed_in", ok=405, kw={"pk": "seal_request"}),
    "seals:request_approve": Row("signed_in", ok=405, kw={"pk": "seal_request"}),
    "seals:request_reject": Row("signed_in", ok=405, kw={"pk": "seal_request"}),
    "seals:request_withdraw": Row("signed_in", ok=405, kw={"pk": "seal_request"}),
    "seals:request_stamp": Row("signed_in", ok=405, kw={"pk": "seal_request"}),
    "seals:register": Row("perm:seal:view"),
    "seals:register_export": Row("perm:seal:view"),
    "seals:handover_list": Row("perm:seal:view"),
    "seals:handover_new": Row("perm:seal:manage", status={"custodian": 200}),
    "seals:handover_detail": Row("obj:seal:view", kw={"pk": "handover"}),
    "seals:handover_confirm": Row("signed_in", ok=405, kw={"pk": "handover"}),
    "seals:handover_refuse": Row("signed_in", ok=405, kw={"pk": "handover"}),
    "seals:handover_cancel": Row("signed_in", ok=405, kw={"pk": "handover"}),
    "seals:handover_acknowledge": Row("signed_in", ok=405, kw={"pk": "handover"}),
    "seals:oversight": Row("perm:audit:view"),
    # --- ledger ------------------------------------------------------------------------------------
    "ledger:chains": Row("perm:audit:view"),
    "ledger:chain": Row("obj:audit:view", outside=VILLAGE_ONLY, kw={"chain": "chain"}),
    "ledger:verify": Row("obj:audit:view", outside=VILLAGE_ONLY, kw={"chain": "chain"}),
    # --- portal ------------------------------------------------------------------------------------
    "portal:home": Row("public"),
    "portal:robots": Row("public"),
    "portal:favicon": Row("public", ok=301),
    # --- catalogs_public ---------------------------------------------------------------------------
    "catalogs_public:triage": Row("public"),
    "catalogs_public:triage_notice": Row("public", ok=405),
    "catalogs_public:triage_region": Row("public", kw={"code": "county"}),
    "catalogs_public:index": Row("public", ok=302),
    "catalogs_public:revision": Row("public", kw={"pk": "revision"}),
    "catalogs_public:region": Row("public", kw={"code": "county"}),
    "catalogs_public:revisions": Row("public", kw={"code": "county"}),
    "catalogs_public:export": Row("public", kw={"code": "county", "kind": "kind", "fmt": "fmt"}),
    "catalogs_public:kind": Row("public", kw={"code": "county", "kind": "kind"}),
    "catalogs_public:changes": Row("public", kw={"code": "county", "kind": "kind"}),
    "catalogs_public:item": Row("public", kw={"code": "county", "kind": "kind", "item": "item"}),
    # --- certificates_public -----------------------------------------------------------------------
    "certificates_public:jwks": Row("public"),
    "certificates_public:verify_form": Row("public"),
    "certificates_public:verify": Row("public", kw={"token": "token"}),
    "certificates_public:apply": Row("public"),
    "certificates_public:apply_status": Row("public"),
    "certificates_public:apply_form": Row("public", kw={"code": "village"}),
    "certificates_public:apply_done": Row("public", kw={"ticket": "ticket"}),
    "certificates_public:apply_receipt": Row("public", kw={"ticket": "ticket"}),
    "certificates_public:apply_refusal": Row("public", ok=404, kw={"ticket": "ticket"}),
    "certificates_public:apply_commitment": Row("public", ok=404, kw={"ticket": "ticket"}),
    "certificates_public:samples": Row("public"),
    "certificates_public:sample_pdf": Row("public", ok=404, kw={"pk": "template"}),
    # --- signs_public ------------------------------------------------------------------------------
    "signs_public:facility_standard": Row("public"),
    # --- admission_public --------------------------------------------------------------------------
    "admission_public:results": Row("public"),
    # --- ledger_public -----------------------------------------------------------------------------
    "ledger_public:heads": Row("public"),
    "ledger_public:chain": Row("public", kw={"chain": "chain"}),
    # --- site and accounts (issue 10) -------------------------------------------------------------------
    "livez": Row("public"),
    "accounts:two_factor": Row("signed_in"),
    "accounts:tokens": Row("signed_in"),
    "accounts:token_revoke": Row("signed_in", ok=405, kw={"pk": "api_token"}),
    "certificates:personal": Row("signed_in", ok=405, kw={"pk": "application"}),
    "ledger_public:ledger_key": Row("public"),
    # --- reporting (填表报数, issue 14) ---------------------------------------------------------------------
    "reporting:home": Row("signed_in"),
    "reporting:request_new": Row("perm:form:request"),
    "reporting:request_detail": Row(
        "obj:form:view", status={"other_department": 404}, outside=BELOW_COUNTY, kw={"pk": "form_request"}
    ),
    "reporting:request_export": Row(
        "obj:form:view", status={"other_department": 404}, ok=422, outside=BELOW_COUNTY, kw={"pk": "form_request"}
    ),
    "reporting:request_decide": Row("signed_in", ok=405, kw={"pk": "form_request"}),
    "reporting:element_list": Row("obj:form:integrate", outside=BELOW_COUNTY, kw={"county": "county"}),
    "reporting:element_edit": Row("obj:form:integrate", outside=BELOW_COUNTY, kw={"county": "county", "pk": "element"}),
    "reporting:consolidation": Row("obj:form:integrate", outside=BELOW_COUNTY, kw={"county": "county", "year": "year"}),
    "reporting:merge_decide": Row("signed_in", ok=405, kw={"county": "county", "year": "year"}),
    "reporting:plan_publish": Row("signed_in", ok=405, kw={"county": "county", "year": "year"}),
    "reporting:filing": Row("obj:form:view", outside=VILLAGE_ONLY, kw={"village": "village", "period": "period"}),
    "reporting:filing_decide": Row("signed_in", ok=405, kw={"pk": "filing"}),
    # --- oversight (负担监管, issue 15) ---------------------------------------------------------------------
    "oversight:home": Row("perm:oversight:view", ok=302),
    "oversight:dashboard": Row("obj:oversight:view", outside=VILLAGE_ONLY, kw={"code": "village"}),
    "oversight:dashboard_export": Row("obj:oversight:view", outside=BELOW_COUNTY, kw={"code": "county"}),
    "oversight:subjects": Row("obj:oversight:view", outside=BELOW_COUNTY, kw={"code": "county"}),
    "oversight:formula": Row("perm:oversight:view"),
    "oversight:refresh": Row("public", ok=405),
    "oversight:alerts": Row("signed_in"),
    "oversight:alert": Row("obj:oversight:view", outside=BELOW_COUNTY_AND_DEPARTMENTS, kw={"pk": "alert"}),
    "oversight:ledger_home": Row("perm:oversight:view", ok=302),
    "oversight:ledger": Row("obj:oversight:view", outside=BELOW_COUNTY, kw={"code": "county"}),
    "oversight:ledger_task": Row("obj:oversight:view", outside=BELOW_COUNTY_AND_DEPARTMENTS, kw={"pk": "ledger_task"}),
    "oversight:reports": Row("perm:oversight:view"),
    "oversight:report_summary": Row("perm:oversight:manage"),
    "oversight:report_preview": Row("obj:oversight:view", outside=BELOW_COUNTY, kw={"code": "county"}),
    "oversight:report": Row("obj:oversight:view", outside=BELOW_COUNTY_AND_DEPARTMENTS, kw={"pk": "report"}),
    "oversight:report_xlsx": Row("obj:oversight:view", outside=BELOW_COUNTY_AND_DEPARTMENTS, kw={"pk": "report"}),
    "oversight:report_pdf": Row("obj:oversight:view", outside=BELOW_COUNTY_AND_DEPARTMENTS, kw={"pk": "report"}),
    "oversight_public:open_data": Row("public"),
    "oversight_public:open_data_csv": Row("public"),
    "oversight_public:open_data_json": Row("public"),
    # --- complaints (举报, issue 13): a report is seen only by its handling county"s staff ----------------
    "complaints:queue": Row("perm:complaint:handle"),
    "complaints:documents": Row(
        "perm:audit:view", status={"supervisor": 403, "township": 403, "department": 200, "other_department": 200}
    ),
    "complaints:document_new": Row(
        "perm:audit:view", status={"supervisor": 403, "township": 403, "department": 200, "other_department": 200}
    ),
    "complaints:document": Row(
        "obj:audit:view",
        status={"department": 200, "other_department": 200},
        outside=BELOW_COUNTY,
        kw={"pk": "reviewed_document"},
    ),
    "complaints:finding_decide": Row("signed_in", ok=405, kw={"pk": "review_finding"}),
    "complaints:detail": Row(
        "signed_in", status={"reviewer": 200, "county_admin": 200}, ok=404, kw={"code": "complaint"}
    ),
    "complaints:photo": Row(
        "signed_in",
        status={"reviewer": 200, "county_admin": 200},
        ok=404,
        kw={"code": "complaint", "pk": "complaint_photo"},
    ),
    "complaints:answer": Row("signed_in", ok=405, kw={"code": "complaint", "pk": "question"}),
    "complaints:publish": Row(
        "signed_in", status={"reviewer": 403, "county_admin": 200}, ok=404, kw={"code": "complaint"}
    ),
    "complaints:act": Row("signed_in", ok=405, kw={"code": "complaint", "action": "complaint_action"}),
    "complaints_public:file": Row("public"),
    "complaints_public:picker": Row("public"),
    "complaints_public:receipt": Row("public", ok=302),
    "complaints_public:track": Row("public"),
    "complaints_public:ask": Row("public", ok=405),
    "complaints_public:cases": Row("public"),
    "complaints_public:case": Row("public", kw={"pk": "typical_case"}),
    "complaints_public:feed": Row("public"),
    # --- duty procedures and departments' responsibilities (（一）, issue 18) ----------------------------
    "catalogs_public:guide_pdf": Row(
        "public", kw={"code": "county", "kind": "procedure_kind", "item": "procedure_item"}
    ),
    "admission:remits": Row("perm:region:manage"),
    "admission:remit_edit": Row("perm:region:manage", kw={"department": "remit_department"}),
    "admission_public:remits": Row("public", kw={"code": "county"}),
    # --- villagework (issue 18: （五）satisfaction survey, （六）posts, （七）funding and estates, （八）facility use) ---
    "villagework:home": Row("perm:sign:view", ok=302),
    "villagework:region": Row("obj:sign:view", kw={"code": "village"}),
    "villagework:surveys": Row(
        "obj:admission:view",
        status={"clerk": 404, "head": 404, "custodian": 404, "supervisor": 404, "township": 404},
        outside=VILLAGE_ONLY,
        kw={"pk": "evaluation"},
    ),
    "villagework:survey_codes": Row("signed_in", ok=405, kw={"pk": "survey"}),
    "villagework:funding_advance": Row("signed_in", ok=405, kw={"pk": "funding"}),
    "villagework_public:survey": Row("public"),
    "villagework_public:posts": Row("public", kw={"code": "village"}),
    # --- registries of approvals, routed work, rule misses, missed phrasings (issue 12) -----------------
    "admission:approvals": Row("perm:admission:view"),
    "admission:approval_revoke": Row("signed_in", ok=405, kw={"pk": "approval"}),
    "admission:routed": Row("perm:admission:view"),
    "admission:routed_update": Row("signed_in", ok=405, kw={"pk": "routed"}),
    "admission:rule_misses": Row("perm:admission:view"),
    "admission:rule_miss_review": Row("signed_in", ok=405, kw={"pk": "rule_miss"}),
    "catalogs:phrasings": Row("perm:catalog:edit"),
    "catalogs:phrasing_act": Row("signed_in", ok=405, kw={"pk": "phrasing"}),
    # --- issue 16 (ux2): finding a village or township by name, pinyin or initials ------------------
    "portal:places": Row("public"),
    # --- oversight: records behind a figure, alert rules (issue 15 review) -----------------------------
    "oversight:records": Row(
        "obj:oversight:view", outside=VILLAGE_ONLY, kw={"code": "village", "figure": "burden_figure"}
    ),
    "oversight:rules": Row("perm:oversight:view"),
    "oversight:rule": Row("perm:oversight:view", kw={"code": "alert_rule"}),
}

# Every URL of a namespace at once (Django's admin registers a page per model).
PAGE_NAMESPACES: dict[str, Row] = {"admin": ADMIN}

OPERATIONS: dict[str, Row] = {
    # --- auth --------------------------------------------------------------------------------------
    "POST /api/v1/auth/token": Row("public", ok=422),
    "DELETE /api/v1/auth/token": Row("signed_in", ok=204),
    # --- me ----------------------------------------------------------------------------------------
    "GET /api/v1/me": Row("signed_in"),
    # --- regions -----------------------------------------------------------------------------------
    "GET /api/v1/regions/{code}": Row("public", kw={"code": "village"}),
    # --- catalogs ----------------------------------------------------------------------------------
    "GET /api/v1/catalogs/{kind}": Row("public", kw={"kind": "kind"}),
    # --- certificates ------------------------------------------------------------------------------
    "POST /api/v1/certificates/triage": Row("public", ok=422),
    # --- catalogs ----------------------------------------------------------------------------------
    "GET /api/v1/catalogs/{kind}/changes": Row("public", kw={"kind": "kind"}),
    "GET /api/v1/catalogs/{kind}/{code}": Row("public", kw={"kind": "kind", "code": "item"}),
    # --- catalog-revisions -------------------------------------------------------------------------
    "GET /api/v1/catalog-revisions": Row("signed_in"),
    "POST /api/v1/catalog-revisions": Row("signed_in", ok=422),
    "GET /api/v1/catalog-revisions/{pk}": Row("signed_in", kw={"pk": "revision"}),
    "POST /api/v1/catalog-revisions/import": Row("signed_in", ok=422),
    "POST /api/v1/catalog-revisions/{pk}/approve": Row(
        "signed_in", status={"province": 409}, ok=403, kw={"pk": "revision"}
    ),
    "POST /api/v1/catalog-revisions/{pk}/discard": Row(
        "signed_in", status={"province": 409}, ok=403, kw={"pk": "revision"}
    ),
    # --- admission ---------------------------------------------------------------------------------
    "POST /api/v1/admission/screen": Row("signed_in", ok=422),
    "POST /api/v1/admission/requests": Row("signed_in", ok=422),
    "GET /api/v1/admission/requests": Row("signed_in"),
    "GET /api/v1/admission/requests/{pk}": Row(
        "obj:admission:view",
        status={"clerk": 404, "head": 404, "custodian": 404, "supervisor": 404, "township": 404},
        outside=DEPARTMENT_INSIDE,
        kw={"pk": "admission_request"},
    ),
    "POST /api/v1/admission/requests/{pk}/revise": Row("signed_in", ok=422, kw={"pk": "admission_request"}),
    "POST /api/v1/admission/requests/{pk}/decision": Row("signed_in", ok=422, kw={"pk": "admission_request"}),
    "GET /api/v1/admission/assignments": Row("signed_in"),
    "POST /api/v1/admission/assignments/{pk}/{action}": Row(
        "obj:admission:receive", outside=DEPARTMENT_INSIDE, kw={"pk": "assignment", "action": "action"}
    ),
    "POST /api/v1/admission/offlist-reports": Row("signed_in", ok=422),
    "GET /api/v1/admission/public/results": Row("public"),
    # --- signs -------------------------------------------------------------------------------------
    "POST /api/v1/signs/check": Row("signed_in", ok=422),
    "GET /api/v1/signs/villages/{code}/compliance": Row("obj:sign:view", kw={"code": "village"}),
    # --- facilities --------------------------------------------------------------------------------
    "POST /api/v1/facilities/check": Row("public", ok=422),
    # --- certificates ------------------------------------------------------------------------------
    "GET /api/v1/certificates/verify": Row("public", ok=422),
    "GET /api/v1/certificates/applications": Row("perm:certificate:view"),
    "POST /api/v1/certificates/applications": Row("signed_in", ok=422),
    "GET /api/v1/certificates/applications/{app_id}": Row("obj:certificate:view", kw={"app_id": "application"}),
    "POST /api/v1/certificates/applications/{app_id}/materials": Row("signed_in", ok=422, kw={"app_id": "application"}),
    "POST /api/v1/certificates/applications/{app_id}/decision": Row("signed_in", ok=422, kw={"app_id": "application"}),
    "POST /api/v1/certificates/applications/{app_id}/issue": Row(
        "obj:certificate:view", status={"head": 409}, ok=403, kw={"app_id": "application"}
    ),
    "POST /api/v1/certificates/applications/{app_id}/return": Row("signed_in", ok=422, kw={"app_id": "application"}),
    "POST /api/v1/certificates/applications/{app_id}/withdraw": Row("signed_in", ok=422, kw={"app_id": "application"}),
    "GET /api/v1/certificates/applications/{app_id}/receipt.pdf": Row(
        "obj:certificate:view", kw={"app_id": "application"}
    ),
    "GET /api/v1/certificates/applications/{app_id}/refusal.pdf": Row(
        "signed_in", ok=404, kw={"app_id": "application"}
    ),
    "GET /api/v1/certificates/applications/{app_id}/commitment.pdf": Row(
        "signed_in", ok=404, kw={"app_id": "application"}
    ),
    "GET /api/v1/certificates/issued/{cert_id}": Row("obj:certificate:view", kw={"cert_id": "certificate"}),
    "POST /api/v1/certificates/issued/{cert_id}/print": Row("obj:certificate:intake", kw={"cert_id": "certificate"}),
    "POST /api/v1/certificates/issued/{cert_id}/revoke": Row("signed_in", ok=422, kw={"cert_id": "certificate"}),
    "GET /api/v1/certificates/register": Row("perm:certificate:view"),
    "GET /api/v1/certificates/register.xlsx": Row("perm:certificate:view"),
    "GET /api/v1/certificates/stats": Row("perm:certificate:view"),
    "GET /api/v1/certificates/cases": Row("perm:certificate:view"),
    "GET /api/v1/certificates/cases/{case_id}": Row("obj:certificate:view", kw={"case_id": "case"}),
    "POST /api/v1/certificates/cases/{case_id}/close": Row("signed_in", ok=422, kw={"case_id": "case"}),
    "GET /api/v1/certificates/templates": Row("public"),
    "POST /api/v1/certificates/templates": Row("signed_in", ok=422),
    "POST /api/v1/certificates/templates/{template_id}/publish": Row(
        "signed_in", status={"county_admin": 200}, ok=404, kw={"template_id": "template"}
    ),
    "POST /api/v1/certificates/templates/{template_id}/withdraw": Row(
        "signed_in", status={"county_admin": 409}, ok=404, kw={"template_id": "template"}
    ),
    # --- seals -------------------------------------------------------------------------------------
    "GET /api/v1/seals": Row("perm:seal:view"),
    "POST /api/v1/seals": Row("signed_in", ok=422),
    "GET /api/v1/seals/{seal_id}": Row("obj:seal:view", kw={"seal_id": "seal"}),
    "PATCH /api/v1/seals/{seal_id}": Row("signed_in", ok=422, kw={"seal_id": "seal"}),
    "POST /api/v1/seals/{seal_id}/filing": Row("signed_in", ok=422, kw={"seal_id": "seal"}),
    "POST /api/v1/seals/{seal_id}/status": Row("signed_in", ok=422, kw={"seal_id": "seal"}),
    "GET /api/v1/seals/{seal_id}/next-request": Row("obj:seal:view", ok=204, kw={"seal_id": "seal"}),
    "GET /api/v1/seals/requests": Row("perm:seal:view"),
    "POST /api/v1/seals/requests": Row("signed_in", ok=422),
    "GET /api/v1/seals/requests/{request_id}": Row("obj:seal:view", kw={"request_id": "seal_request"}),
    "POST /api/v1/seals/requests/{request_id}/documents": Row("signed_in", ok=422, kw={"request_id": "seal_request"}),
    "POST /api/v1/seals/requests/{request_id}/resolution": Row("signed_in", ok=422, kw={"request_id": "seal_request"}),
    "POST /api/v1/seals/requests/{request_id}/submit": Row(
        "obj:seal:view", status={"clerk": 409}, ok=403, kw={"request_id": "seal_request"}
    ),
    "POST /api/v1/seals/requests/{request_id}/approve": Row(
        "obj:seal:view", status={"head": 409}, ok=403, kw={"request_id": "seal_request"}
    ),
    "POST /api/v1/seals/requests/{request_id}/reject": Row("signed_in", ok=422, kw={"request_id": "seal_request"}),
    "POST /api/v1/seals/requests/{request_id}/withdraw": Row(
        "obj:seal:view", status={"clerk": 409}, ok=403, kw={"request_id": "seal_request"}
    ),
    "POST /api/v1/seals/requests/{request_id}/claim": Row("signed_in", ok=422, kw={"request_id": "seal_request"}),
    "POST /api/v1/seals/requests/{request_id}/stamp": Row("signed_in", ok=422, kw={"request_id": "seal_request"}),
    "GET /api/v1/seals/uses": Row("perm:seal:view"),
    "GET /api/v1/seals/uses/{use_id}": Row("obj:seal:view", kw={"use_id": "seal_use"}),
    "GET /api/v1/seals/refusals": Row("perm:seal:view"),
    "GET /api/v1/seals/handovers": Row("perm:seal:view"),
    "POST /api/v1/seals/handovers": Row("signed_in", ok=422),
    "GET /api/v1/seals/handovers/{handover_id}": Row("obj:seal:view", kw={"handover_id": "handover"}),
    "POST /api/v1/seals/handovers/{handover_id}/confirm": Row("obj:seal:view", ok=403, kw={"handover_id": "handover"}),
    "POST /api/v1/seals/handovers/{handover_id}/refuse": Row("signed_in", ok=422, kw={"handover_id": "handover"}),
    "POST /api/v1/seals/handovers/{handover_id}/cancel": Row("obj:seal:stamp", kw={"handover_id": "handover"}),
    "POST /api/v1/seals/handovers/{handover_id}/acknowledge": Row(
        "obj:seal:view", status={"township": 409}, ok=403, kw={"handover_id": "handover"}
    ),
    "GET /api/v1/seals/oversight": Row("perm:audit:view"),
    # --- ledger ------------------------------------------------------------------------------------
    "GET /api/v1/ledger/heads": Row("public"),
    # --- accounts and ledger (issue 10) -----------------------------------------------------------------
    "GET /api/v1/auth/tokens": Row("signed_in"),
    "GET /api/v1/ledger/checkpoint": Row("public", ok=404),
    "GET /api/v1/ledger/consistency": Row("public", ok=422),
    "GET /api/v1/ledger/inclusion": Row("public", ok=422),
    # --- reporting --------------------------------------------------------------------------------------
    "POST /api/v1/reporting/forms/parse": Row("signed_in", ok=422),
    "POST /api/v1/reporting/forms/compare": Row("signed_in", ok=422),
    "GET /api/v1/reporting/values": Row("perm:form:request"),
    # --- oversight --------------------------------------------------------------------------------------
    "GET /api/v1/oversight/burden": Row("signed_in", ok=422),
    # --- complaints -------------------------------------------------------------------------------------
    "POST /api/v1/complaints": Row("public", ok=422),
    "GET /api/v1/complaints": Row("perm:complaint:handle"),
    "GET /api/v1/complaints/{tracking_code}": Row("public", kw={"tracking_code": "complaint"}),
    "POST /api/v1/complaints/{tracking_code}/conclude": Row(
        "signed_in", status={"reviewer": 422, "county_admin": 422}, ok=404, kw={"tracking_code": "complaint"}
    ),
    "POST /api/v1/complaints/{tracking_code}/accept": Row(
        "signed_in", status={"reviewer": 200, "county_admin": 200}, ok=404, kw={"tracking_code": "complaint"}
    ),
    "POST /api/v1/complaints/{tracking_code}/decline": Row(
        "signed_in", status={"reviewer": 422, "county_admin": 422}, ok=404, kw={"tracking_code": "complaint"}
    ),
    "POST /api/v1/complaints/{tracking_code}/extend": Row(
        "signed_in", status={"reviewer": 422, "county_admin": 422}, ok=404, kw={"tracking_code": "complaint"}
    ),
    "POST /api/v1/complaints/{tracking_code}/transfer": Row(
        "signed_in", status={"reviewer": 422, "county_admin": 422}, ok=404, kw={"tracking_code": "complaint"}
    ),
    "GET /api/v1/typical-cases": Row("public"),
}
