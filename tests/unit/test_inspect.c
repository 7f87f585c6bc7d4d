/* Inspections: records, the resumable run over the sample family served on
 * loopback, availability facts from monitor slots, review (dismissal by
 * fingerprint across inspections, confirmation of needs-review findings,
 * manual findings), the explained score, the circular model gathered from
 * the inspection, the self report and the exports read back. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/circ.h"
#include "inspect/inspect.h"
#include "store/monitor_store.h"
#include "tab/table.h"
#include "tap.h"
#include "test_crawl_fixture.h"

static char *src_path(const char *rel)
{
  const char *src = getenv("GW_SRC");
  char *p = gw_malloc(4096);
  snprintf(p, 4096, "%s/%s", src && *src ? src : "..", rel);
  return p;
}

static int64_t t_parse(const char *s)
{
  int64_t t = 0;
  if (gw_time_parse(s, &t))
    abort();
  return t;
}

/* ---- records ---- */

static void test_records(void)
{
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, ":memory:", 0), GW_OK);
  struct gw_unit u = {0};
  u.name = (char *)"青溪县";
  u.kind = GW_UNIT_REGION;
  CHECK_INT(gw_store_unit_insert(st, &u), GW_OK);
  struct gw_site s = {0};
  s.name = (char *)"青溪县人民政府";
  s.url = (char *)"http://www.qingxi.gov.cn/";
  s.code = (char *)"3399220001";
  s.unit_id = u.id;
  s.kind = GW_SITE_PORTAL;
  s.status = GW_SITE_RUNNING;
  CHECK_INT(gw_store_site_insert(st, &s), GW_OK);

  struct gw_inspection in = {0}, got;
  CHECK_INT(gw_store_inspection_insert(st, &in), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "needs an as-of time");
  in.quarter = (char *)"2025Q1";
  in.as_of = t_parse("2025-03-31 23:59:59");
  in.rules_path = (char *)"/x/national-2019.yaml";
  in.rules_id = (char *)"national-2019";
  in.started_at = 100;
  CHECK_INT(gw_store_inspection_insert(st, &in), GW_OK);
  CHECK(in.id > 0);
  struct gw_inspection in2 = in;
  in2.quarter = NULL;
  CHECK_INT(gw_store_inspection_insert(st, &in2), GW_OK);
  CHECK_INT(gw_store_inspection_last(st, "2025Q1", &got), GW_OK);
  CHECK_INT(got.id, in.id);
  CHECK_STR(got.rules_id, "national-2019");
  CHECK_INT(got.finished_at, 0);
  gw_inspection_clear(&got);
  CHECK_INT(gw_store_inspection_last(st, NULL, &got), GW_OK);
  CHECK_INT(got.id, in2.id);
  CHECK(got.quarter == NULL);
  gw_inspection_clear(&got);
  CHECK_INT(gw_store_inspection_last(st, "2025Q2", &got), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no inspection of 2025Q2");
  CHECK_INT(gw_store_inspection_get(st, 999, &got), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no inspection #999");
  CHECK_INT(gw_store_inspection_finish(st, in.id, 500), GW_OK);
  CHECK_INT(gw_store_inspection_get(st, in.id, &got), GW_OK);
  CHECK_INT(got.finished_at, 500);
  gw_inspection_clear(&got);
  CHECK_INT(gw_store_inspection_finish(st, 999, 1), GW_ENOTFOUND);
  struct gw_inspection_list l = {0};
  CHECK_INT(gw_store_inspection_list(st, &l), GW_OK);
  CHECK_INT(l.n, 2);
  gw_inspection_list_free(&l);

  /* sites of an inspection: upsert, no duplicate row */
  struct gw_inspection_site r = {0}, rg;
  r.inspection_id = in.id;
  r.site_id = s.id;
  r.state = GW_INSP_PENDING;
  CHECK_INT(gw_store_inspection_site_put(st, &r, 10), GW_OK);
  r.state = GW_INSP_SCORED;
  r.has_score = true;
  r.score = 9860;
  r.result = 3;
  r.reason = (char *)"待定";
  CHECK_INT(gw_store_inspection_site_put(st, &r, 11), GW_OK);
  struct gw_inspection_site_list sl = {0};
  CHECK_INT(gw_store_inspection_site_list(st, in.id, &sl), GW_OK);
  CHECK_INT(sl.n, 1);
  gw_inspection_site_list_free(&sl);
  CHECK_INT(gw_store_inspection_site_get(st, in.id, s.id, &rg), GW_OK);
  CHECK_INT(rg.state, GW_INSP_SCORED);
  CHECK(rg.has_score);
  CHECK_INT(rg.score, 9860);
  CHECK_STR(rg.reason, "待定");
  CHECK_INT(rg.updated_at, 11);
  gw_inspection_site_clear(&rg);
  r.site_id = 4242;
  CHECK_INT(gw_store_inspection_site_put(st, &r, 12), GW_ENOTFOUND);
  r.site_id = s.id;
  r.state = 9;
  CHECK_INT(gw_store_inspection_site_put(st, &r, 12), GW_EINVAL);
  CHECK_INT(gw_store_inspection_site_get(st, in.id, 4242, &rg), GW_ENOTFOUND);

  /* the review log: latest confirm/dismiss holds, adds do not decide */
  struct gw_review rv = {0}, d;
  gw_strlcpy(rv.fingerprint, "0123456789abcdef", sizeof rv.fingerprint);
  rv.action = GW_REVIEW_DISMISS;
  rv.who = (char *)"张三";
  rv.at = 1000;
  CHECK_INT(gw_store_review_add(st, &rv), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "needs a reason");
  rv.reason = (char *)"链接为内网地址，外网不可访问属正常";
  CHECK_INT(gw_store_review_add(st, &rv), GW_OK);
  CHECK_INT(gw_store_review_decision(st, "0123456789abcdef", &d), GW_OK);
  CHECK_INT(d.action, GW_REVIEW_DISMISS);
  CHECK_STR(d.who, "张三");
  CHECK_STR(d.reason, "链接为内网地址，外网不可访问属正常");
  gw_review_clear(&d);
  rv.action = GW_REVIEW_CONFIRM;
  rv.reason = NULL;
  rv.at = 1001;
  CHECK_INT(gw_store_review_add(st, &rv), GW_OK);
  rv.action = GW_REVIEW_ADD;
  CHECK_INT(gw_store_review_add(st, &rv), GW_OK);
  CHECK_INT(gw_store_review_decision(st, "0123456789abcdef", &d), GW_OK);
  CHECK_INT(d.action, GW_REVIEW_CONFIRM);
  gw_review_clear(&d);
  struct gw_review_list rl = {0};
  CHECK_INT(gw_store_review_list(st, "0123456789abcdef", &rl), GW_OK);
  CHECK_INT(rl.n, 3);
  gw_review_list_free(&rl);
  CHECK_INT(gw_store_review_decision(st, "ffffffffffffffff", &d), GW_ENOTFOUND);
  gw_strlcpy(rv.fingerprint, "XYZ", sizeof rv.fingerprint);
  CHECK_INT(gw_store_review_add(st, &rv), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "not 16 lower-case hex digits");
  gw_strlcpy(rv.fingerprint, "0123456789abcdef", sizeof rv.fingerprint);
  rv.who = (char *)"";
  CHECK_INT(gw_store_review_add(st, &rv), GW_EINVAL);
  struct gw_finding_row fr;
  CHECK_INT(gw_store_finding_get(st, 77, &fr), GW_ENOTFOUND);
  CHECK_INT(gw_store_finding_by_fingerprint(st, "0123456789abcdef", &fr), GW_ENOTFOUND);
  gw_store_close(&st);
}

/* ---- the run on the sample family ---- */

struct counter {
  size_t n;
};

static int count_rows(void *ctx, const struct gw_finding_row *r)
{
  (void)r;
  ((struct counter *)ctx)->n++;
  return 0;
}

static size_t findings_of_run(struct gw_store *st, int64_t run)
{
  struct counter c = {0};
  CHECK_INT(gw_store_finding_each(st, run, NULL, count_rows, &c), GW_OK);
  return c.n;
}

/* Monitor slots of a site for the week before `as_of`: hourly, IPv4,
 * `fails` of them failed. */
static void add_week_of_probes(struct gw_store *st, int64_t site_id, int64_t as_of, int fails)
{
  int n = 0;
  for (int64_t t = as_of - 7 * 86400; t < as_of; t += 3600, n++) {
    struct gw_avail_slot s;
    CHECK_INT(gw_store_slot_begin(st, site_id, 4, t, t, &s), GW_OK);
    s.verdict = n < fails ? GW_AV_FAIL : GW_AV_OK;
    s.reason = n < fails ? GW_AR_TIMEOUT : GW_AR_NONE;
    s.finished_at = t + 5;
    CHECK_INT(gw_store_slot_finish(st, &s), GW_OK);
    gw_avail_slot_clear(&s);
  }
}

static size_t crawls_of(struct gw_store *st, int64_t site_id)
{
  struct gw_crawl_list l = {0};
  CHECK_INT(gw_store_crawl_list(st, site_id, &l), GW_OK);
  size_t n = l.n;
  gw_crawl_list_free(&l);
  return n;
}

static size_t runs_of(struct gw_store *st, int64_t site_id)
{
  struct gw_check_run_list l = {0};
  CHECK_INT(gw_store_check_run_list(st, site_id, &l), GW_OK);
  size_t n = l.n;
  gw_check_run_list_free(&l);
  return n;
}

static const struct gw_site *site_by_host(const struct gw_site_list *l, const char *host)
{
  for (size_t i = 0; i < l->n; i++)
    if (strstr(l->v[i].url, host))
      return &l->v[i];
  return NULL;
}

static void test_run(void)
{
  struct world w;
  world_open(&w, NULL, "inspect.db", NULL);
  struct gw_crawl_opts co;
  world_opts(&w, &co);
  struct gw_site_list sites = {0};
  CHECK_INT(gw_store_site_list(w.st, 0, &sites), GW_OK);
  CHECK_INT(sites.n, 6);
  const struct gw_site *portal = site_by_host(&sites, "www.qingxi.gov.cn");
  const struct gw_site *jyj = site_by_host(&sites, "jyj.qingxi.gov.cn");
  const struct gw_site *czj = site_by_host(&sites, "czj.qingxi.gov.cn");
  CHECK(portal && jyj && czj);
  if (!portal || !jyj || !czj)
    goto out;
  char *rules = src_path("rules/national-2019.yaml");
  struct gw_rules *probe = NULL;
  if (gw_inspect_rules_load(rules, &probe, NULL) != GW_OK) {
    CHECK_MSG(false, "rules: %s (set GW_SRC)", gw_err_msg());
    free(rules);
    goto out;
  }
  gw_rules_free(&probe);
  int64_t as_of = t_parse("2025-03-31 12:00");
  /* A complete week of probes: jyj answered every one, czj failed 10 of 168 (5.95 %). */
  add_week_of_probes(w.st, jyj->id, as_of, 0);
  add_week_of_probes(w.st, czj->id, as_of, 10);

  struct gw_inspect_opts o;
  memset(&o, 0, sizeof o);
  o.quarter = "2025q1";
  o.as_of = as_of;
  o.rules_path = rules;
  o.crawl = &co;
  gw_avail_thresholds_default(&o.avail);
  struct gw_inspect_report rep;
  memset(&rep, 0, sizeof rep); /* cleared safely even if a run fails */
  CHECK_INT(gw_inspect_run(w.st, &sites, &o, &rep), GW_OK);
  CHECK(!rep.resumed);
  CHECK_STR(rep.insp.quarter, "2025Q1");
  CHECK_INT(rep.insp.as_of, as_of);
  CHECK(rep.insp.finished_at != 0);
  CHECK_INT(rep.sites, 6);
  CHECK_INT(rep.crawled, 6);
  CHECK_INT(rep.checked, 6);
  CHECK_INT(rep.scored, 6);
  CHECK_INT(rep.failed, 0);
  /* jyj: clean and fully monitored -> 合格; czj: V2 veto (and V1, its privacy leak); wjj (V4, V5),
   * zrzyj (V1 hidden spam link) and qxz (V3 stale homepage) fail on their planted defects whatever
   * the probes say; the portal, failing nothing but unmonitored, is 待定. */
  CHECK_INT(rep.pass, 1);
  CHECK_INT(rep.fail, 4);
  CHECK_INT(rep.undetermined, 1);
  bool planned_reported = false;
  for (size_t i = 0; i < rep.not_checked.n; i++)
    planned_reported = planned_reported || strcmp(rep.not_checked.v[i], "links.broken") == 0;
  CHECK_MSG(!planned_reported, "links.broken is in the registry, so it is checked");
  struct gw_inspection in1 = rep.insp;
  memset(&rep.insp, 0, sizeof rep.insp);
  gw_inspect_report_clear(&rep);

  struct gw_inspection_site row = {0};
  CHECK_INT(gw_store_inspection_site_get(w.st, in1.id, jyj->id, &row), GW_OK);
  CHECK_INT(row.result, GW_RESULT_PASS);
  CHECK_INT(row.score, 10000);
  gw_inspection_site_clear(&row);
  CHECK_INT(gw_store_inspection_site_get(w.st, in1.id, czj->id, &row), GW_OK);
  CHECK_INT(row.result, GW_RESULT_FAIL);
  CHECK_CONTAINS(row.reason, "V2");
  gw_inspection_site_clear(&row);
  CHECK_INT(gw_store_inspection_site_get(w.st, in1.id, portal->id, &row), GW_OK);
  CHECK_INT(row.result, GW_RESULT_UNDETERMINED);
  CHECK(row.score < 10000); /* link deductions */
  int64_t portal_run = row.run_id;
  size_t portal_findings = findings_of_run(w.st, portal_run);
  CHECK(portal_findings >= 2);
  gw_inspection_site_clear(&row);

  /* Re-run: nothing is crawled or checked again, nothing is duplicated. */
  CHECK_INT(gw_inspect_run(w.st, &sites, &o, &rep), GW_OK);
  CHECK(rep.resumed);
  CHECK_INT(rep.insp.id, in1.id);
  CHECK_INT(rep.crawled, 0);
  CHECK_INT(rep.checked, 0);
  CHECK_INT(rep.reused, 6);
  CHECK_INT(rep.scored, 6);
  gw_inspect_report_clear(&rep);
  for (size_t i = 0; i < sites.n; i++) {
    CHECK_INT(crawls_of(w.st, sites.v[i].id), 1);
    CHECK_INT(runs_of(w.st, sites.v[i].id), 1);
  }
  CHECK_INT(findings_of_run(w.st, portal_run), portal_findings);
  struct gw_inspection_list il = {0};
  CHECK_INT(gw_store_inspection_list(w.st, &il), GW_OK);
  CHECK_INT(il.n, 1);
  gw_inspection_list_free(&il);

  /* A process that died after the crawl finished but before its row said
   * so: the finished crawl is found and reused, not made again. */
  CHECK_INT(gw_store_inspection_site_get(w.st, in1.id, jyj->id, &row), GW_OK);
  int64_t jyj_crawl = row.crawl_id;
  row.state = GW_INSP_PENDING;
  row.crawl_id = 0;
  row.run_id = 0;
  CHECK_INT(gw_store_inspection_site_put(w.st, &row, gw_now()), GW_OK);
  gw_inspection_site_clear(&row);
  CHECK_INT(gw_inspect_run(w.st, &sites, &o, &rep), GW_OK);
  CHECK_INT(rep.crawled, 0);
  CHECK_INT(rep.checked, 1); /* the check run of (site, crawl, as-of) is reused by the runner */
  gw_inspect_report_clear(&rep);
  CHECK_INT(crawls_of(w.st, jyj->id), 1);
  CHECK_INT(runs_of(w.st, jyj->id), 1);
  CHECK_INT(gw_store_inspection_site_get(w.st, in1.id, jyj->id, &row), GW_OK);
  CHECK_INT(row.crawl_id, jyj_crawl);
  CHECK_INT(row.result, GW_RESULT_PASS);
  gw_inspection_site_clear(&row);

  /* The same quarter with another as-of time is refused. */
  o.as_of = as_of + 3600;
  CHECK_INT(gw_inspect_run(w.st, &sites, &o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "has the as-of time 2025-03-31 12:00:00");
  o.as_of = as_of;
  o.inspection_id = in1.id;
  o.quarter = "2025Q2";
  CHECK_INT(gw_inspect_run(w.st, &sites, &o, &rep), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "is of 2025Q1, not of 2025Q2");
  o.inspection_id = 0;
  o.quarter = "2025Q1";

  /* ---- the explained score ---- */
  struct gw_rules *r = NULL;
  CHECK_INT(gw_inspect_rules_load(rules, &r, NULL), GW_OK);
  struct gw_inspect_sheet sh;
  memset(&sh, 0, sizeof sh);
  CHECK_INT(gw_inspect_score_site(w.st, r, &in1, portal, &o.avail, &sh), GW_OK);
  CHECK_INT(sh.n, portal_findings);
  char *js = gw_inspect_sheet_json(&sh, &in1);
  json_error_t je;
  json_t *j = json_loads(js, 0, &je);
  CHECK_MSG(j != NULL, "sheet JSON parses: %s", je.text);
  size_t deducted = 0;
  json_t *fs = json_object_get(j, "findings"), *f;
  size_t i;
  json_array_foreach(fs, i, f) {
    if (strcmp(json_string_value(json_object_get(f, "status")), "deducted"))
      continue;
    deducted++;
    json_t *ev = json_object_get(f, "evidence");
    CHECK(json_integer_value(json_object_get(ev, "finding_id")) > 0);
    CHECK(json_is_string(json_object_get(ev, "url")));
    CHECK(json_is_string(json_object_get(f, "detail")));
    CHECK_INT(strlen(json_string_value(json_object_get(f, "fingerprint"))), 16);
  }
  CHECK_INT(deducted, portal_findings);
  CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "inspection"), "id")), in1.id);
  CHECK(json_is_false(json_object_get(json_object_get(j, "availability"), "given")));
  json_decref(j);
  free(js);
  char *text = gw_inspect_sheet_text(&sh, &in1);
  CHECK_CONTAINS(text, "证据（按问题）");
  CHECK_CONTAINS(text, sh.rows[0].fingerprint);
  CHECK_CONTAINS(text, "不足以判定“站点无法访问”");
  free(text);
  int64_t before = sh.sheet->final;
  char dismissed_fp[17];
  memcpy(dismissed_fp, sh.rows[0].fingerprint, 17);
  gw_inspect_sheet_clear(&sh);

  /* ---- dismissal by fingerprint, across inspections ---- */
  struct gw_review rv = {.action = GW_REVIEW_DISMISS, .who = (char *)"李四", .at = as_of + 86400,
                         .reason = (char *)"该链接在监测时间点已撤下"};
  memcpy(rv.fingerprint, dismissed_fp, 17);
  CHECK_INT(gw_store_review_add(w.st, &rv), GW_OK);
  CHECK_INT(gw_inspect_rescore(w.st, r, &in1, portal, &o.avail, gw_now()), GW_OK);
  CHECK_INT(gw_inspect_score_site(w.st, r, &in1, portal, &o.avail, &sh), GW_OK);
  CHECK_INT(sh.n, portal_findings - 1);
  CHECK_INT(sh.n_dismissed, 1);
  CHECK_STR(sh.dismissed[0].fingerprint, dismissed_fp);
  CHECK_STR(sh.dismissed_by[0].who, "李四");
  CHECK(sh.sheet->final > before);
  text = gw_inspect_sheet_text(&sh, &in1);
  CHECK_CONTAINS(text, "已排除（复核驳回，不计分）");
  CHECK_CONTAINS(text, "该链接在监测时间点已撤下");
  free(text);
  gw_inspect_sheet_clear(&sh);
  CHECK_INT(gw_store_inspection_site_get(w.st, in1.id, portal->id, &row), GW_OK);
  CHECK(row.score > before); /* the stored score follows the review */
  gw_inspection_site_clear(&row);

  /* A second inspection (new crawl of the portal): the same problem has the
   * same fingerprint and stays dismissed. */
  struct gw_site_list one = {.v = (struct gw_site *)portal, .n = 1};
  o.fresh = true;
  CHECK_INT(gw_inspect_run(w.st, &one, &o, &rep), GW_OK);
  CHECK(rep.insp.id != in1.id);
  CHECK_INT(rep.crawled, 1);
  CHECK_INT(crawls_of(w.st, portal->id), 2);
  CHECK_INT(gw_inspect_score_site(w.st, r, &rep.insp, portal, &o.avail, &sh), GW_OK);
  CHECK_INT(sh.n_dismissed, 1);
  CHECK_STR(sh.dismissed[0].fingerprint, dismissed_fp);
  CHECK(sh.dismissed[0].run_id != portal_run);
  for (size_t k = 0; k < sh.n; k++)
    CHECK(strcmp(sh.rows[k].fingerprint, dismissed_fp) != 0);
  gw_inspect_sheet_clear(&sh);
  struct gw_inspection in2 = rep.insp;
  memset(&rep.insp, 0, sizeof rep.insp);
  gw_inspect_report_clear(&rep);
  o.fresh = false;
  /* confirming again undoes the dismissal */
  rv.action = GW_REVIEW_CONFIRM;
  rv.reason = NULL;
  rv.at += 10;
  CHECK_INT(gw_store_review_add(w.st, &rv), GW_OK);
  CHECK_INT(gw_inspect_score_site(w.st, r, &in2, portal, &o.avail, &sh), GW_OK);
  CHECK_INT(sh.n_dismissed, 0);
  gw_inspect_sheet_clear(&sh);

  /* ---- manual findings and needs-review ---- */
  struct gw_manual_finding m = {.rule = "content.typo", .url = "http://jyj.qingxi.gov.cn/",
                                .title = "=HYPERLINK(\"http://x\")", .detail = "首页“工作动态”中“部暑”应为“部署”",
                                .who = "王五", .severity = GW_SEV_DEDUCT};
  char fp[17];
  CHECK_INT(gw_inspect_add_manual(w.st, r, &in1, jyj, &m, as_of + 7200, fp), GW_OK);
  CHECK_INT(gw_inspect_add_manual(w.st, r, &in1, jyj, &m, as_of + 7200, fp), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "already has this manual finding");
  struct gw_manual_finding bad = m;
  bad.rule = "no.such.key";
  CHECK_INT(gw_inspect_add_manual(w.st, r, &in1, jyj, &bad, as_of, fp), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "'no.such.key' is not a rule key");
  CHECK_INT(gw_inspect_rescore(w.st, r, &in1, jyj, &o.avail, gw_now()), GW_OK);
  CHECK_INT(gw_store_inspection_site_get(w.st, in1.id, jyj->id, &row), GW_OK);
  CHECK_INT(row.score, 9950); /* content.typo: 0.5 */
  CHECK_INT(row.result, GW_RESULT_PASS);
  gw_inspection_site_clear(&row);
  struct gw_review_list rl = {0};
  CHECK_INT(gw_store_review_list(w.st, fp, &rl), GW_OK);
  CHECK_INT(rl.n, 1);
  CHECK_INT(rl.n ? rl.v[0].action : 0, GW_REVIEW_ADD);
  gw_review_list_free(&rl);

  /* A needs-review finding is pending until confirmed. */
  CHECK_INT(gw_store_inspection_site_get(w.st, in1.id, jyj->id, &row), GW_OK);
  struct gw_finding pf = {.check = "manual", .rule = (char *)"content.typo", .severity = GW_SEV_DEDUCT,
                          .needs_review = true, .site_id = jyj->id, .key = (char *)"typo|x", .title = (char *)"疑似错别字",
                          .observed_at = as_of};
  /* keep the manual finding added above next to it */
  struct gw_finding_row mr;
  CHECK_INT(gw_store_finding_by_fingerprint(w.st, fp, &mr), GW_OK);
  struct gw_finding both[2] = {mr.f, pf};
  CHECK_INT(gw_store_findings_replace(w.st, row.run_id, "manual", both, 2), GW_OK);
  gw_finding_row_clear(&mr);
  gw_inspection_site_clear(&row);
  CHECK_INT(gw_inspect_score_site(w.st, r, &in1, jyj, &o.avail, &sh), GW_OK);
  CHECK_INT(sh.sheet->n_pending, 1);
  CHECK_INT(sh.sheet->final, 9950);
  char pfp[17];
  gw_finding_fingerprint(&pf, pfp);
  gw_inspect_sheet_clear(&sh);
  struct gw_review cf = {.action = GW_REVIEW_CONFIRM, .who = (char *)"王五", .at = as_of + 9000};
  memcpy(cf.fingerprint, pfp, 17);
  CHECK_INT(gw_store_review_add(w.st, &cf), GW_OK);
  CHECK_INT(gw_inspect_score_site(w.st, r, &in1, jyj, &o.avail, &sh), GW_OK);
  CHECK_INT(sh.sheet->n_pending, 0);
  CHECK_INT(sh.sheet->final, 9900);
  gw_inspect_sheet_clear(&sh);
  CHECK_INT(gw_inspect_rescore(w.st, r, &in1, jyj, &o.avail, gw_now()), GW_OK);

  /* ---- the circular gathered from the inspection ---- */
  struct gw_pub_count pc[] = {{"青溪县教育局", 30}, {"青溪县财政局", 3}, {"青溪县卫生健康局", 12}};
  struct gw_pub_counts pub = {pc, 3, 24, 5};
  struct gw_circ_settings set = {.issued = t_parse("2025-04-10"), .pub = &pub};
  struct gw_circ_build *b = NULL;
  CHECK_INT(gw_inspect_circular(w.st, &in1, &set, &b), GW_OK);
  if (b) {
    const struct gw_circular *c = gw_circ_build_model(b);
    CHECK_STR(c->office, "青溪县人民政府办公室");
    CHECK_INT(c->year, 2025);
    CHECK_INT(c->quarter, 1);
    CHECK_INT(c->sites.registered, 6);
    CHECK_INT(c->sites.inspected, 6);
    CHECK_INT(c->sites.qualified, 1);
    CHECK_INT(c->sites.failed, 4);
    CHECK_INT(c->sites.undetermined, 1);
    CHECK_INT(c->info_total, 45);
    CHECK_INT(c->praise.n, 1);
    CHECK_STR(c->praise.n ? c->praise.units[0] : "", "青溪县教育局");
    CHECK_INT(c->criticism.n, 1);
    CHECK_STR(c->criticism.n ? c->criticism.units[0] : "", "青溪县财政局");
    CHECK(c->portal_full > 0);
    CHECK_STR(c->portal_best_units, portal->name);
    bool homepage = false, typo = false;
    for (size_t k = 0; k < c->nproblems; k++) {
      if (strcmp(c->problems[k].kind, "首页链接不可用") == 0) {
        homepage = true;
        bool named = false;
        for (size_t s = 0; s < c->problems[k].nsubjects; s++)
          named = named || strstr(c->problems[k].subjects[s], "青溪县人民政府网站") != NULL;
        CHECK_MSG(named, "the portal is named under 首页链接不可用");
      }
      typo = typo || strstr(c->problems[k].kind, "错别字") != NULL;
    }
    CHECK(homepage);
    CHECK(typo);
    CHECK_INT(c->ipv6.total, 6); /* ipv6.support is in the registry: the task lists every site */
    bool jyj_row = false, czj_row = false;
    for (size_t k = 0; k < c->nsite_rows; k++) {
      jyj_row = jyj_row || strcmp(c->site_rows[k].name, jyj->name) == 0;
      if (strcmp(c->site_rows[k].name, czj->name) == 0) {
        czj_row = true;
        CHECK_CONTAINS(c->site_rows[k].problems, "单项否决：站点无法访问");
      }
    }
    CHECK(jyj_row);
    CHECK(czj_row);
    struct gw_buf md = GW_BUF_INIT;
    CHECK_INT(gw_report_circular_markdown(c, &md), GW_OK);
    CHECK_CONTAINS(gw_buf_cstr(&md), "检查6个");
    CHECK_CONTAINS(gw_buf_cstr(&md), "合格1个，不合格4个，因监测数据不足结论待定1个，已判定的合格率为20.0%");
    CHECK_CONTAINS(gw_buf_cstr(&md), "首页链接不可用");
    gw_buf_free(&md);
  }
  gw_circ_build_free(&b);
  struct gw_inspection noq = in1;
  noq.quarter = NULL;
  CHECK_INT(gw_inspect_circular(w.st, &noq, &set, &b), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "has no quarter");

  /* ---- self report ---- */
  struct gw_buf self = GW_BUF_INIT;
  CHECK_INT(gw_inspect_self_report(w.st, &in1, jyj->unit_id, t_parse("2025-04-10"), &self), GW_OK);
  CHECK_CONTAINS(gw_buf_cstr(&self), "2025年第一季度政府网站自查自评报告");
  CHECK_CONTAINS(gw_buf_cstr(&self), "| 青溪县教育局 | http://jyj.qingxi.gov.cn/ | 3399220002 | 99 | 合格 |");
  CHECK_CONTAINS(gw_buf_cstr(&self), "疑似错别字");
  gw_buf_free(&self);

  /* ---- exports read back ---- */
  char path[700];
  struct gw_table t;
  size_t n = 0;
  snprintf(path, sizeof path, "%s/scores.xlsx", gw_test_tmpdir());
  CHECK_INT(gw_inspect_export_scores(w.st, &in1, path, &n), GW_OK);
  CHECK_INT(n, 6);
  CHECK_INT(gw_table_read(path, &t), GW_OK);
  CHECK_INT(t.nrows, 6);
  static const char *const cname[] = {"网站名称", NULL}, *const cres[] = {"结论", NULL}, *const cscore[] = {"得分", NULL};
  long nc = gw_table_col(&t, cname), rc_ = gw_table_col(&t, cres), sc = gw_table_col(&t, cscore);
  CHECK(nc >= 0 && rc_ >= 0 && sc >= 0);
  for (size_t k = 0; k < t.nrows && nc >= 0; k++) {
    if (strcmp(gw_table_cell(&t.rows[k], nc), jyj->name) == 0) {
      CHECK_STR(gw_table_cell(&t.rows[k], rc_), "合格");
      CHECK_STR(gw_table_cell(&t.rows[k], sc), "99");
    }
    if (strcmp(gw_table_cell(&t.rows[k], nc), czj->name) == 0)
      CHECK_STR(gw_table_cell(&t.rows[k], rc_), "不合格");
  }
  gw_table_free(&t);
  snprintf(path, sizeof path, "%s/problems.xlsx", gw_test_tmpdir());
  CHECK_INT(gw_inspect_export_problems(w.st, &in1, path, &n), GW_OK);
  CHECK_INT(gw_table_read(path, &t), GW_OK);
  CHECK_INT(t.nrows, n);
  static const char *const ctitle[] = {"问题", NULL}, *const cstat[] = {"状态", NULL};
  long tc = gw_table_col(&t, ctitle), stc = gw_table_col(&t, cstat);
  bool formula_text = false, dismissed_row = false;
  for (size_t k = 0; k < t.nrows && tc >= 0 && stc >= 0; k++) {
    /* a formula-looking title comes back as the same text, not a computed value */
    formula_text = formula_text || strcmp(gw_table_cell(&t.rows[k], tc), "=HYPERLINK(\"http://x\")") == 0;
    dismissed_row = dismissed_row || strcmp(gw_table_cell(&t.rows[k], stc), "已驳回") == 0;
  }
  CHECK(formula_text);
  CHECK(!dismissed_row); /* confirmed again above */
  gw_table_free(&t);
  snprintf(path, sizeof path, "%s/problems.csv", gw_test_tmpdir());
  CHECK_INT(gw_inspect_export_problems(w.st, &in1, path, &n), GW_OK);
  char *csv = gw_test_slurp(path, NULL);
  CHECK(csv && strstr(csv, "'=HYPERLINK") != NULL);
  free(csv);
  snprintf(path, sizeof path, "%s/problems.txt", gw_test_tmpdir());
  CHECK(gw_inspect_export_problems(w.st, &in1, path, &n) != GW_OK);

  char *owned;
  CHECK_STR(gw_inspect_csv_safe("+1", &owned), "'+1");
  free(owned);
  CHECK_STR(gw_inspect_csv_safe("-x", &owned), "'-x");
  free(owned);
  CHECK_STR(gw_inspect_csv_safe("@SUM(A1)", &owned), "'@SUM(A1)");
  free(owned);
  CHECK_STR(gw_inspect_csv_safe("正常", &owned), "正常");
  CHECK(owned == NULL);
  CHECK_STR(gw_inspect_csv_safe("", &owned), "");

  gw_rules_free(&r);
  gw_inspection_clear(&in2);
  gw_inspection_clear(&in1);
  free(rules);
out:
  gw_site_list_free(&sites);
  world_close(&w);
}

/* An interrupted crawl leaves the site unfinished with its error; the next
 * run resumes that crawl rather than starting another. */
static void test_interrupted(void)
{
  struct world w;
  world_open(&w, NULL, "inspect-stop.db", NULL);
  struct gw_crawl_opts co;
  world_opts(&w, &co);
  static volatile sig_atomic_t stop = 1;
  co.stop = &stop;
  struct gw_site portal;
  memset(&portal, 0, sizeof portal);
  world_site(&w, "http://www.qingxi.gov.cn/", &portal);
  struct gw_site_list one = {.v = &portal, .n = 1};
  char *rules = src_path("rules/national-2019.yaml");
  struct gw_rules *probe = NULL;
  if (gw_inspect_rules_load(rules, &probe, NULL) != GW_OK) {
    CHECK_MSG(false, "rules: %s (set GW_SRC)", gw_err_msg());
    free(rules);
    gw_site_clear(&portal);
    world_close(&w);
    return;
  }
  gw_rules_free(&probe);
  struct gw_inspect_opts o;
  memset(&o, 0, sizeof o);
  o.quarter = "2025Q1";
  o.as_of = t_parse("2025-03-31 12:00");
  o.rules_path = rules;
  o.crawl = &co;
  gw_avail_thresholds_default(&o.avail);
  struct gw_inspect_report rep;
  memset(&rep, 0, sizeof rep); /* cleared safely even if a run fails */
  CHECK_INT(gw_inspect_run(w.st, &one, &o, &rep), GW_OK);
  CHECK_INT(rep.failed, 1);
  CHECK_INT(rep.scored, 0);
  CHECK(rep.insp.finished_at == 0);
  int64_t id = rep.insp.id;
  gw_inspect_report_clear(&rep);
  struct gw_inspection_site row = {0};
  CHECK_INT(gw_store_inspection_site_get(w.st, id, portal.id, &row), GW_OK);
  CHECK_INT(row.state, GW_INSP_PENDING);
  CHECK_CONTAINS(row.error, "crawl interrupted");
  gw_inspection_site_clear(&row);
  CHECK_INT(crawls_of(w.st, portal.id), 1);
  /* an unfinished inspection gives no circular */
  struct gw_inspection in;
  CHECK_INT(gw_store_inspection_get(w.st, id, &in), GW_OK);
  struct gw_circ_settings set = {.issued = t_parse("2025-04-10")};
  struct gw_circ_build *b = NULL;
  CHECK_INT(gw_inspect_circular(w.st, &in, &set, &b), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "is not finished");
  gw_inspection_clear(&in);
  stop = 0;
  CHECK_INT(gw_inspect_run(w.st, &one, &o, &rep), GW_OK);
  CHECK(rep.resumed);
  CHECK_INT(rep.failed, 0);
  CHECK_INT(rep.crawled, 1);
  CHECK_INT(rep.scored, 1);
  CHECK(rep.insp.finished_at != 0);
  gw_inspect_report_clear(&rep);
  CHECK_INT(crawls_of(w.st, portal.id), 1); /* the interrupted crawl was resumed, not replaced */
  CHECK_INT(gw_store_inspection_site_get(w.st, id, portal.id, &row), GW_OK);
  CHECK_INT(row.state, GW_INSP_SCORED);
  CHECK(row.error == NULL);
  gw_inspection_site_clear(&row);
  free(rules);
  gw_site_clear(&portal);
  world_close(&w);
}

/* An unfinished inspection gives no circular. */
static void test_unfinished(void)
{
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, ":memory:", 0), GW_OK);
  struct gw_unit u = {0};
  u.name = (char *)"青溪县";
  u.kind = GW_UNIT_REGION;
  CHECK_INT(gw_store_unit_insert(st, &u), GW_OK);
  struct gw_site s = {0};
  s.name = (char *)"青溪县人民政府";
  s.url = (char *)"http://www.qingxi.gov.cn/";
  s.code = (char *)"3399220001";
  s.unit_id = u.id;
  s.kind = GW_SITE_PORTAL;
  s.status = GW_SITE_RUNNING;
  CHECK_INT(gw_store_site_insert(st, &s), GW_OK);
  char *rules = src_path("rules/national-2019.yaml");
  struct gw_inspection in = {.quarter = (char *)"2025Q1", .as_of = t_parse("2025-03-31 23:59:59"),
                             .rules_path = rules, .rules_id = (char *)"national-2019", .started_at = 1};
  CHECK_INT(gw_store_inspection_insert(st, &in), GW_OK);
  struct gw_inspection_site r = {.inspection_id = in.id, .site_id = s.id, .state = GW_INSP_CRAWLED};
  CHECK_INT(gw_store_inspection_site_put(st, &r, 1), GW_OK);
  struct gw_circ_settings set = {.issued = t_parse("2025-04-10")};
  struct gw_circ_build *b = NULL;
  CHECK_INT(gw_inspect_circular(st, &in, &set, &b), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "is not finished: 1 site is not scored (青溪县人民政府)");
  /* rules that do not load are reported with the file */
  in.rules_path = (char *)"/nonexistent/rules.yaml";
  CHECK(gw_inspect_circular(st, &in, &set, &b) != GW_OK);
  CHECK_CONTAINS(gw_err_msg(), "/nonexistent/rules.yaml");
  /* the planned checks let the national rules load in a build without them */
  struct gw_rules *rl = NULL;
  struct gw_strv missing = {0};
  CHECK_INT(gw_inspect_rules_load(rules, &rl, &missing), GW_OK);
  for (size_t i = 0; i < missing.n; i++)
    CHECK_MSG(gw_check_find(missing.v[i]) == NULL, "%s reported missing but registered", missing.v[i]);
  gw_strv_free(&missing);
  gw_rules_free(&rl);
  free(rules);
  gw_store_close(&st);
}

int main(void)
{
  test_records();
  test_unfinished();
  test_interrupted();
  test_run();
  return gw_test_done();
}
