"""Issue 11 hole 10: every URL of the project × every demo role, against one table of answers.

The table below is the documentation of who may open what. It has one row per URL name (the
admin site's per-model pages share a row per kind, matched by pattern); the test walks
``get_resolver()`` recursively, so a new URL without a row fails ``test_every_url_has_a_row``.

Columns, in this order (the demo users of ``gongkai.backoffice.demo``):

    anon    not logged in
    off     gy_officer     信息公开工作人员 of 果园街道
    clk     gy_clerk       科室信息员 of 果园街道 (城市管理办公室: own department's cases only)
    ldr     gy_leader      负责人 of 果园街道
    sup     my_supervisor  主管部门 of 密云区 (reads 果园街道 and 鼓楼街道, changes nothing of theirs)
    oth     gl_officer     信息公开工作人员 of 鼓楼街道, another agency: 果园街道's records are a 404
    adm     admin          系统管理员
    mgr     gy_manager     本机关管理员 of 果园街道: manages its users and departments, reads none of its
                           records (cases, letters, publications: an empty list, a 404 for one)

URL parameters are real objects of the demo data set (果园街道's case routed to the clerk's
department, its letter, a draft item with an attachment, the report's second version, …) and
a 年报监督 batch uploaded by ``my_supervisor``.

GET answers: 200 shown, 302 sent elsewhere (anonymous users to the login page), 403 not for this
role, 404 not found in the user's scope, 405 the view takes POST only.

POST answers (views that take POST): the table gives the answer of every role that must be
refused (302 to login, 403, 404), and ``.`` for a role that may post: those posts are not sent
(they would write). The test asserts nothing changed in the database after the refused posts.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai import clock
from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.apiclients.models import ApiClient
from gongkai.apiclients.services import create_client
from gongkai.audit.models import AuditEvent
from gongkai.backoffice.demo import load_all
from gongkai.cases import services as case_services
from gongkai.cases.models import Case, Review
from gongkai.core.letters import LetterType
from gongkai.core.letters.service import ServiceMethod
from gongkai.core.publication_flow import ItemStatus
from gongkai.jobs.models import Job
from gongkai.letters.deliveries import record_delivery
from gongkai.letters.models import Delivery, Letter, LetterDraft
from gongkai.letters.services import generate_letter
from gongkai.publications import services as publication_services
from gongkai.publications.models import Attachment, Category, Item, RegisterDocument
from gongkai.reports import services as report_services
from gongkai.reports.models import AnnualReportRecord
from gongkai.supervision.models import ReadReport, ReportBatch
from gongkai.supervision.services import batch_job, upload_batch
from gongkai.web.access import allowed_roles
from tests.supervision.conftest import as_text, consistent

ROLES = ("anon", "off", "clk", "ldr", "sup", "oth", "adm", "mgr")
USERNAMES = {
    "off": "gy_officer",
    "clk": "gy_clerk",
    "ldr": "gy_leader",
    "sup": "my_supervisor",
    "oth": "gl_officer",
    "adm": "admin",
    "mgr": "gy_manager",
}

# fmt: off
#                                                GET                                POST
# URL name                                      anon off clk ldr sup oth adm mgr   anon off clk ldr sup oth adm mgr
TABLE: dict[str, tuple[str, str | None]] = {
    # 登录、密码
    "healthz":                                 ("200 200 200 200 200 200 200 200", None),
    # 后台任务（my_supervisor 上传批次时启动的读取任务：只有发起人与系统管理员可见）
    "jobs:detail":                             ("302 404 404 404 200 404 200 404", None),
    "jobs:status":                             ("302 404 404 404 200 404 200 404", None),
    "jobs:file":                               ("302 404 404 404 404 404 404 404", None),  # no file
    "login":                                   ("200 302 302 302 302 302 302 302", ".   302 302 302 302 302 302 302"),
    "logout":                                  ("405 405 405 405 405 405 405 405", None),  # POST logs out
    "password_change":                         ("302 200 200 200 200 200 200 200", "302 .   .   .   .   .   .   ."),
    "password_set":                            ("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),  # a junk link: "无效"
    "password_change_done":                    ("302 200 200 200 200 200 200 200", None),
    # 工作台、机构、审计记录
    "backoffice:home":                         ("302 200 200 200 200 200 200 200", None),
    "backoffice:agency_list":                  ("302 200 200 200 200 200 200 200", None),
    "backoffice:agency_detail":                ("302 200 200 200 200 404 200 200", None),
    "backoffice:agency_edit":                  ("302 200 200 200 403 404 403 403", "302 .   .   .   403 404 403 403"),
    "backoffice:audit_list":                   ("302 200 200 200 200 200 200 200", None),
    # 人员与科室: the agency's 本机关管理员 changes its own; supervisors and the administrator read
    "backoffice:staff":                        ("302 403 403 403 200 403 200 302", None),
    "backoffice:staff_roster":                 ("302 403 403 403 200 403 200 200", None),
    "backoffice:staff_user_new":               ("302 403 403 403 403 403 403 200", "302 403 403 403 403 403 403 ."),
    "backoffice:staff_user_edit":              ("302 403 403 403 403 403 403 200", "302 403 403 403 403 403 403 ."),
    "backoffice:staff_user_active":            ("302 403 403 403 403 403 403 405", "302 403 403 403 403 403 403 ."),
    "backoffice:staff_password_link":          ("302 403 403 403 403 403 403 405", "302 403 403 403 403 403 403 ."),
    "backoffice:staff_department_new":         ("302 403 403 403 403 403 403 405", "302 403 403 403 403 403 403 ."),
    "backoffice:staff_department_edit":        ("302 403 403 403 403 403 403 200", "302 403 403 403 403 403 403 ."),
    # 依申请公开
    "cases:desk":                              ("302 200 200 200 200 200 200 200", None),
    "cases:register":                          ("302 200 200 200 403 200 403 403", "302 .   .   .   403 .   403 403"),
    "cases:detail":                            ("302 200 200 200 200 404 200 404", None),
    "cases:deadline":                          ("302 200 200 200 200 404 200 404", None),
    "cases:retry_message":                     ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "cases:ask_new_proof":                     ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "cases:reply_file":                        ("302 404 404 404 404 404 404 404", None),  # the world has no applicant file
    "cases:act":                               ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "cases:reviews":                           ("302 200 200 200 200 200 200 200", None),
    "cases:review_new":                        ("302 200 200 200 403 200 403 403", "302 .   .   .   403 .   403 403"),
    "cases:review_dates":                      ("302 200 200 200 403 404 403 403", "302 .   .   .   403 404 403 403"),
    "cases:review_conclude":                   ("302 200 200 200 403 404 403 403", "302 .   .   .   403 404 403 403"),
    # 文书、台账
    "letters:case":                            ("302 200 200 200 200 404 200 404", "302 .   .   .   403 404 403 404"),
    "letters:download":                        ("302 200 200 200 200 404 200 404", None),
    "letters:reprint":                         ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "letters:pdf":                             ("302 200 200 200 200 404 200 404", None),
    "letters:receipt":                         ("302 200 200 200 200 404 200 404", None),
    "letters:record_delivery":                 ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "letters:confirm_receipt":                 ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "letters:proof":                           ("302 200 200 200 200 404 200 404", None),
    "letters:ledger_export":                   ("302 200 200 200 200 200 200 200", None),
    "letters:ledger_import":                   ("302 200 403 200 403 200 403 403", "302 .   403 .   403 .   403 403"),
    "letters:draft":                           ("302 200 200 200 200 404 200 404", None),
    "letters:draft_act":                       ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "letters:draft_edit":                      ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "letters:draft_sign":                      ("302 200 200 200 403 404 403 403", "302 .   .   .   403 404 403 403"),
    # 主动公开
    "publications:item_list":                  ("302 200 200 200 200 200 200 200", None),
    "publications:item_create":                ("302 200 200 200 403 302 403 403", "302 .   .   .   403 .   403 403"),
    "publications:review_queue":               ("302 200 200 200 200 200 200 200", None),
    "publications:items_import":               ("302 200 200 200 403 200 403 403", "302 .   .   .   403 .   403 403"),
    "publications:item_detail":                ("302 200 200 200 200 404 200 404", None),
    "publications:item_edit":                  ("302 200 200 200 403 404 403 403", "302 .   .   .   403 404 403 403"),
    "publications:item_submit":                ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "publications:item_review":                ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "publications:item_publish":               ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "publications:item_withdraw":              ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "publications:attachment_add":             ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "publications:attachment_download":        ("302 200 200 200 200 404 200 404", None),
    "publications:attachment_remove":          ("302 405 405 405 403 405 403 403", "302 .   .   .   403 404 403 403"),
    "publications:catalogue":                  ("302 200 200 200 403 200 403 403", "302 .   .   .   403 .   403 403"),
    "publications:guide":                      ("302 200 403 200 403 200 403 403", "302 .   403 .   403 .   403 403"),
    "publications:register":                   ("302 200 200 200 200 200 200 200", "302 .   .   .   403 .   403 403"),
    "publications:register_abolish":           ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "publications:figures":                    ("302 200 200 200 200 200 200 200", "302 .   .   .   403 .   403 403"),
    "publications:figures_import":             ("302 405 403 405 403 405 403 403", "302 .   403 .   403 .   403 403"),
    "publications:suggestions":                ("302 200 403 200 403 200 403 403", "302 .   403 .   403 .   403 403"),
    # 年度报告
    "reports:index":                           ("302 200 200 200 302 200 302 200", None),
    "reports:overview":                        ("302 200 200 200 200 200 200 200", None),
    "reports:agency_year":                     ("302 200 200 200 200 404 200 200", None),
    "reports:start":                           ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "reports:preview_download":                ("302 200 200 200 200 404 200 200", None),
    "reports:record":                          ("302 200 200 200 200 404 200 404", None),
    "reports:save_narrative":                  ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "reports:sign_off":                        ("302 403 403 200 403 403 403 403", "302 403 403 .   403 403 403 403"),
    "reports:publish":                         ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "reports:new_version":                     ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "reports:diff":                            ("302 200 200 200 200 404 200 404", None),
    "reports:download":                        ("302 200 200 200 200 404 200 404", None),
    # 案卷归档 (officer and leader of the agency; the lock is the leader's)
    "archives:index":                          ("302 200 403 200 403 200 403 403", None),
    "archives:year_download":                  ("302 200 403 200 403 404 403 403", None),  # 鼓楼街道 has no case that year
    "archives:case_download":                  ("302 200 403 200 403 404 403 403", None),
    "archives:year_export":                    ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "archives:lock":                           ("302 403 403 405 403 403 403 403", "302 403 403 .   403 403 403 403"),
    "archives:unlock":                         ("302 403 403 405 403 403 403 403", "302 403 403 .   403 403 403 403"),
    "reports:submit":                          ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "reports:return_draft":                    ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "reports:explain":                         ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "reports:similarity":                      ("302 200 200 200 200 404 200 404", None),
    "reports:work":                            ("302 200 403 200 403 200 403 403", None),
    "reports:work_add":                        ("302 405 403 405 403 405 403 403", "302 .   403 .   403 .   403 403"),
    "reports:work_delete":                     ("302 405 403 405 403 405 403 403", "302 .   403 .   403 404 403 403"),
    "reports:work_import":                     ("302 405 403 405 403 405 403 403", "302 .   403 .   403 .   403 403"),
    # 工作日历
    "workcalendar:year_list":                  ("302 200 200 200 200 200 200 200", None),
    "workcalendar:upload":                     ("302 403 403 403 403 403 200 403", "302 403 403 403 403 403 .   403"),
    "workcalendar:year_detail":                ("302 200 200 200 200 200 200 200", None),
    # 统计图表：主管部门的年报发布情况、催报、报表汇总
    "dashboards:console_board":                ("302 403 403 403 200 403 200 403", None),
    "dashboards:console_board_xlsx":           ("302 403 403 403 200 403 200 403", None),
    "dashboards:console_remind":               ("302 403 403 403 405 403 405 403", "302 403 403 403 .   403 .   403"),
    "dashboards:console_rollup":               ("302 403 403 403 200 403 200 403", None),
    "dashboards:console_rollup_xlsx":          ("302 403 403 403 200 403 200 403", None),
    # 年报监督 (主管部门)
    "supervision:index":                       ("302 403 403 403 200 403 200 403", "302 403 403 403 .   403 403 403"),
    "supervision:batch":                       ("302 403 403 403 200 403 200 403", None),
    "supervision:recheck":                     ("302 403 403 403 405 403 403 403", "302 403 403 403 .   403 403 403"),
    "supervision:export":                      ("302 403 403 403 200 403 200 403", None),
    "supervision:report":                      ("302 403 403 403 200 403 200 403", None),
    "supervision:compare":                     ("302 403 403 403 200 403 200 403", None),  # ?agency=果园街道
    # 统计图表：趋势与异常（主管部门、系统管理员）
    "dashboards:trends":                       ("302 403 403 403 200 403 200 403", None),
    "dashboards:trends_export":                ("302 403 403 403 200 403 200 403", None),
    "dashboards:trends_pair":                  ("302 403 403 403 200 403 200 403", None),  # 果园街道 ↔ 鼓楼街道
    # 工作统计 (the agency's dashboard): its own agency's figures (a clerk: its department's cases);
    # a supervisor or the administrator picks any agency in reach with ?agency=; a manager reads no records
    "dashboards:agency_board":                 ("302 200 200 200 200 200 200 403", None),
    "dashboards:agency_export":                ("302 200 200 200 200 200 200 403", None),
    # API (gongkai.api; schema: helper S5 serves it to staff only)
    "api:schema":                              ("403 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405"),
    "api:case-list":                           ("403 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405"),
    "api:case-detail":                         ("403 200 200 200 200 404 200 404", "403 405 405 405 405 405 405 405"),
    "api:publication-item-list":               ("403 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405"),
    "api:publication-item-detail":             ("403 200 200 200 200 404 200 404", "403 405 405 405 405 405 405 405"),
    "api:publication-item-publish":            ("403 405 405 405 405 405 405 405", "403 .   403 .   403 404 403 404"),
    "api:publication-item-review":             ("403 405 405 405 405 405 405 405", "403 .   403 .   403 404 403 404"),
    "api:publication-item-submit":             ("403 405 405 405 405 405 405 405", "403 .   .   .   403 404 403 404"),
    "api:publication-item-withdraw":           ("403 405 405 405 405 405 405 405", "403 .   403 .   403 404 403 404"),
    "api:report-computed":                     ("403 200 200 200 200 404 200 200", "403 405 405 405 405 405 405 405"),
    "api:report-record-list":                  ("403 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405"),
    "api:report-record-list.<format>":         ("403 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405"),
    "api:report-record-detail":                ("403 200 200 200 200 404 200 404", "403 405 405 405 405 405 405 405"),
    "api:report-record-detail.<format>":       ("403 200 200 200 200 404 200 404", "403 405 405 405 405 405 405 405"),
    "api:api-root":                            ("403 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405"),
    "api:api-root.<format>":                   ("403 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405"),
    "api:no-such-endpoint":                    ("403 404 404 404 404 404 404 404", "403 404 404 404 404 404 404 404"),
    # 公众门户: public
    "portal:index":                            ("200 200 200 200 200 200 200 200", None),
    "portal:search":                           ("200 200 200 200 200 200 200 200", None),
    "portal:display_mode":                     ("302 302 302 302 302 302 302 302", None),
    "portal:item":                             ("200 200 200 200 200 200 200 200", None),
    "portal:attachment":                       ("200 200 200 200 200 200 200 200", None),
    "portal:apply_choose":                     ("200 200 200 200 200 200 200 200", None),
    "portal:apply_done":                       ("302 302 302 302 302 302 302 302", None),
    "portal:track":                            ("200 200 200 200 200 200 200 200", ".   .   .   .   .   .   .   ."),  # tests/portal
    "portal:track_letter":                     ("404 404 404 404 404 404 404 404", None),
    "portal:tracked_receipt":                  ("404 404 404 404 404 404 404 404", None),  # only after the tracking check
    "portal:letter_pdf":                       ("404 404 404 404 404 404 404 404", None),
    "portal:track_case":                       ("302 302 302 302 302 302 302 302", None),  # to the tracking form first
    "portal:track_correction":                 ("405 405 405 405 405 405 405 405", "403 403 403 403 403 403 403 403"),  # no tracked case in the session
    "portal:track_proof":                      ("405 405 405 405 405 405 405 405", "403 403 403 403 403 403 403 403"),
    "portal:track_send_code":                  ("405 405 405 405 405 405 405 405", ".   .   .   .   .   .   .   ."),
    "portal:track_forgot":                     ("200 200 200 200 200 200 200 200", ".   .   .   .   .   .   .   ."),
    "portal:submitted_receipt":                ("404 404 404 404 404 404 404 404", None),  # only in the applying session
    "portal:agency":                           ("200 200 200 200 200 200 200 200", None),
    "portal:guide":                            ("200 200 200 200 200 200 200 200", None),
    "portal:catalogue":                        ("200 200 200 200 200 200 200 200", None),
    "portal:category":                         ("200 200 200 200 200 200 200 200", None),
    "portal:reports":                          ("200 200 200 200 200 200 200 200", None),
    "portal:report_document":                  ("200 200 200 200 200 200 200 200", None),
    "portal:apply":                            ("200 200 200 200 200 200 200 200", ".   .   .   .   .   .   .   ."),
    "portal:account":                          ("302 302 302 302 302 302 302 302", None),  # to the sign-in form first
    "portal:account_login":                    ("200 200 200 200 200 200 200 200", ".   .   .   .   .   .   .   ."),  # tests/portal/test_account.py
    "portal:account_verify":                   ("405 405 405 405 405 405 405 405", ".   .   .   .   .   .   .   ."),
    "portal:account_case":                     ("302 302 302 302 302 302 302 302", None),  # not signed in: to the sign-in form
    "portal:account_logout":                   ("405 405 405 405 405 405 405 405", "302 302 302 302 302 302 302 302"),
    # Intake of other systems: an API token with cases:submit only (tests/api/test_clients.py)
    "api:case-application-create":             ("403 405 405 405 405 405 405 405", "403 403 403 403 403 403 403 403"),
    # 接口客户端 (gongkai.apiclients): the agency's manager (API_CLIENT_MANAGER_ROLES) and the administrator
    "apiclients:index":                        ("302 403 403 200 403 403 200 200", "302 403 403 .   403 403 .   ."),
    "apiclients:detail":                       ("302 403 403 200 403 403 200 200", "302 403 403 .   403 403 .   ."),
    "portal:feed_items":                       ("200 200 200 200 200 200 200 200", None),
    "portal:feed_reports":                     ("200 200 200 200 200 200 200 200", None),
    "portal:feed_harvest":                     ("200 200 200 200 200 200 200 200", None),
    # 系统管理 (Django admin): only the administrator gets in; everyone else is sent to the admin's login.
    # What the administrator may do per model is each app's admin.py ("*": any answer but a 500).
    "admin:index":                             ("302 302 302 302 302 302 200 302", "302 302 302 302 302 302 .   302"),
    "admin:login":                             ("200 200 200 200 200 200 302 200", None),
    "admin:logout":                            ("302 302 302 302 302 302 405 302", None),
    "admin:password_change":                   ("302 302 302 302 302 302 200 302", "302 302 302 302 302 302 .   302"),
    "admin:password_change_done":              ("302 302 302 302 302 302 200 302", "302 302 302 302 302 302 405 302"),
    "admin:autocomplete":                      ("302 302 302 302 302 302 403 302", "302 302 302 302 302 302 405 302"),
    "admin:jsi18n":                            ("302 302 302 302 302 302 200 302", "302 302 302 302 302 302 405 302"),
    "admin:view_on_site":                      ("302 302 302 302 302 302 404 302", None),
    "admin:app_list":                          ("302 302 302 302 302 302 200 302", None),
    "admin:auth_user_password_change":         ("302 302 302 302 302 302 200 302", "302 302 302 302 302 302 .   302"),
    "admin:*_changelist":                      ("302 302 302 302 302 302 *   302", "302 302 302 302 302 302 .   302"),
    "admin:*_add":                             ("302 302 302 302 302 302 *   302", "302 302 302 302 302 302 .   302"),
    "admin:*_change":                          ("302 302 302 302 302 302 *   302", "302 302 302 302 302 302 .   302"),
    "admin:*_delete":                          ("302 302 302 302 302 302 *   302", "302 302 302 302 302 302 .   302"),
    "admin:*_history":                         ("302 302 302 302 302 302 *   302", None),
    "admin:admin/*/<path:object_id>/":         ("302 302 302 302 302 302 302 302", None),  # old change URLs
    "admin:admin/(?P<url>.*)$":                ("302 302 302 302 302 302 404 302", None),  # anything else
}
# fmt: on
# The unversioned /api/ addresses of before /api/v1/ answer as the versioned ones.
TABLE.update({"api-legacy" + key[3:]: row for key, row in list(TABLE.items()) if key.startswith("api:")})


# ---------------------------------------------------------------------------------------------
# The demo world
# ---------------------------------------------------------------------------------------------

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    gy: Agency
    case: Case  # routed to the clerk's department
    review: Review
    letter: Letter
    letter_draft: LetterDraft  # the demo's 签批 draft the clerk can see (its case is the clerk's department's)
    delivery: Delivery  # the letter sent by EMS, its date of receipt not yet entered, with a proof
    draft: Item  # 果园街道's draft, with an attachment
    attachment: Attachment
    published: Item  # on the portal, with an attachment
    public_attachment: Attachment
    category: Category
    document: RegisterDocument
    first: AnnualReportRecord  # the published 2023 report
    second: AnnualReportRecord  # its second version, a draft
    batch: ReportBatch  # my_supervisor's 年报监督 batch
    job: Job  # the job that read it
    read: ReadReport
    api_client: ApiClient  # 果园街道's API client (cases:read)
    year: int  # a reporting year without a report: the preview computed from the records
    users: dict[str, User]


def _build(today: dt.date) -> World:
    load_all(today=today, log=lambda _: None)
    users = {key: User.objects.get(username=name) for key, name in USERNAMES.items()}
    officer, leader = users["off"], users["ldr"]
    gy = officer.agency
    assert gy is not None
    case = Case.objects.visible_to(users["clk"]).order_by("pk").first()
    assert case is not None
    review = case_services.record_review(
        actor=officer, case=case, agency=gy, kind="reconsideration", filed_on=today, body="密云区人民政府", today=today
    )
    letter = generate_letter(actor=officer, case=case, kind=LetterType.RECEIPT, today=today)
    delivery = record_delivery(
        actor=officer,
        letter=letter,
        method=ServiceMethod.POST,
        sent_on=today,
        today=today,
        tracking_number="EA123456789CN",
        proof=SimpleUploadedFile("回执.pdf", PDF),
    )
    category = Category.objects.filter(agency=gy).order_by("pk").first()
    assert category is not None
    draft = publication_services.create_draft(
        actor=officer, agency=gy, category=category, title="权限矩阵草稿", formed_on=today, body="<p>草稿</p>"
    )
    attachment = publication_services.add_attachment(actor=officer, item=draft, upload=SimpleUploadedFile("a.pdf", PDF))
    published = publication_services.create_draft(
        actor=officer, agency=gy, category=category, title="权限矩阵公开件", formed_on=today, body="<p>公开</p>"
    )
    public_attachment = publication_services.add_attachment(
        actor=officer, item=published, upload=SimpleUploadedFile("b.pdf", PDF)
    )
    publication_services.submit_for_review(actor=officer, item=published)
    publication_services.record_secrecy_review(actor=leader, item=published, result="not_classified")
    publication_services.publish(actor=leader, item=published, today=today)
    published.refresh_from_db()
    assert published.status == ItemStatus.PUBLISHED
    document = RegisterDocument.objects.filter(agency=gy).order_by("pk").first()
    assert document is not None
    first = AnnualReportRecord.objects.get(agency=gy, year=2023, version=1)
    second = report_services.new_version(actor=officer, record=first)
    batch = upload_batch(
        actor=users["sup"],
        files=[("果园2023.txt", as_text(consistent(gy.name, 2023)))],
        title="权限矩阵批次",
    )
    read = batch.files.get()
    api_client, _token = create_client(
        actor=None, agency=gy, name="权限矩阵客户端", scopes=["cases:read"], now=clock.now()
    )
    return World(
        api_client=api_client,
        gy=gy,
        case=case,
        review=review,
        letter=letter,
        letter_draft=LetterDraft.objects.visible_to(users["clk"]).order_by("pk").first(),  # type: ignore[arg-type]
        delivery=delivery,
        draft=draft,
        attachment=attachment,
        published=published,
        public_attachment=public_attachment,
        category=category,
        document=document,
        first=first,
        second=second,
        batch=batch,
        job=batch_job(batch),
        read=read,
        year=today.year - 1,
        users=users,
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The demo data set, built once for the module inside a transaction rolled back at the end
    (each test runs in a savepoint of it); callbacks registered for after commit run at once."""
    media = tmp_path_factory.mktemp("media")
    # Built once per module, outside the per-test settings fixture: the demo's messages to its
    # applicants stay in memory, not in the developer's var/outbox/.
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, SMS_BACKEND="memory"):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                built = _build(clock.today())
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ---------------------------------------------------------------------------------------------
# Walking the URLs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the row's key: "namespace:name" (".<format>" for format-suffix variants)
    name: str | None  # for reverse(); None for unnamed patterns
    route: str  # the full pattern, for unnamed ones and for messages
    params: tuple[str, ...]
    methods: frozenset[str] | None  # None: not restricted by the view


def _methods(callback: Any) -> frozenset[str] | None:
    """The methods a view takes, from ``require_http_methods`` (Django keeps them in the closure)."""
    seen: set[int] = set()
    stack = [callback]
    while stack:
        func = stack.pop()
        if id(func) in seen:
            continue
        seen.add(id(func))
        for cell in getattr(func, "__closure__", None) or ():
            value = cell.cell_contents
            if isinstance(value, list) and value and all(isinstance(v, str) and v.isupper() for v in value):
                return frozenset(value)
            if callable(value):
                stack.append(value)
        wrapped = getattr(func, "__wrapped__", None)
        if wrapped is not None:
            stack.append(wrapped)
    return None


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            yield f"{namespace}|{prefix}{entry.pattern}", entry


def routes() -> list[Route]:
    found: list[Route] = []
    for where, pattern in _walk(get_resolver()):
        namespace, route = where.split("|", 1)
        params = tuple(pattern.pattern.regex.groupindex)
        full_params = tuple(dict.fromkeys([*_route_params(route), *params]))
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
        if name is None:
            key = f"{namespace}:{route}"
        else:
            key = f"{name}.<format>" if "format" in full_params else name
        found.append(Route(key, name, route, full_params, _methods(pattern.callback)))
    return found


def _route_params(route: str) -> list[str]:
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    names += re.findall(r"\(\?P<(\w+)>", route)
    return names


def row_for(key: str) -> tuple[str, str | None] | None:
    if key in TABLE:
        return TABLE[key]
    for pattern, row in TABLE.items():
        if "*" in pattern and fnmatch.fnmatchcase(key, pattern):
            return row
    return None


def _admin_object(name: str) -> Any:
    """An object id for an admin per-model page (``admin:<app>_<model>_<page>``): the model's first
    row, or 0 when the demo has none (the admin then answers with a redirect)."""
    app_model = name.split(":", 1)[1].rsplit("_", 1)[0]
    for model in apps.get_models():
        if f"{model._meta.app_label}_{model._meta.model_name}" == app_model:
            obj = model._default_manager.order_by("pk").first()
            return obj.pk if obj is not None else 0
    raise AssertionError(f"no model for {name}")


def kwargs_for(route: Route, w: World) -> dict[str, Any]:
    """URL parameters from the world's objects, by URL name and parameter name."""
    name = route.name or route.key
    namespace = name.split(":", 1)[0]
    by_name: dict[str, dict[str, Any]] = {
        "cases:review_conclude": {"pk": w.review.pk},
        "cases:review_dates": {"pk": w.review.pk},
        "cases:retry_message": {"pk": w.case.pk, "message_pk": 999_999},  # refused before the lookup
        "cases:reply_file": {"pk": w.case.pk, "file_pk": 999_999},
        "publications:register_abolish": {"pk": w.document.pk},
        "supervision:report": {"pk": w.read.pk},
        "portal:report_document": {"pk": w.first.pk, "fmt": "html"},
        "portal:track_letter": {"pk": w.letter.pk},
        "portal:letter_pdf": {"pk": w.letter.pk, "token": "0" * 32},
        "letters:confirm_receipt": {"pk": w.delivery.pk},
        "letters:proof": {"pk": w.delivery.pk},
        "letters:draft": {"pk": w.letter_draft.pk},
        "letters:draft_act": {"pk": w.letter_draft.pk},
        "letters:draft_edit": {"pk": w.letter_draft.pk},
        "letters:draft_sign": {"pk": w.letter_draft.pk},
        "api:report-computed": {"agency_id": w.gy.pk, "year": w.year},
        "backoffice:staff_roster": {"agency_pk": w.gy.pk},
        "backoffice:staff_user_edit": {"pk": w.users["clk"].pk},
        "backoffice:staff_user_active": {"pk": w.users["clk"].pk},
        "backoffice:staff_password_link": {"pk": w.users["clk"].pk},
        "backoffice:staff_department_edit": {"pk": w.case.department_id},
        "password_set": {"uidb64": "MTIz", "token": "abc-123"},
        "reports:work_add": {"kind": "training"},
        "reports:work_delete": {"kind": "training", "pk": 999_999},
        "dashboards:trends_pair": {"year": w.year, "a": w.gy.pk, "b": w.users["oth"].agency_id},
    }
    by_namespace: dict[str, dict[str, Any]] = {
        "backoffice": {"pk": w.gy.pk},
        "cases": {"pk": w.case.pk, "action": "close"},
        "letters": {"case_pk": w.case.pk, "pk": w.letter.pk},
        "publications": {"pk": w.draft.pk, "attachment_pk": w.attachment.pk},
        "reports": {"pk": w.second.pk, "agency_id": w.gy.pk, "year": w.year, "fmt": "json"},
        "workcalendar": {"year": clock.today().year},
        "archives": {"pk": w.case.pk, "year": w.case.year},
        "supervision": {"pk": w.batch.pk},
        "jobs": {"pk": w.job.pk},
        "apiclients": {"pk": w.api_client.pk},
        "portal": {
            "pk": w.published.pk,
            "attachment_pk": w.public_attachment.pk,
            "code": w.gy.code,
            "category": w.category.pk,
        },
    }
    values = {**by_namespace.get(namespace, {}), **by_name.get(name.replace("api-legacy:", "api:"), {})}
    if namespace in ("api", "api-legacy"):
        if "case" in name:
            values["pk"] = w.case.pk
        elif "publication" in name:
            values["pk"] = w.published.pk
        elif "report-record" in name:
            values["pk"] = w.first.pk
        values["format"] = "json"
    if namespace == "admin":
        if name == "admin:view_on_site":
            values = {"content_type_id": ContentType.objects.get_for_model(Case).pk, "object_id": w.case.pk}
        elif "object_id" in route.params:
            values["object_id"] = _admin_object(name if route.name else _unnamed_admin_name(route))
        if "app_label" in route.params:
            values["app_label"] = "cases"
        if "id" in route.params:  # a user's password change
            values["id"] = w.users["clk"].pk
        if "url" in route.params:  # the catch-all
            values["url"] = "no-such-page/"
    return {p: values[p] for p in route.params}


def _unnamed_admin_name(route: Route) -> str:
    parts = route.route.split("/")  # admin/<app>/<model>/<path:object_id>/
    return f"admin:{parts[1]}_{parts[2]}_change"


def url_for(route: Route, w: World) -> str:
    kwargs = kwargs_for(route, w)
    if route.name is not None:
        return reverse(route.name, kwargs=kwargs)
    url = "/" + route.route.replace("^", "").replace("$", "")
    for key, value in kwargs.items():
        url = re.sub(rf"<(?:\w+:)?{key}>|\(\?P<{key}>[^)]*\)", str(value), url)
    return url


def query_for(key: str, w: World) -> dict[str, Any]:
    """Query strings a page needs to show something (the comparison needs an agency)."""
    return {"agency": w.gy.pk} if key == "supervision:compare" else {}


#: What refused POSTs send: a body the view would accept, so that the refusal is the role's or the
#: scope's, not the input's. Other views get a body no form accepts.
POST_DATA: dict[str, dict[str, Any]] = {
    "api:publication-item-review": {"result": "not_classified", "notes": ""},
    "api:publication-item-withdraw": {"reason": "权限矩阵测试"},
    "apiclients:detail": {"action": "revoke"},
}
POST_DATA.update({"api-legacy" + key[3:]: data for key, data in list(POST_DATA.items()) if key.startswith("api:")})
JUNK = {"version": 1, "overview": "x", "title": "x"}


def _expected(cells: str) -> dict[str, str]:
    codes = cells.split()
    assert len(codes) == len(ROLES), cells
    return dict(zip(ROLES, codes, strict=True))


def _matches(want: str, got: int) -> bool:
    return got < 500 if want == "*" else str(got) == want


def _client(role: str, w: World) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anon":
        client.force_login(w.users[role])
    return client


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


def test_every_url_has_a_row() -> None:
    missing = sorted({r.key for r in routes() if row_for(r.key) is None})
    assert not missing, "URLs without a row in TABLE (say who may open them):\n" + "\n".join(missing)
    keys = {r.key for r in routes()}
    unused = sorted(k for k in TABLE if "*" not in k and k not in keys)
    assert not unused, f"rows for URLs that do not exist: {unused}"


def test_views_that_take_post_have_a_post_column() -> None:
    """A view restricted to methods that include POST states who may post to it."""
    missing = sorted(
        r.key for r in routes() if r.methods and "POST" in r.methods and (row_for(r.key) or ("", ""))[1] is None
    )
    assert not missing, missing


def test_every_back_office_view_declares_its_roles() -> None:
    """Every view under /office/ states who may use it (``gongkai.web.access.roles``)."""
    undeclared = []
    for where, pattern in _walk(get_resolver()):
        route = where.split("|", 1)[1]
        if route.startswith("office/") and allowed_roles(pattern.callback) is None:
            undeclared.append(route)
    assert not undeclared, undeclared


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_get_answers(world: World, role: str) -> None:
    client = _client(role, world)
    wrong = []
    for route in routes():
        row = row_for(route.key)
        assert row is not None, route.key
        want = _expected(row[0])[role]
        url = url_for(route, world)
        got = client.get(url, query_for(route.key, world)).status_code
        if not _matches(want, got):
            wrong.append(f"{route.key:45} {url:60} expected {want}, got {got}")
    assert not wrong, f"{role}: answers that differ from the table:\n" + "\n".join(wrong)


def _fingerprint() -> tuple[int, ...]:
    """Rows of every table: a refused POST writes nothing (the audit trail included)."""
    counts = [model._default_manager.count() for model in apps.get_models() if not model._meta.proxy]
    return (*counts, AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_refused_posts(world: World, role: str) -> None:
    client = _client(role, world)
    before = _fingerprint()
    wrong = []
    for route in routes():
        row = row_for(route.key)
        assert row is not None, route.key
        if row[1] is None:
            continue
        want = _expected(row[1])[role]
        if want == ".":
            continue
        url = url_for(route, world)
        got = client.post(url, POST_DATA.get(route.key, JUNK)).status_code
        if not _matches(want, got):
            wrong.append(f"{route.key:45} {url:60} expected {want}, got {got}")
    assert not wrong, f"{role}: POST answers that differ from the table:\n" + "\n".join(wrong)
    assert _fingerprint() == before, f"{role}: a refused POST changed the database"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anon"])
def test_menu_links_open(world: World, role: str) -> None:
    """Every link of the main menu a role is shown opens for that role: menu and views agree."""
    client = _client(role, world)
    page = client.get(reverse("backoffice:home")).content.decode()
    nav = page.split('<nav aria-label="主导航">', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)"', nav)
    assert links
    closed = [link for link in links if client.get(link, follow=True).status_code != 200]
    assert not closed, f"{role}: menu links that do not open: {closed}"


#: An asset (script, style, image, font, frame) loaded from another host: intranets have no internet.
OUTSIDE_ASSET = re.compile(
    r"""(?:\bsrc\s*=\s*["']|<link\b[^>]*\bhref\s*=\s*["']|url\(\s*["']?|@import\s+["'])(?:https?:)?//""",
    re.IGNORECASE,
)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anon", "off", "sup"])
def test_no_page_loads_an_asset_from_another_host(world: World, role: str) -> None:
    """Every page a role can open serves every script, style, image and font from this site."""
    client = _client(role, world)
    outside = []
    for route in routes():
        response = client.get(url_for(route, world), query_for(route.key, world))
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        outside += [
            f"{route.key}: …{html[max(m.start() - 40, 0) : m.end() + 40]}…" for m in OUTSIDE_ASSET.finditer(html)
        ]
    assert not outside, "\n".join(outside)
