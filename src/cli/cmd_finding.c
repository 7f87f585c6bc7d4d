/* govwatch finding: review the findings of an inspection - list, show,
 * confirm, dismiss (remembered by fingerprint across inspections), add a
 * manual finding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "cli/inspect_cli.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "inspect/accounts.h"
#include "inspect/inspect.h"
#include "register/register.h"

#define CMD "finding"
#define OPT_END {NULL, NULL, NULL, false, NULL, false}

static const char *action_label(enum gw_review_action a)
{
  return a == GW_REVIEW_CONFIRM ? "确认" : a == GW_REVIEW_DISMISS ? "驳回" : a == GW_REVIEW_ADD ? "人工添加" : "?";
}
static const char *action_key(enum gw_review_action a)
{
  return a == GW_REVIEW_CONFIRM ? "confirmed" : a == GW_REVIEW_DISMISS ? "dismissed" : a == GW_REVIEW_ADD ? "added" : "?";
}

/* A finding by id or fingerprint. */
static int resolve_finding(struct gw_store *st, const char *verb, const char *ref, struct gw_finding_row *out)
{
  size_t len = strlen(ref);
  bool hex = len == 16;
  for (size_t i = 0; hex && i < len; i++)
    hex = (ref[i] >= '0' && ref[i] <= '9') || (ref[i] >= 'a' && ref[i] <= 'f');
  int rc;
  if (hex) {
    rc = gw_store_finding_by_fingerprint(st, ref, out);
    if (rc == GW_ENOTFOUND) { /* an account's finding (no check run) */
      gw_err_clear();
      rc = gw_store_account_finding_by_fingerprint(st, ref, out, NULL);
    }
  } else if (ref[0] == 'a') { /* an account finding as listed: a<id> */
    int64_t id;
    if (gw_parse_i64(ref + 1, &id) || id <= 0)
      return gw_cli_usage(verb, "'%s' is neither a finding id (N, or aN for an account's) nor a 16-digit fingerprint",
                          ref);
    rc = gw_store_account_finding_get(st, id, out, NULL);
  } else {
    int64_t id;
    if (gw_parse_i64(ref, &id) || id <= 0)
      return gw_cli_usage(verb, "'%s' is neither a finding id (N, or aN for an account's) nor a 16-digit fingerprint",
                          ref);
    rc = gw_store_finding_get(st, id, out);
  }
  return rc ? gw_err_prefix(rc, "%s", verb) : GW_OK;
}

/* The review state of a fingerprint in words. */
static const char *state_of(struct gw_store *st, const struct gw_finding_row *r, struct gw_review *rv)
{
  memset(rv, 0, sizeof *rv);
  if (gw_store_review_decision(st, r->fingerprint, rv) == GW_OK)
    return rv->action == GW_REVIEW_DISMISS ? "已驳回" : "已确认";
  gw_err_clear();
  return r->f.needs_review ? "待复核" : "有效";
}

/* ---- list ---- */

struct list_ctx {
  struct gw_store *st;
  const char *site_name, *site_code;
  const char *status; /* NULL = all */
  struct gw_cli_table *t;
  json_t *arr;
  size_t n;
};

static int list_one(void *vctx, const struct gw_finding_row *r)
{
  struct list_ctx *c = vctx;
  struct gw_review rv;
  const char *state = state_of(c->st, r, &rv);
  const char *key = rv.id ? action_key(rv.action) : r->f.needs_review ? "pending" : "open";
  if (c->status && strcmp(c->status, key) != 0) {
    gw_review_clear(&rv);
    return 0;
  }
  char id[24];
  snprintf(id, sizeof id, "%s%lld", r->f.account_id ? "a" : "", (long long)r->id);
  const char *cells[] = {id, r->fingerprint, c->site_name, r->f.rule, gw_severity_label(r->f.severity), state,
                         r->f.title ? r->f.title : "", r->f.target ? r->f.target : (r->f.url ? r->f.url : "")};
  gw_cli_table_add(c->t, cells);
  json_t *j = json_object();
  json_object_set_new(j, "id", json_integer((json_int_t)r->id));
  json_object_set_new(j, "fingerprint", json_string(r->fingerprint));
  json_object_set_new(j, r->f.account_id ? "account" : "site", gw_cli_jstr(c->site_name));
  if (!r->f.account_id)
    json_object_set_new(j, "site_code", gw_cli_jstr(c->site_code));
  json_object_set_new(j, "check", gw_cli_jstr(r->check));
  json_object_set_new(j, "rule", gw_cli_jstr(r->f.rule));
  json_object_set_new(j, "severity", json_string(gw_severity_key(r->f.severity)));
  json_object_set_new(j, "needs_review", json_boolean(r->f.needs_review));
  json_object_set_new(j, "status", json_string(key));
  json_object_set_new(j, "title", gw_cli_jstr(r->f.title));
  json_object_set_new(j, "url", gw_cli_jstr(r->f.url));
  json_object_set_new(j, "target", gw_cli_jstr(r->f.target));
  json_array_append_new(c->arr, j);
  c->n++;
  gw_review_clear(&rv);
  return 0;
}

static int verb_list(struct gw_cli *cli, int argc, char **argv)
{
  const char *verb = CMD " list";
  struct gw_opt opts[] = {
    {"inspection", "ID", "the inspection (default: the latest)", false, NULL, false},
    {"quarter", "QUARTER", "the latest inspection of this quarter", false, NULL, false},
    {"site", "SITE", "only this site (accounts are then left out)", false, NULL, false},
    {"account", "ACCOUNT", "only this new-media account (sites are then left out)", false, NULL, false},
    {"status", "STATUS", "only open, pending, confirmed or dismissed", false, NULL, false},
    OPT_END,
  };
  const char *pos[1];
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(verb, opts, argc, argv, NULL, 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout,
                "govwatch finding list [--inspection ID|--quarter Q] [--site SITE|--account ACCOUNT] [--status STATUS]",
                "List the findings of an inspection with their review state: open (counts),\n"
                "pending (needs a reviewer's confirmation before it counts), confirmed, dismissed\n"
                "(does not count, remembered by fingerprint in later inspections).",
                opts);
    return GW_OK;
  }
  const char *status = gw_cli_opt(opts, "status");
  if (status && strcmp(status, "open") && strcmp(status, "pending") && strcmp(status, "confirmed") &&
      strcmp(status, "dismissed"))
    return gw_cli_usage(verb, "--status '%s' is not one of open, pending, confirmed, dismissed", status);
  struct gw_store *st;
  struct gw_inspection in;
  struct gw_inspection_site_list rows = {0};
  struct gw_site only;
  struct gw_account only_acct;
  memset(&in, 0, sizeof in);
  memset(&only, 0, sizeof only);
  memset(&only_acct, 0, sizeof only_acct);
  if ((rc = gw_cli_store(cli, &st)) ||
      (rc = gw_cli_inspection(cli, verb, gw_cli_opt(opts, "inspection"), gw_cli_opt(opts, "quarter"), &in)))
    return rc;
  const char *v = gw_cli_opt(opts, "site");
  if (v && (rc = gw_reg_site_resolve(st, v, &only))) {
    rc = gw_err_prefix(rc, "%s: --site '%s'", verb, v);
    goto done;
  }
  const char *av = gw_cli_opt(opts, "account");
  if (v && av) {
    rc = gw_cli_usage(verb, "give --site or --account, not both");
    goto done;
  }
  if (av && (rc = gw_reg_account_resolve(st, av, &only_acct))) {
    rc = gw_err_prefix(rc, "%s: --account '%s'", verb, av);
    goto done;
  }
  if ((rc = gw_store_inspection_site_list(st, in.id, &rows)))
    goto done;
  static const char *const head[] = {"编号", "指纹", "网站/账号", "规则", "性质", "状态", "问题", "对象"};
  struct gw_cli_table t;
  gw_cli_table_init(&t, head, 8);
  struct list_ctx c = {.st = st, .status = status, .t = &t, .arr = json_array()};
  for (size_t i = 0; i < rows.n && rc == GW_OK; i++) {
    if ((only.id && rows.v[i].site_id != only.id) || only_acct.id || !rows.v[i].run_id)
      continue;
    struct gw_site s;
    memset(&s, 0, sizeof s);
    if ((rc = gw_store_site_get(st, rows.v[i].site_id, &s)))
      break;
    c.site_name = s.name;
    c.site_code = s.code;
    rc = gw_store_finding_each(st, rows.v[i].run_id, NULL, list_one, &c);
    gw_site_clear(&s);
  }
  /* The new-media accounts' findings (account ids are shown with an "a"). */
  struct gw_inspection_account_list accts = {0};
  if (rc == GW_OK && !only.id)
    rc = gw_store_inspection_account_list(st, in.id, &accts);
  for (size_t i = 0; i < accts.n && rc == GW_OK; i++) {
    if (only_acct.id && accts.v[i].account_id != only_acct.id)
      continue;
    struct gw_account a;
    memset(&a, 0, sizeof a);
    if ((rc = gw_store_account_get(st, accts.v[i].account_id, &a)))
      break;
    c.site_name = a.name;
    c.site_code = NULL;
    rc = gw_store_account_finding_each(st, in.id, a.id, NULL, list_one, &c);
    gw_account_clear(&a);
  }
  gw_inspection_account_list_free(&accts);
  if (rc == GW_OK) {
    if (cli->json) {
      rc = gw_cli_json_print(c.arr);
      c.arr = NULL;
    } else {
      gw_cli_table_print(stdout, &t);
      printf("检查批次 #%lld：%zu 条\n", (long long)in.id, c.n);
    }
  }
  json_decref(c.arr);
  gw_cli_table_free(&t);
done:
  gw_inspection_site_list_free(&rows);
  gw_site_clear(&only);
  gw_account_clear(&only_acct);
  gw_inspection_clear(&in);
  return rc;
}

/* ---- show ---- */

static int verb_show(struct gw_cli *cli, int argc, char **argv)
{
  const char *verb = CMD " show";
  struct gw_opt opts[] = {OPT_END};
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(verb, opts, argc, argv, "FINDING", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch finding show FINDING",
                "Show one finding (by id or fingerprint) with all its evidence and its review\n"
                "history (who confirmed, dismissed or added it, when and why).",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct gw_finding_row r;
  struct gw_review_list log = {0};
  struct gw_review rv;
  memset(&r, 0, sizeof r);
  memset(&rv, 0, sizeof rv);
  if ((rc = gw_cli_store(cli, &st)) || (rc = resolve_finding(st, verb, pos[0], &r)))
    return rc;
  if ((rc = gw_store_review_list(st, r.fingerprint, &log)))
    goto done;
  const char *state = state_of(st, &r, &rv);
  struct gw_site s;
  memset(&s, 0, sizeof s);
  if (r.f.site_id && gw_store_site_get(st, r.f.site_id, &s))
    gw_err_clear();
  struct gw_account acct;
  memset(&acct, 0, sizeof acct);
  if (r.f.account_id && gw_store_account_get(st, r.f.account_id, &acct))
    gw_err_clear();
  const char *subject = r.f.account_id ? acct.name : s.name;
  char t[40];
  if (cli->json) {
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer((json_int_t)r.id));
    json_object_set_new(j, "fingerprint", json_string(r.fingerprint));
    json_object_set_new(j, "run_id", json_integer((json_int_t)r.run_id));
    json_object_set_new(j, r.f.account_id ? "account" : "site", gw_cli_jstr(subject));
    json_object_set_new(j, "check", gw_cli_jstr(r.check));
    json_object_set_new(j, "rule", gw_cli_jstr(r.f.rule));
    json_object_set_new(j, "severity", json_string(gw_severity_key(r.f.severity)));
    json_object_set_new(j, "needs_review", json_boolean(r.f.needs_review));
    json_object_set_new(j, "state", json_string(state));
    json_object_set_new(j, "title", gw_cli_jstr(r.f.title));
    json_object_set_new(j, "detail", gw_cli_jstr(r.f.detail));
    json_object_set_new(j, "url", gw_cli_jstr(r.f.url));
    json_object_set_new(j, "target", gw_cli_jstr(r.f.target));
    json_object_set_new(j, "locator", gw_cli_jstr(r.f.locator));
    json_object_set_new(j, "snippet", gw_cli_jstr(r.f.snippet));
    json_t *obs = r.f.observed_json ? json_loads(r.f.observed_json, 0, NULL) : NULL;
    json_object_set_new(j, "observed", obs ? obs : json_null());
    json_object_set_new(j, "observed_at", gw_cli_jtime(r.f.observed_at));
    json_t *h = json_array();
    for (size_t i = 0; i < log.n; i++)
      json_array_append_new(h, json_pack("{sssososo}", "action", action_key(log.v[i].action), "who",
                                         gw_cli_jstr(log.v[i].who), "at", gw_cli_jtime(log.v[i].at), "reason",
                                         gw_cli_jstr(log.v[i].reason)));
    json_object_set_new(j, "reviews", h);
    rc = gw_cli_json_print(j);
  } else {
    char id[24];
    snprintf(id, sizeof id, "%s%lld", r.f.account_id ? "a" : "", (long long)r.id);
    const char *fields[] = {"编号", "指纹", r.f.account_id ? "账号" : "网站", "检查项", "规则", "性质", "状态", "问题", "详情",
                            "页面", "对象", "位置", "摘录", "观测值", "观测时间"};
    const char *values[] = {id, r.fingerprint, subject, r.check, r.f.rule, gw_severity_label(r.f.severity), state,
                            r.f.title, r.f.detail, r.f.url, r.f.target, r.f.locator, r.f.snippet, r.f.observed_json,
                            gw_time_format(r.f.observed_at, t, sizeof t)};
    gw_cli_record_print(stdout, fields, values, 15);
    for (size_t i = 0; i < log.n; i++) {
      char w[32];
      printf("复核记录：%s %s %s%s%s\n", gw_time_format(log.v[i].at, w, sizeof w), log.v[i].who,
             action_label(log.v[i].action), log.v[i].reason ? "，理由：" : "", log.v[i].reason ? log.v[i].reason : "");
    }
  }
  gw_site_clear(&s);
  gw_account_clear(&acct);
done:
  gw_review_clear(&rv);
  gw_review_list_free(&log);
  gw_finding_row_clear(&r);
  return rc;
}

/* ---- confirm / dismiss ---- */

/* Score the finding's site again in the latest inspection that holds it,
 * so the stored verdict follows the review at once. */
/* An account's finding: score the account again in the latest inspection
 * whose findings hold this fingerprint. */
static int rescore_account_after(struct gw_cli *cli, struct gw_store *st, const struct gw_finding_row *r)
{
  struct gw_finding_row latest;
  struct gw_inspection in;
  struct gw_account a;
  struct gw_rules *rules = NULL;
  memset(&latest, 0, sizeof latest);
  memset(&in, 0, sizeof in);
  memset(&a, 0, sizeof a);
  int64_t insp_id = 0;
  int rc = gw_store_account_finding_by_fingerprint(st, r->fingerprint, &latest, &insp_id);
  if (rc == GW_OK && (rc = gw_store_inspection_get(st, insp_id, &in)) == GW_OK &&
      (rc = gw_store_account_get(st, r->f.account_id, &a)) == GW_OK &&
      (rc = gw_inspect_rules_load(in.rules_path, &rules, NULL)) == GW_OK &&
      (rc = gw_inspect_rescore_account(st, rules, &in, &a, gw_now())) == GW_OK && !cli->json) {
    struct gw_inspection_account now = {0};
    if (gw_store_inspection_account_get(st, in.id, a.id, &now) == GW_OK && now.result)
      printf("已重新评分：%s 在检查批次 #%lld 中为 %s（%s）\n", a.name, (long long)in.id,
             gw_score_result_label((enum gw_score_result)now.result), now.reason ? now.reason : "");
    gw_inspection_account_clear(&now);
  }
  gw_rules_free(&rules);
  gw_account_clear(&a);
  gw_inspection_clear(&in);
  gw_finding_row_clear(&latest);
  return rc;
}

static int rescore_after(struct gw_cli *cli, struct gw_store *st, const struct gw_finding_row *r)
{
  if (r->f.account_id)
    return rescore_account_after(cli, st, r);
  if (!r->f.site_id)
    return GW_OK;
  struct gw_inspection_list l = {0};
  int rc = gw_store_inspection_list(st, &l);
  if (rc)
    return rc;
  for (size_t i = l.n; i-- > 0 && rc == GW_OK;) {
    struct gw_inspection_site row = {0};
    if (gw_store_inspection_site_get(st, l.v[i].id, r->f.site_id, &row)) {
      gw_err_clear();
      continue;
    }
    int64_t run = row.run_id;
    gw_inspection_site_clear(&row);
    if (run != r->run_id)
      continue;
    struct gw_rules *rules = NULL;
    struct gw_site s;
    memset(&s, 0, sizeof s);
    struct gw_avail_thresholds t;
    gw_avail_thresholds_default(&t);
    if ((rc = gw_inspect_rules_load(l.v[i].rules_path, &rules, NULL)) == GW_OK &&
        (rc = gw_store_site_get(st, r->f.site_id, &s)) == GW_OK &&
        (rc = gw_inspect_rescore(st, rules, &l.v[i], &s, &t, gw_now())) == GW_OK && !cli->json) {
      struct gw_inspection_site now = {0};
      if (gw_store_inspection_site_get(st, l.v[i].id, s.id, &now) == GW_OK && now.state == GW_INSP_SCORED)
        printf("已重新评分：%s 在检查批次 #%lld 中为 %s（%s）\n", s.name, (long long)l.v[i].id,
               gw_score_result_label((enum gw_score_result)now.result), now.reason ? now.reason : "");
      gw_inspection_site_clear(&now);
    }
    gw_site_clear(&s);
    gw_rules_free(&rules);
    break;
  }
  gw_inspection_list_free(&l);
  return rc;
}

static int review(struct gw_cli *cli, int argc, char **argv, enum gw_review_action action)
{
  const char *verb = action == GW_REVIEW_DISMISS ? CMD " dismiss" : CMD " confirm";
  struct gw_opt opts[] = {
    {"reason", "TEXT", action == GW_REVIEW_DISMISS ? "why it is not a problem (required)" : "a note", action ==
     GW_REVIEW_DISMISS, NULL, false},
    {"by", "NAME", "who reviews (default: $USER)", false, NULL, false},
    OPT_END,
  };
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(verb, opts, argc, argv, "FINDING", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    if (action == GW_REVIEW_DISMISS)
      gw_cli_help(stdout, "govwatch finding dismiss FINDING --reason TEXT [--by NAME]",
                  "Dismiss a finding (by id or fingerprint) as not a problem. The dismissal is kept\n"
                  "by fingerprint with who, when and why: the finding does not count in this or any\n"
                  "later inspection's score (it is listed as dismissed), until confirmed again.",
                  opts);
    else
      gw_cli_help(stdout, "govwatch finding confirm FINDING [--reason TEXT] [--by NAME]",
                  "Confirm a finding (by id or fingerprint): a finding that needs review (e.g. a\n"
                  "suspected typo) counts only once confirmed; confirming also undoes a dismissal.\n"
                  "Kept by fingerprint with who, when and why.",
                  opts);
    return GW_OK;
  }
  const char *reason = gw_cli_opt(opts, "reason");
  if (action == GW_REVIEW_DISMISS && gw_str_empty(reason))
    return gw_cli_usage(verb, "--reason must say why the finding is dismissed");
  struct gw_store *st;
  struct gw_finding_row r;
  memset(&r, 0, sizeof r);
  if ((rc = gw_cli_store(cli, &st)) || (rc = resolve_finding(st, verb, pos[0], &r)))
    return rc;
  struct gw_review rv = {.action = action, .who = (char *)gw_cli_reviewer(gw_cli_opt(opts, "by")), .at = gw_now(),
                         .reason = (char *)(reason && *reason ? reason : NULL)};
  memcpy(rv.fingerprint, r.fingerprint, sizeof rv.fingerprint);
  if ((rc = gw_store_review_add(st, &rv)))
    goto done;
  if (cli->json) {
    json_t *j = json_pack("{sIsssssoso}", "finding", (json_int_t)r.id, "fingerprint", r.fingerprint, "action",
                          action_key(action), "who", gw_cli_jstr(rv.who), "reason", gw_cli_jstr(rv.reason));
    rc = gw_cli_json_print(j);
  } else {
    printf("%s：#%s%lld %s %s（%s）\n", action_label(action), r.f.account_id ? "a" : "", (long long)r.id, r.fingerprint, r.f.title ? r.f.title : "",
           rv.who);
  }
  if (rc == GW_OK)
    rc = rescore_after(cli, st, &r);
done:
  gw_finding_row_clear(&r);
  return rc;
}

static int verb_confirm(struct gw_cli *cli, int argc, char **argv)
{
  return review(cli, argc, argv, GW_REVIEW_CONFIRM);
}

static int verb_dismiss(struct gw_cli *cli, int argc, char **argv)
{
  return review(cli, argc, argv, GW_REVIEW_DISMISS);
}

/* ---- add ---- */

static int verb_add(struct gw_cli *cli, int argc, char **argv)
{
  const char *verb = CMD " add";
  struct gw_opt opts[] = {
    {"site", "SITE", "the site (id, 网站标识码 or URL)", false, NULL, false},
    {"account", "ACCOUNT", "or a new-media account (id, name or 平台:名称)", false, NULL, false},
    {"rule", "KEY", "the rule key, e.g. content.typo (docs/rules.md)", true, NULL, false},
    {"title", "TEXT", "the problem in one line (Chinese)", true, NULL, false},
    {"url", "URL", "the page where it is", false, NULL, false},
    {"detail", "TEXT", "what was observed", false, NULL, false},
    {"severity", "LEVEL", "veto or deduct (default deduct)", false, NULL, false},
    {"inspection", "ID", "the inspection (default: the latest)", false, NULL, false},
    {"by", "NAME", "who adds it (default: $USER)", false, NULL, false},
    OPT_END,
  };
  const char *pos[1];
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(verb, opts, argc, argv, NULL, 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout,
                "govwatch finding add --site SITE|--account ACCOUNT --rule KEY --title TEXT [--url URL] [--detail TEXT] "
                "[--severity veto|deduct] [--inspection ID] [--by NAME]",
                "Add a manual finding for what a machine cannot judge (check 'manual'): it joins\n"
                "the site's check run in the inspection, is scored like any finding of its rule\n"
                "key, and the site is scored again at once. With --account it is about a\n"
                "new-media account (e.g. --rule media.not_updated after reading its feed) and\n"
                "the account is scored again.",
                opts);
    return GW_OK;
  }
  enum gw_severity sev = GW_SEV_DEDUCT;
  const char *v;
  const char *acct_ref = gw_cli_opt(opts, "account");
  if (!gw_cli_opt(opts, "site") == !acct_ref)
    return gw_cli_usage(verb, "give exactly one of --site SITE or --account ACCOUNT");
  if ((v = gw_cli_opt(opts, "severity")) &&
      (gw_severity_parse(v, &sev) || (sev != GW_SEV_VETO && sev != GW_SEV_DEDUCT)))
    return gw_cli_usage(verb, "--severity '%s' is neither veto nor deduct", v);
  struct gw_store *st;
  struct gw_inspection in;
  struct gw_site s;
  struct gw_account acct;
  struct gw_rules *rules = NULL;
  memset(&in, 0, sizeof in);
  memset(&s, 0, sizeof s);
  memset(&acct, 0, sizeof acct);
  if ((rc = gw_cli_store(cli, &st)) || (rc = gw_cli_inspection(cli, verb, gw_cli_opt(opts, "inspection"), NULL, &in)))
    return rc;
  if (acct_ref) {
    if ((rc = gw_reg_account_resolve(st, acct_ref, &acct))) {
      rc = gw_err_prefix(rc, "%s: --account '%s'", verb, acct_ref);
      goto done;
    }
  } else if ((rc = gw_reg_site_resolve(st, (v = gw_cli_opt(opts, "site")), &s))) {
    rc = gw_err_prefix(rc, "%s: --site '%s'", verb, v);
    goto done;
  }
  if ((rc = gw_inspect_rules_load(in.rules_path, &rules, NULL)))
    goto done;
  struct gw_manual_finding m = {
    .rule = gw_cli_opt(opts, "rule"),
    .url = gw_cli_opt(opts, "url"),
    .title = gw_cli_opt(opts, "title"),
    .detail = gw_cli_opt(opts, "detail"),
    .who = gw_cli_reviewer(gw_cli_opt(opts, "by")),
    .severity = sev,
  };
  char fp[17];
  if (acct_ref) {
    if ((rc = gw_inspect_add_manual_account(st, rules, &in, &acct, &m, gw_now(), fp)) ||
        (rc = gw_inspect_rescore_account(st, rules, &in, &acct, gw_now())))
      goto done;
    struct gw_inspection_account row = {0};
    if (cli->json) {
      rc = gw_cli_json_print(
          json_pack("{sssIss}", "fingerprint", fp, "inspection", (json_int_t)in.id, "account", acct.name));
    } else {
      printf("已添加人工问题 %s：%s（%s）\n", fp, m.title, acct.name);
      if (gw_store_inspection_account_get(st, in.id, acct.id, &row) == GW_OK && row.result)
        printf("已重新评分：%s 在检查批次 #%lld 中为 %s（%s）\n", acct.name, (long long)in.id,
               gw_score_result_label((enum gw_score_result)row.result), row.reason ? row.reason : "");
      gw_err_clear();
    }
    gw_inspection_account_clear(&row);
    goto done;
  }
  if ((rc = gw_inspect_add_manual(st, rules, &in, &s, &m, gw_now(), fp)))
    goto done;
  struct gw_avail_thresholds t;
  gw_avail_thresholds_default(&t);
  if ((rc = gw_inspect_rescore(st, rules, &in, &s, &t, gw_now())))
    goto done;
  if (cli->json) {
    rc = gw_cli_json_print(json_pack("{sssIss}", "fingerprint", fp, "inspection", (json_int_t)in.id, "site", s.name));
  } else {
    struct gw_inspection_site row = {0};
    printf("已添加人工问题 %s：%s（%s）\n", fp, m.title, s.name);
    if (gw_store_inspection_site_get(st, in.id, s.id, &row) == GW_OK && row.state == GW_INSP_SCORED)
      printf("已重新评分：%s 在检查批次 #%lld 中为 %s（%s）\n", s.name, (long long)in.id,
             gw_score_result_label((enum gw_score_result)row.result), row.reason ? row.reason : "");
    gw_inspection_site_clear(&row);
  }
done:
  gw_rules_free(&rules);
  gw_site_clear(&s);
  gw_account_clear(&acct);
  gw_inspection_clear(&in);
  return rc;
}

int gw_cmd_finding(struct gw_cli *cli, int argc, char **argv)
{
  static const struct gw_verb verbs[] = {
    {"add", "add a manual finding for what a machine cannot judge", verb_add},
    {"confirm", "confirm a finding (needed before a needs-review finding counts)", verb_confirm},
    {"dismiss", "dismiss a finding with a reason (remembered across inspections)", verb_dismiss},
    {"list", "list an inspection's findings with their review state", verb_list},
    {"show", "one finding with its evidence and review history", verb_show},
    {NULL, NULL, NULL},
  };
  return gw_cli_dispatch(cli, CMD, "review the findings of an inspection (复核)", verbs, argc, argv);
}
