/* govwatch inspect: one recorded, resumable inspection (crawl -> checks ->
 * scoring per site), and the helpers the other inspection commands share. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "cli/inspect_cli.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/dict.h"
#include "core/error.h"
#include "inspect/accounts.h"
#include "inspect/inspect.h"
#include "register/register.h"

#define CMD "inspect"
#define OPT_END {NULL, NULL, NULL, false, NULL, false}

int gw_cli_inspection(struct gw_cli *cli, const char *cmd, const char *id_opt, const char *quarter_opt,
                      struct gw_inspection *out)
{
  struct gw_store *st;
  int rc = gw_cli_store(cli, &st);
  if (rc)
    return rc;
  if (id_opt) {
    int64_t id;
    if (gw_parse_i64(id_opt, &id) || id <= 0)
      return gw_cli_usage(cmd, "--inspection '%s' is not an inspection id", id_opt);
    if ((rc = gw_store_inspection_get(st, id, out)))
      return gw_err_prefix(rc, "%s", cmd);
    return GW_OK;
  }
  char q[16];
  if (quarter_opt) {
    int y, n;
    if (gw_quarter_parse(quarter_opt, &y, &n))
      return gw_cli_opt_err(GW_EUSAGE, cmd, "quarter", quarter_opt);
    snprintf(q, sizeof q, "%dQ%d", y, n);
  }
  if ((rc = gw_store_inspection_last(st, quarter_opt ? q : NULL, out)))
    return gw_err_prefix(rc, "%s", cmd);
  return GW_OK;
}

char *gw_cli_rules_path(const char *rules_opt, const char *profile_opt)
{
  if (rules_opt)
    return gw_strdup(rules_opt);
  const char *dir = gw_rules_dir();
  struct gw_buf b = GW_BUF_INIT;
  if (profile_opt)
    gw_buf_printf(&b, "%s/profiles/%s.yaml", dir, profile_opt);
  else
    gw_buf_printf(&b, "%s/national-2019.yaml", dir);
  return gw_buf_steal(&b);
}

const char *gw_cli_reviewer(const char *by_opt)
{
  if (by_opt && *by_opt)
    return by_opt;
  const char *u = getenv("USER");
  if (!u || !*u)
    u = getenv("LOGNAME");
  return u && *u ? u : "unknown";
}

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
  (void)sig;
  g_stop = 1;
}

static const char *step_label(enum gw_inspect_step s)
{
  switch (s) {
  case GW_STEP_CRAWL: return "抓取";
  case GW_STEP_CHECK: return "检查";
  case GW_STEP_SCORE: return "评分";
  case GW_STEP_SKIP: return "沿用";
  case GW_STEP_ERROR: return "失败";
  }
  return "?";
}

static void on_progress(void *ctx, const struct gw_site *site, enum gw_inspect_step step,
                        const struct gw_inspection_site *row, const char *text)
{
  struct gw_cli *cli = ctx;
  if (cli->json)
    return;
  if (step == GW_STEP_SCORE) {
    char sc[32] = "—";
    if (row->has_score) {
      /* hundredths without trailing zeros: 100, 98.6, 99.87 */
      long long v = row->score, a = v < 0 ? -v : v;
      if (a % 100 == 0)
        snprintf(sc, sizeof sc, "%lld", v / 100);
      else if (a % 10 == 0)
        snprintf(sc, sizeof sc, "%s%lld.%lld", v < 0 ? "-" : "", a / 100, a % 100 / 10);
      else
        snprintf(sc, sizeof sc, "%s%lld.%02lld", v < 0 ? "-" : "", a / 100, a % 100);
    }
    printf("  %-4s %s  %s  得分 %s  %s\n", gw_score_result_label((enum gw_score_result)row->result), site->name,
           site->code ? site->code : "", sc, text ? text : "");
  } else if (step == GW_STEP_ERROR) {
    fprintf(stderr, "  %s %s：%s\n", step_label(step), site->name, text ? text : "");
  } else if (step == GW_STEP_SKIP) {
    printf("  沿用 %s：抓取 #%lld，检查批次 #%lld（已完成，不重复）\n", site->name, (long long)row->crawl_id,
           (long long)row->run_id);
  }
}

static int list_inspections(struct gw_cli *cli)
{
  struct gw_store *st;
  struct gw_inspection_list l = {0};
  int rc = gw_cli_store(cli, &st);
  if (rc || (rc = gw_store_inspection_list(st, &l)))
    return rc;
  json_t *arr = json_array();
  static const char *const head[] = {"批次", "季度", "监测时间点", "规则", "网站", "合格", "不合格", "待定",
                                     "新媒体（合格/不合格/待定）", "状态"};
  struct gw_cli_table t;
  gw_cli_table_init(&t, head, 10);
  for (size_t i = 0; i < l.n && rc == GW_OK; i++) {
    struct gw_inspection_site_list rows = {0};
    if ((rc = gw_store_inspection_site_list(st, l.v[i].id, &rows)))
      break;
    size_t n[4] = {0};
    for (size_t k = 0; k < rows.n; k++)
      if (rows.v[k].state == GW_INSP_SCORED && rows.v[k].result >= 1 && rows.v[k].result <= 3)
        n[rows.v[k].result]++;
    struct gw_inspection_account_list al = {0};
    if ((rc = gw_store_inspection_account_list(st, l.v[i].id, &al))) {
      gw_inspection_site_list_free(&rows);
      break;
    }
    size_t na[4] = {0};
    for (size_t k = 0; k < al.n; k++)
      if (al.v[k].result >= 1 && al.v[k].result <= 3)
        na[al.v[k].result]++;
    char accts[64];
    snprintf(accts, sizeof accts, "%zu（%zu/%zu/%zu）", al.n, na[1], na[2], na[3]);
    char id[24], sites[24], p[24], f[24], u[24], when[32];
    snprintf(id, sizeof id, "%lld", (long long)l.v[i].id);
    snprintf(sites, sizeof sites, "%zu", rows.n);
    snprintf(p, sizeof p, "%zu", n[1]);
    snprintf(f, sizeof f, "%zu", n[2]);
    snprintf(u, sizeof u, "%zu", n[3]);
    const char *cells[] = {id, l.v[i].quarter ? l.v[i].quarter : "—", gw_time_format(l.v[i].as_of, when, sizeof when),
                           l.v[i].rules_id, sites, p, f, u, accts, l.v[i].finished_at ? "完成" : "未完成"};
    gw_cli_table_add(&t, cells);
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer((json_int_t)l.v[i].id));
    json_object_set_new(j, "quarter", gw_cli_jstr(l.v[i].quarter));
    json_object_set_new(j, "as_of", gw_cli_jtime(l.v[i].as_of));
    json_object_set_new(j, "rules", gw_cli_jstr(l.v[i].rules_path));
    json_object_set_new(j, "rules_id", gw_cli_jstr(l.v[i].rules_id));
    json_object_set_new(j, "sites", json_integer((json_int_t)rows.n));
    json_object_set_new(j, "pass", json_integer((json_int_t)n[1]));
    json_object_set_new(j, "fail", json_integer((json_int_t)n[2]));
    json_object_set_new(j, "undetermined", json_integer((json_int_t)n[3]));
    json_object_set_new(j, "accounts", json_integer((json_int_t)al.n));
    json_object_set_new(j, "account_pass", json_integer((json_int_t)na[1]));
    json_object_set_new(j, "account_fail", json_integer((json_int_t)na[2]));
    json_object_set_new(j, "account_undetermined", json_integer((json_int_t)na[3]));
    json_object_set_new(j, "finished_at", gw_cli_jtime(l.v[i].finished_at));
    gw_inspection_account_list_free(&al);
    json_array_append_new(arr, j);
    gw_inspection_site_list_free(&rows);
  }
  if (rc == GW_OK && cli->json)
    rc = gw_cli_json_print(arr);
  else {
    json_decref(arr);
    if (rc == GW_OK)
      gw_cli_table_print(stdout, &t);
  }
  gw_cli_table_free(&t);
  gw_inspection_list_free(&l);
  return rc;
}

/* The accounts of the inspection with their verdicts. */
static int print_accounts(struct gw_store *st, const struct gw_inspect_report *rep)
{
  struct gw_inspection_account_list l = {0};
  int rc = gw_store_inspection_account_list(st, rep->insp.id, &l);
  if (rc)
    return rc;
  printf("新媒体账号 %zu 个：合格 %zu，不合格 %zu，待定 %zu\n", rep->accounts, rep->account_pass, rep->account_fail,
         rep->account_undetermined);
  for (size_t i = 0; i < l.n; i++) {
    struct gw_account a;
    memset(&a, 0, sizeof a);
    if (gw_store_account_get(st, l.v[i].account_id, &a)) {
      gw_err_clear();
      continue;
    }
    printf("  %-4s %s（%s）  %s\n", l.v[i].result ? gw_score_result_label((enum gw_score_result)l.v[i].result) : "未评分",
           a.name, gw_platform_label(a.platform), l.v[i].reason ? l.v[i].reason : "");
    gw_account_clear(&a);
  }
  if (rep->account_undetermined)
    printf("新媒体待定：本版本尚无检查项能判定内容更新、互动回应等否决项，需人工检查后以 "
           "govwatch finding add --account ACCOUNT 记录；逐项说明：govwatch score ACCOUNT --account\n");
  gw_inspection_account_list_free(&l);
  return GW_OK;
}

/* --sites A,B,...: each resolved like SITE elsewhere. */
static int pick_named(struct gw_cli *cli, const char *list, struct gw_site_list *out)
{
  struct gw_store *st;
  int rc = gw_cli_store(cli, &st);
  if (rc)
    return rc;
  struct gw_site_list l = {0};
  char *copy = gw_strdup(list);
  size_t cap = 0;
  for (char *p = copy, *next; p && rc == GW_OK; p = next) {
    next = strchr(p, ',');
    if (next)
      *next++ = '\0';
    gw_str_trim(p);
    if (!*p)
      continue;
    struct gw_site s;
    memset(&s, 0, sizeof s);
    if ((rc = gw_reg_site_resolve(st, p, &s))) {
      rc = gw_err_prefix(rc, CMD ": --sites '%s'", p);
      break;
    }
    bool dup = false;
    for (size_t i = 0; i < l.n; i++)
      dup = dup || l.v[i].id == s.id;
    if (dup) {
      gw_site_clear(&s);
      continue;
    }
    if (l.n == cap) {
      cap = cap ? cap * 2 : 8;
      l.v = gw_reallocarray(l.v, cap, sizeof *l.v);
    }
    l.v[l.n++] = s;
  }
  free(copy);
  if (rc == GW_OK && l.n == 0)
    rc = gw_cli_usage(CMD, "--sites names no site");
  if (rc) {
    gw_site_list_free(&l);
    return rc;
  }
  *out = l;
  return GW_OK;
}

int gw_cmd_inspect(struct gw_cli *cli, int argc, char **argv)
{
  struct gw_opt opts[] = {
    {"sites", "SITE,...", "the sites to inspect (id, 网站标识码 or URL, comma-separated)", false, NULL, false},
    {"all", NULL, "every running registered site", false, NULL, false},
    {"quarter", "QUARTER", "the quarter inspected, e.g. 2025Q1 (continues that quarter's inspection)", false, NULL,
     false},
    {"as-of", "DATE", "the as-of time 监测时间点 (default with --quarter: the quarter's last second)", false, NULL,
     false},
    {"rules", "FILE", "rule file of a new inspection (default rules/national-2019.yaml, or $GW_RULES_DIR)", false,
     NULL, false},
    {"profile", "NAME", "use the rule profile rules/profiles/NAME.yaml", false, NULL, false},
    {"inspection", "ID", "continue this inspection", false, NULL, false},
    {"new", NULL, "start a new inspection even if the quarter has one", false, NULL, false},
    {"no-probe", NULL, "the checks make no request of their own", false, NULL, false},
    {"list", NULL, "list the inspections and exit", false, NULL, false},
    OPT_END,
  };
  const char *pos[1];
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(CMD, opts, argc, argv, NULL, 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout,
                "govwatch inspect [--sites SITE,...|--all] [--quarter 2025Q1] [--as-of DATE] [--rules FILE|"
                "--profile NAME] [--inspection ID] [--new]",
                "Run one recorded inspection: for each site crawl, run every check of the registry\n"
                "and score against the rule set, storing the crawl, the check run, the score and\n"
                "the verdict (合格/不合格/待定) per site. Running it again for the same quarter (or\n"
                "--inspection ID) continues where it stopped: finished crawls and check runs are\n"
                "reused, an interrupted crawl resumes, nothing is duplicated, and every site is\n"
                "scored again so reviews made since count. The availability veto (站点无法访问)\n"
                "uses the monitor's probes of the week before the as-of time; without enough\n"
                "probes the verdict of an otherwise passing site is 待定.",
                opts);
    return GW_OK;
  }
  if (gw_cli_opt(opts, "list"))
    return list_inspections(cli);
  if (gw_cli_opt(opts, "rules") && gw_cli_opt(opts, "profile"))
    return gw_cli_usage(CMD, "give --rules or --profile, not both");
  bool all = gw_cli_opt(opts, "all") != NULL;
  const char *named = gw_cli_opt(opts, "sites");
  if (all == (named != NULL))
    return gw_cli_usage(CMD, "give --sites SITE,... or --all");
  struct gw_inspect_opts o;
  memset(&o, 0, sizeof o);
  const char *v;
  if ((v = gw_cli_opt(opts, "as-of")) && gw_time_parse(v, &o.as_of))
    return gw_cli_opt_err(GW_EUSAGE, CMD, "as-of", v);
  if ((v = gw_cli_opt(opts, "quarter"))) {
    int y, q;
    if (gw_quarter_parse(v, &y, &q))
      return gw_cli_opt_err(GW_EUSAGE, CMD, "quarter", v);
    o.quarter = v;
  }
  if ((v = gw_cli_opt(opts, "inspection")) && (gw_parse_i64(v, &o.inspection_id) || o.inspection_id <= 0))
    return gw_cli_usage(CMD, "--inspection '%s' is not an inspection id", v);
  if (!o.quarter && !o.as_of && !o.inspection_id)
    return gw_cli_usage(CMD, "give --quarter, --as-of or --inspection");
  o.fresh = gw_cli_opt(opts, "new") != NULL;
  char *rules = gw_cli_rules_path(gw_cli_opt(opts, "rules"), gw_cli_opt(opts, "profile"));
  o.rules_path = rules;
  struct gw_crawl_opts co;
  gw_crawl_opts_from_config(&co, &cli->cfg);
  co.stop = &g_stop;
  o.crawl = &co;
  o.config = &cli->cfg;
  struct gw_probe_opts po;
  gw_probe_opts_from_config(&po, &cli->cfg);
  if (!gw_cli_opt(opts, "no-probe")) {
    o.probe = gw_check_probe_network;
    o.probe_ctx = &po;
  }
  gw_avail_thresholds_default(&o.avail);
  o.progress = on_progress;
  o.progress_ctx = cli;

  struct gw_site_list sites = {0}, run = {0};
  struct gw_account_list accts = {0}, acc_run = {0};
  struct gw_inspect_report rep;
  memset(&rep, 0, sizeof rep);
  struct gw_store *st;
  if ((rc = gw_cli_store(cli, &st)))
    goto done;
  if (all) {
    if ((rc = gw_cli_pick_sites(cli, CMD, NULL, true, &sites)))
      goto done;
    run.v = gw_calloc(sites.n, sizeof *run.v);
    for (size_t i = 0; i < sites.n; i++)
      if (sites.v[i].status == GW_SITE_RUNNING)
        gw_reg_site_copy(&run.v[run.n++], &sites.v[i]);
    if (run.n == 0) {
      rc = gw_err_set(GW_ENOTFOUND, CMD " --all: no registered site is running");
      goto done;
    }
  } else if ((rc = pick_named(cli, named, &run))) {
    goto done;
  }
  /* Accounts: every running one with --all; with --sites those of the
   * chosen sites' units. */
  if ((rc = gw_store_account_list(st, 0, &accts)))
    goto done;
  acc_run.v = gw_calloc(accts.n + 1, sizeof *acc_run.v);
  for (size_t i = 0; i < accts.n; i++) {
    bool take = accts.v[i].status == GW_ACCOUNT_RUNNING;
    if (take && !all) {
      take = false;
      for (size_t k = 0; k < run.n && !take; k++)
        take = run.v[k].unit_id == accts.v[i].unit_id;
    }
    if (take) {
      acc_run.v[acc_run.n++] = accts.v[i];
      memset(&accts.v[i], 0, sizeof accts.v[i]); /* moved */
    }
  }
  o.accounts = &acc_run;
  struct sigaction sa, old_int, old_term;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  if (!cli->json)
    printf("检查 %zu 个网站、%zu 个新媒体账号……\n", run.n, acc_run.n);
  rc = gw_inspect_run(st, &run, &o, &rep);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  if (rc)
    goto done;
  char when[32];
  if (cli->json) {
    json_t *j = json_object();
    json_object_set_new(j, "inspection", json_integer((json_int_t)rep.insp.id));
    json_object_set_new(j, "quarter", gw_cli_jstr(rep.insp.quarter));
    json_object_set_new(j, "as_of", gw_cli_jtime(rep.insp.as_of));
    json_object_set_new(j, "rules", gw_cli_jstr(rep.insp.rules_path));
    json_object_set_new(j, "resumed", json_boolean(rep.resumed));
    json_object_set_new(j, "finished", json_boolean(rep.insp.finished_at != 0));
    json_object_set_new(j, "sites", json_integer((json_int_t)rep.sites));
    json_object_set_new(j, "crawled", json_integer((json_int_t)rep.crawled));
    json_object_set_new(j, "checked", json_integer((json_int_t)rep.checked));
    json_object_set_new(j, "reused", json_integer((json_int_t)rep.reused));
    json_object_set_new(j, "scored", json_integer((json_int_t)rep.scored));
    json_object_set_new(j, "failed", json_integer((json_int_t)rep.failed));
    json_object_set_new(j, "pass", json_integer((json_int_t)rep.pass));
    json_object_set_new(j, "fail", json_integer((json_int_t)rep.fail));
    json_object_set_new(j, "undetermined", json_integer((json_int_t)rep.undetermined));
    json_object_set_new(j, "accounts", json_integer((json_int_t)rep.accounts));
    json_object_set_new(j, "account_pass", json_integer((json_int_t)rep.account_pass));
    json_object_set_new(j, "account_fail", json_integer((json_int_t)rep.account_fail));
    json_object_set_new(j, "account_undetermined", json_integer((json_int_t)rep.account_undetermined));
    json_t *nc = json_array();
    for (size_t i = 0; i < rep.not_checked.n; i++)
      json_array_append_new(nc, json_string(rep.not_checked.v[i]));
    json_object_set_new(j, "not_checked", nc);
    rc = gw_cli_json_print(j);
  } else {
    printf("检查批次 #%lld%s%s，监测时间点 %s，规则 %s\n", (long long)rep.insp.id, rep.insp.quarter ? " " : "",
           rep.insp.quarter ? rep.insp.quarter : "", gw_time_format(rep.insp.as_of, when, sizeof when),
           rep.insp.rules_id);
    printf("网站 %zu 个：合格 %zu，不合格 %zu，待定 %zu，未完成 %zu（新抓取 %zu，新检查 %zu，沿用 %zu）\n", rep.sites,
           rep.pass, rep.fail, rep.undetermined, rep.failed, rep.crawled, rep.checked, rep.reused);
    if (rep.accounts)
      rc = print_accounts(st, &rep);
    if (rc)
      goto done;
    if (rep.not_checked.n) {
      printf("本版本尚无以下检查项，相关问题未检查：");
      for (size_t i = 0; i < rep.not_checked.n; i++)
        printf("%s%s", i ? ", " : "", rep.not_checked.v[i]);
      printf("\n");
    }
    if (rep.undetermined)
      printf("待定：可用性监测数据不足（监测时间点前1周每天至少20次访问），“站点无法访问”无法判定。\n");
    printf("逐项说明：govwatch score SITE --inspection %lld\n", (long long)rep.insp.id);
  }
  if (rc == GW_OK && rep.failed)
    rc = gw_err_set(GW_ENET, CMD ": %zu site%s not finished (see above); run the same command again to continue",
                    rep.failed, rep.failed == 1 ? "" : "s");
done:
  gw_inspect_report_clear(&rep);
  gw_site_list_free(&sites);
  gw_account_list_free(&accts);
  gw_account_list_free(&acc_run);
  gw_site_list_free(&run);
  free(rules);
  return rc;
}
