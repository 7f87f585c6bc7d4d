/* New-media accounts in inspections: the register check media.register on
 * the sample family's accounts (exactly 青溪自然资源 uncertified; planted
 * duplicates), the account store (migration 9) and its error paths, the
 * accounts of an inspection scored with the unjudged veto items left 待定,
 * a manual media.not_updated failing M2, reviews applied, and a re-run that
 * duplicates nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "inspect/accounts.h"
#include "inspect/inspect.h"
#include "sample.h"
#include "store/store.h"
#include "tap.h"

static char *src_path(const char *rel)
{
  const char *src = getenv("GW_SRC");
  char *p = gw_malloc(4096);
  snprintf(p, 4096, "%s/%s", src && *src ? src : "..", rel);
  return p;
}

static int64_t unit_id(struct gw_store *st, int64_t root, const char *name)
{
  struct gw_unit u;
  memset(&u, 0, sizeof u);
  if (root && strcmp(name, "青溪县") == 0)
    return root;
  if (gw_store_unit_find(st, root, name, &u) == GW_OK) {
    int64_t id = u.id;
    gw_unit_clear(&u);
    return id;
  }
  gw_err_clear();
  struct gw_unit n = {0};
  n.parent_id = root;
  n.name = (char *)name;
  n.kind = root == 0 ? GW_UNIT_REGION : strstr(name, "镇") ? GW_UNIT_TOWN : GW_UNIT_DEPARTMENT;
  if (gw_store_unit_insert(st, &n) != GW_OK) {
    fprintf(stderr, "unit %s: %s\n", name, gw_err_msg());
    abort();
  }
  return n.id;
}

static int64_t add_account(struct gw_store *st, const char *name, enum gw_platform p, int64_t unit,
                           const char *cert, enum gw_account_status status)
{
  struct gw_account a = {0};
  a.name = (char *)name;
  a.platform = p;
  a.unit_id = unit;
  a.cert_subject = (char *)cert;
  a.status = status;
  if (gw_store_account_insert(st, &a) != GW_OK) {
    fprintf(stderr, "account %s: %s\n", name, gw_err_msg());
    abort();
  }
  return a.id;
}

/* The sample family's register of accounts (with their units). */
static struct gw_store *sample_store(int64_t *root)
{
  struct gw_store *st = NULL;
  struct gw_sample *smp = NULL;
  if (gw_store_open(&st, ":memory:", 0) != GW_OK || gw_sample_new(&smp, NULL) != GW_OK)
    abort();
  *root = unit_id(st, 0, "青溪县");
  for (size_t i = 0; i < gw_sample_account_count(smp); i++) {
    const struct gw_sample_account *a = gw_sample_account_at(smp, i);
    enum gw_platform p;
    if (gw_platform_parse(a->platform, &p) != GW_OK)
      abort();
    add_account(st, a->name, p, unit_id(st, *root, a->unit), a->cert_subject, GW_ACCOUNT_RUNNING);
  }
  gw_sample_free(&smp);
  return st;
}

static void load_register(struct gw_store *st, struct gw_account_list *a, struct gw_unit_list *u)
{
  if (gw_store_account_list(st, 0, a) != GW_OK || gw_store_unit_list(st, u) != GW_OK)
    abort();
}

static const struct gw_finding *find_rule(const struct gw_media_findings *f, const char *rule, size_t nth)
{
  for (size_t i = 0; i < f->n; i++)
    if (strcmp(f->v[i].rule, rule) == 0 && nth-- == 0)
      return &f->v[i];
  return NULL;
}

/* ---- media.register ---- */

static void test_register_check(void)
{
  int64_t root;
  struct gw_store *st = sample_store(&root);
  struct gw_account_list al = {0};
  struct gw_unit_list ul = {0};
  load_register(st, &al, &ul);
  CHECK_INT(al.n, 6);
  struct gw_media_findings f = {0};
  CHECK_INT(gw_media_register_check(al.v, al.n, &ul, 1000, &f), GW_OK);
  /* exactly one: 青溪自然资源, certified as 青溪县国土资源局 */
  CHECK_INT(f.n, 1);
  if (f.n == 1) {
    struct gw_account zr;
    memset(&zr, 0, sizeof zr);
    CHECK_INT(gw_store_account_find(st, GW_PLATFORM_WECHAT_SVC, "青溪自然资源", &zr), GW_OK);
    CHECK_STR(f.v[0].rule, "media.uncertified");
    CHECK_STR(f.v[0].check, "media.register");
    CHECK_INT(f.v[0].account_id, zr.id);
    CHECK_INT(f.v[0].site_id, 0);
    CHECK(!f.v[0].needs_review);
    CHECK_INT(f.v[0].observed_at, 1000);
    CHECK_CONTAINS(f.v[0].detail, "认证主体“青溪县国土资源局”与开设主体“青溪县自然资源和规划局”不符");
    CHECK_CONTAINS(f.v[0].observed_json, "\"cert_subject\":\"青溪县国土资源局\"");
    CHECK_CONTAINS(f.v[0].observed_json, "\"unit\":\"青溪县自然资源和规划局\"");
    gw_account_clear(&zr);
  }
  gw_media_findings_free(&f);
  CHECK(f.v == NULL && f.n == 0);

  /* near-identical names of one unit on one platform: both flagged, for review */
  int64_t edu = unit_id(st, root, "青溪县教育局");
  add_account(st, "青溪 · 教育", GW_PLATFORM_WECHAT_SUB, edu, "青溪县教育局", GW_ACCOUNT_RUNNING);
  add_account(st, "青溪教育局", GW_PLATFORM_WECHAT_SUB, edu, "青溪县教育局", GW_ACCOUNT_RUNNING);
  /* not duplicates: another platform, another unit, a closed account, a short name one apart */
  add_account(st, "青溪教育", GW_PLATFORM_WEIBO, edu, "青溪县教育局", GW_ACCOUNT_RUNNING);
  add_account(st, "青溪教育号", GW_PLATFORM_WECHAT_SUB, root, "青溪县", GW_ACCOUNT_RUNNING);
  add_account(st, "青溪教育网", GW_PLATFORM_WECHAT_SUB, edu, "青溪县教育局", GW_ACCOUNT_CLOSED);
  add_account(st, "教育", GW_PLATFORM_WECHAT_SUB, edu, "青溪县教育局", GW_ACCOUNT_RUNNING);
  add_account(st, "教学", GW_PLATFORM_WECHAT_SUB, edu, "青溪县教育局", GW_ACCOUNT_RUNNING);
  /* no 认证主体 at all */
  add_account(st, "青溪图书馆", GW_PLATFORM_DOUYIN, root, NULL, GW_ACCOUNT_RUNNING);
  gw_account_list_free(&al);
  gw_unit_list_free(&ul);
  load_register(st, &al, &ul);
  CHECK_INT(gw_media_register_check(al.v, al.n, &ul, 1000, &f), GW_OK);
  size_t dup = 0;
  for (size_t i = 0; i < f.n; i++)
    dup += strcmp(f.v[i].rule, "media.duplicate") == 0;
  /* 青溪教育 ~ 青溪·教育 (equal without punctuation), 青溪教育 ~ 青溪教育局 (one apart),
   * 青溪·教育 ~ 青溪教育局 (one apart once the dot is dropped): three pairs, each seen from both sides */
  CHECK_INT(dup, 6);
  const struct gw_finding *d = find_rule(&f, "media.duplicate", 0);
  CHECK(d && d->needs_review);
  CHECK(d && d->target && strstr(d->detail, "疑似重复开设"));
  const struct gw_finding *u = NULL;
  for (size_t i = 0; i < f.n; i++)
    if (strcmp(f.v[i].rule, "media.uncertified") == 0 && strstr(f.v[i].detail, "青溪图书馆"))
      u = &f.v[i];
  CHECK(u != NULL);
  CHECK(u && strstr(u->detail, "未登记认证主体") && strcmp(u->title, "未认证（未登记认证主体）") == 0);
  CHECK_INT(find_rule(&f, "media.uncertified", 2) == NULL, 1); /* 青溪自然资源 and 青溪图书馆 only */
  gw_media_findings_free(&f);

  /* an account whose unit is not in the list given */
  struct gw_unit_list none = {0};
  CHECK_INT(gw_media_register_check(al.v, al.n, &none, 1000, &f), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "media.register: account #");
  CHECK_CONTAINS(gw_err_msg(), "is not in the register");
  CHECK(f.n == 0);
  gw_account_list_free(&al);
  gw_unit_list_free(&ul);
  gw_store_close(&st);
}

/* ---- the account store ---- */

static void test_store(void)
{
  int64_t root;
  struct gw_store *st = sample_store(&root);
  struct gw_inspection in = {0};
  in.quarter = (char *)"2025Q1";
  in.as_of = 5000;
  in.rules_path = (char *)"/x.yaml";
  in.rules_id = (char *)"x";
  in.started_at = 1;
  CHECK_INT(gw_store_inspection_insert(st, &in), GW_OK);
  struct gw_inspection_account r = {.inspection_id = in.id, .account_id = 1};
  CHECK_INT(gw_store_inspection_account_put(st, &r, 10), GW_OK);
  r.result = 3;
  r.reason = (char *)"待定";
  CHECK_INT(gw_store_inspection_account_put(st, &r, 11), GW_OK); /* replaces, no second row */
  struct gw_inspection_account_list l = {0};
  CHECK_INT(gw_store_inspection_account_list(st, in.id, &l), GW_OK);
  CHECK_INT(l.n, 1);
  CHECK_INT(l.v[0].result, 3);
  CHECK_STR(l.v[0].reason, "待定");
  CHECK_INT(l.v[0].updated_at, 11);
  gw_inspection_account_list_free(&l);
  r.account_id = 999;
  CHECK_INT(gw_store_inspection_account_put(st, &r, 12), GW_ENOTFOUND);
  r.result = 7;
  CHECK_INT(gw_store_inspection_account_put(st, &r, 12), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "result 7 is not 0..3");
  struct gw_inspection_account g;
  CHECK_INT(gw_store_inspection_account_get(st, in.id, 2, &g), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "account #2 is not in inspection");

  struct gw_finding f[2] = {
    {.check = "manual", .rule = (char *)"media.not_updated", .severity = GW_SEV_DEDUCT, .account_id = 1,
     .key = (char *)"k1", .title = (char *)"t", .observed_at = 5},
    {.check = "manual", .rule = (char *)"media.not_updated", .severity = GW_SEV_DEDUCT, .account_id = 1,
     .key = (char *)"k1", .title = (char *)"t2", .observed_at = 5},
  };
  CHECK_INT(gw_store_account_findings_replace(st, in.id, 1, "manual", f, 2), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "two findings have the key 'k1'");
  f[1].account_id = 2;
  CHECK_INT(gw_store_account_findings_replace(st, in.id, 1, "manual", f, 2), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "finding 1 (key 'k1'): it is not about this account");
  CHECK_INT(gw_store_account_findings_replace(st, in.id, 1, "media.register", f, 1), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "its check is not the one being replaced");
  f[0].title = NULL;
  CHECK_INT(gw_store_account_findings_replace(st, in.id, 1, "manual", f, 1), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "it has no title");
  f[0].title = (char *)"t";
  CHECK_INT(gw_store_account_findings_replace(st, in.id + 100, 1, "manual", f, 1), GW_ENOTFOUND);
  CHECK_INT(gw_store_account_findings_replace(st, in.id, 1, "manual", f, 1), GW_OK);
  char fp[17];
  gw_finding_fingerprint(&f[0], fp);
  struct gw_finding_row row;
  int64_t insp = 0;
  CHECK_INT(gw_store_account_finding_by_fingerprint(st, fp, &row, &insp), GW_OK);
  CHECK_INT(insp, in.id);
  CHECK_STR(row.fingerprint, fp);
  CHECK_STR(row.f.rule, "media.not_updated");
  CHECK_INT(row.f.account_id, 1);
  CHECK_INT(row.run_id, 0);
  int64_t af_id = row.id;
  gw_finding_row_clear(&row);
  insp = 0;
  CHECK_INT(gw_store_account_finding_get(st, af_id, &row, &insp), GW_OK);
  CHECK_STR(row.fingerprint, fp);
  CHECK_INT(insp, in.id);
  gw_finding_row_clear(&row);
  CHECK_INT(gw_store_account_finding_get(st, af_id + 1000, &row, NULL), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "there is no account finding a");
  CHECK_INT(gw_store_account_finding_by_fingerprint(st, "0000000000000000", &row, NULL), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no account finding has the fingerprint 0000000000000000");
  /* replacing with nothing empties the check's findings */
  CHECK_INT(gw_store_account_findings_replace(st, in.id, 1, "manual", NULL, 0), GW_OK);
  CHECK_INT(gw_store_account_finding_by_fingerprint(st, fp, &row, NULL), GW_ENOTFOUND);
  gw_store_close(&st);
}

/* ---- accounts in an inspection ---- */

static int count_rows(void *ctx, const struct gw_finding_row *r)
{
  (void)r;
  (*(size_t *)ctx)++;
  return 0;
}

static const struct gw_account *by_name(const struct gw_account_list *l, const char *name)
{
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->v[i].name, name) == 0)
      return &l->v[i];
  abort();
}

static void test_inspection(void)
{
  int64_t root;
  struct gw_store *st = sample_store(&root);
  char *rules_path = src_path("rules/national-2019.yaml");
  struct gw_rules *rules = NULL;
  CHECK_INT(gw_inspect_rules_load(rules_path, &rules, NULL), GW_OK);
  struct gw_inspection in = {0};
  in.quarter = (char *)"2025Q1";
  int64_t as_of = 0;
  CHECK_INT(gw_time_parse("2025-03-31 12:00", &as_of), GW_OK);
  in.as_of = as_of;
  in.rules_path = rules_path;
  in.rules_id = (char *)"national-2019";
  in.started_at = 1;
  CHECK_INT(gw_store_inspection_insert(st, &in), GW_OK);
  struct gw_account_list al = {0};
  CHECK_INT(gw_store_account_list(st, 0, &al), GW_OK);

  struct gw_inspect_report rep;
  memset(&rep, 0, sizeof rep);
  CHECK_INT(gw_inspect_run_accounts(st, rules, &in, al.v, al.n, &rep), GW_OK);
  CHECK_INT(rep.accounts, 6);
  /* nothing in this build judges M1-M3 for an account: 待定, never 合格 */
  CHECK_INT(rep.account_undetermined, 6);
  CHECK_INT(rep.account_pass + rep.account_fail, 0);

  const struct gw_account *zr = by_name(&al, "青溪自然资源");
  struct gw_inspect_sheet sh;
  memset(&sh, 0, sizeof sh);
  CHECK_INT(gw_inspect_score_account(st, rules, &in, zr, &sh), GW_OK);
  CHECK(sh.sheet && sh.sheet->media);
  CHECK_INT(sh.n, 1);
  if (sh.n == 1) {
    CHECK_STR(sh.rows[0].f.rule, "media.uncertified");
    /* the national media part vetoes only; the key is listed, not scored */
    CHECK_INT(sh.sheet->findings[0].status, GW_FS_UNUSED);
  }
  CHECK_INT(sh.sheet->result, GW_RESULT_UNDETERMINED);
  char *text = gw_inspect_sheet_text(&sh, &in);
  CHECK_CONTAINS(text, "政务新媒体评分表");
  CHECK_CONTAINS(text, "M2 内容不更新：未能判定");
  CHECK(strstr(text, "可用性监测") == NULL);
  free(text);
  gw_inspect_sheet_clear(&sh);

  /* a re-run: the same rows and findings, nothing added */
  memset(&rep, 0, sizeof rep);
  CHECK_INT(gw_inspect_run_accounts(st, rules, &in, al.v, al.n, &rep), GW_OK);
  CHECK_INT(rep.accounts, 6);
  struct gw_inspection_account_list l = {0};
  CHECK_INT(gw_store_inspection_account_list(st, in.id, &l), GW_OK);
  CHECK_INT(l.n, 6);
  gw_inspection_account_list_free(&l);
  size_t nf = 0;
  CHECK_INT(gw_store_account_finding_each(st, in.id, zr->id, NULL, count_rows, &nf), GW_OK);
  CHECK_INT(nf, 1);

  /* a manual media.not_updated finding fails M2 */
  const struct gw_account *edu = by_name(&al, "青溪教育");
  struct gw_manual_finding m = {.rule = "media.not_updated", .title = "监测时间点前2周内无更新",
                                .detail = "最近一次推送为2025年3月5日", .who = "审核员甲"};
  char fp[17];
  CHECK_INT(gw_inspect_add_manual_account(st, rules, &in, edu, &m, 100, fp), GW_OK);
  CHECK_INT(gw_inspect_add_manual_account(st, rules, &in, edu, &m, 101, fp), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "青溪教育 already has this manual finding");
  struct gw_manual_finding bad = m;
  bad.rule = "media.nonsense";
  CHECK_INT(gw_inspect_add_manual_account(st, rules, &in, edu, &bad, 100, fp), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "--rule 'media.nonsense' is not a rule key");
  bad = m;
  bad.who = "";
  CHECK_INT(gw_inspect_add_manual_account(st, rules, &in, edu, &bad, 100, fp), GW_EINVAL);
  struct gw_account stranger = *edu;
  stranger.id = 9999;
  CHECK_INT(gw_inspect_add_manual_account(st, rules, &in, &stranger, &m, 100, fp), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "is not in inspection");
  CHECK_INT(gw_inspect_add_manual_account(st, rules, &in, edu, &m, 100, fp), GW_EEXIST);
  char mfp[17];
  struct gw_finding probe = {.check = "manual", .rule = (char *)"media.not_updated", .account_id = edu->id,
                             .key = (char *)"media.not_updated||监测时间点前2周内无更新"};
  gw_finding_fingerprint(&probe, mfp);
  CHECK_INT(gw_inspect_rescore_account(st, rules, &in, edu, 102), GW_OK);
  struct gw_inspection_account row;
  CHECK_INT(gw_store_inspection_account_get(st, in.id, edu->id, &row), GW_OK);
  CHECK_INT(row.result, GW_RESULT_FAIL);
  CHECK_CONTAINS(row.reason, "M2 内容不更新");
  gw_inspection_account_clear(&row);
  CHECK_INT(gw_inspect_score_account(st, rules, &in, edu, &sh), GW_OK);
  CHECK(sh.sheet->vetoes[1].hit);
  CHECK_STR(sh.sheet->vetoes[1].id, "M2");
  CHECK_STR(sh.rows[0].fingerprint, mfp);
  gw_inspect_sheet_clear(&sh);

  /* reviews apply: a dismissal lifts the veto, a confirmation restores it */
  struct gw_review rv = {.action = GW_REVIEW_DISMISS, .who = (char *)"审核员乙", .at = 200,
                         .reason = (char *)"3月20日有推送"};
  memcpy(rv.fingerprint, mfp, 17);
  CHECK_INT(gw_store_review_add(st, &rv), GW_OK);
  CHECK_INT(gw_inspect_score_account(st, rules, &in, edu, &sh), GW_OK);
  CHECK_INT(sh.sheet->result, GW_RESULT_UNDETERMINED);
  CHECK_INT(sh.n_dismissed, 1);
  CHECK_INT(sh.n, 0);
  gw_inspect_sheet_clear(&sh);
  struct gw_review cf = {.action = GW_REVIEW_CONFIRM, .who = (char *)"审核员乙", .at = 201};
  memcpy(cf.fingerprint, mfp, 17);
  CHECK_INT(gw_store_review_add(st, &cf), GW_OK);
  CHECK_INT(gw_inspect_score_account(st, rules, &in, edu, &sh), GW_OK);
  CHECK_INT(sh.sheet->result, GW_RESULT_FAIL);
  gw_inspect_sheet_clear(&sh);

  /* the manual finding survives a re-run (only media.register's are replaced) */
  memset(&rep, 0, sizeof rep);
  CHECK_INT(gw_inspect_run_accounts(st, rules, &in, al.v, al.n, &rep), GW_OK);
  CHECK_INT(rep.account_fail, 1);
  CHECK_INT(rep.account_undetermined, 5);
  nf = 0;
  CHECK_INT(gw_store_account_finding_each(st, in.id, edu->id, NULL, count_rows, &nf), GW_OK);
  CHECK_INT(nf, 1);

  /* a needs_review duplicate is pending until confirmed */
  int64_t edu_unit = edu->unit_id;
  int64_t twin = add_account(st, "青溪教育局", GW_PLATFORM_WECHAT_SUB, edu_unit, "青溪县教育局", GW_ACCOUNT_RUNNING);
  gw_account_list_free(&al);
  CHECK_INT(gw_store_account_list(st, 0, &al), GW_OK);
  memset(&rep, 0, sizeof rep);
  CHECK_INT(gw_inspect_run_accounts(st, rules, &in, al.v, al.n, &rep), GW_OK);
  CHECK_INT(rep.accounts, 7);
  const struct gw_account *tw = by_name(&al, "青溪教育局");
  CHECK_INT(tw->id, twin);
  CHECK_INT(gw_inspect_score_account(st, rules, &in, tw, &sh), GW_OK);
  CHECK_INT(sh.n, 1);
  CHECK_INT(sh.sheet->n_pending, 1);
  CHECK_INT(sh.sheet->findings[0].status, GW_FS_PENDING);
  struct gw_review c2 = {.action = GW_REVIEW_CONFIRM, .who = (char *)"审核员乙", .at = 300};
  memcpy(c2.fingerprint, sh.rows[0].fingerprint, 17);
  gw_inspect_sheet_clear(&sh);
  CHECK_INT(gw_store_review_add(st, &c2), GW_OK);
  CHECK_INT(gw_inspect_score_account(st, rules, &in, tw, &sh), GW_OK);
  CHECK_INT(sh.sheet->n_pending, 0);
  CHECK_INT(sh.sheet->findings[0].status, GW_FS_UNUSED);
  gw_inspect_sheet_clear(&sh);

  /* an account not in the inspection */
  struct gw_inspection other = in;
  other.id = in.id + 50;
  CHECK_INT(gw_inspect_score_account(st, rules, &other, by_name(&al, "青溪自然资源"), &sh), GW_ENOTFOUND);

  gw_account_list_free(&al);
  gw_rules_free(&rules);
  free(rules_path);
  gw_store_close(&st);
}

int main(void)
{
  test_register_check();
  test_store();
  test_inspection();
  return gw_test_done();
}
