/* govwatch check: run the checks on the latest finished crawl of a site
 * (or of every site) and store the findings as one check run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "cli/common.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "register/register.h"

#define OPT_END {NULL, NULL, NULL, false, NULL, false}

int gw_cli_pick_sites(struct gw_cli *cli, const char *cmd, const char *ref, bool all, struct gw_site_list *out)
{
  struct gw_store *st;
  int rc = gw_cli_store(cli, &st);
  if (rc)
    return rc;
  if (all && ref)
    return gw_cli_usage(cmd, "give either SITE or --all, not both");
  if (!all && !ref)
    return gw_cli_usage(cmd, "missing argument SITE (or --all)");
  if (all) {
    struct gw_site_list l = {0};
    if ((rc = gw_store_site_list(st, 0, &l)))
      return rc;
    if (l.n == 0) {
      gw_site_list_free(&l);
      return gw_err_set(GW_ENOTFOUND, "%s --all: no site is registered (govwatch site add / site import)", cmd);
    }
    *out = l;
    return GW_OK;
  }
  struct gw_site s;
  memset(&s, 0, sizeof s);
  if ((rc = gw_reg_site_resolve(st, ref, &s)))
    return gw_err_prefix(rc, "%s: '%s'", cmd, ref);
  out->v = gw_calloc(1, sizeof *out->v);
  out->v[0] = s;
  out->n = 1;
  return GW_OK;
}

/* Findings of the run per rule, for the summary. */
struct rule_count {
  struct gw_strv rules;
  size_t *n;
};

static int count_rule(void *ctx, const struct gw_finding_row *r)
{
  struct rule_count *c = ctx;
  for (size_t i = 0; i < c->rules.n; i++) {
    if (strcmp(c->rules.v[i], r->f.rule) == 0) {
      c->n[i]++;
      return 0;
    }
  }
  gw_strv_push(&c->rules, r->f.rule);
  c->n = gw_reallocarray(c->n, c->rules.n, sizeof *c->n);
  c->n[c->rules.n - 1] = 1;
  return 0;
}

static void rule_count_free(struct rule_count *c)
{
  gw_strv_free(&c->rules);
  free(c->n);
  memset(c, 0, sizeof *c);
}

static int summarise(struct gw_cli *cli, struct gw_store *st, const struct gw_site *site,
                     const struct gw_check_run_report *rep, json_t *runs)
{
  char when[32], done[32];
  json_t *jrun = NULL;
  if (cli->json) {
    jrun = json_object();
    json_t *js = json_object();
    json_object_set_new(js, "id", json_integer((json_int_t)site->id));
    json_object_set_new(js, "name", gw_cli_jstr(site->name));
    json_object_set_new(js, "url", gw_cli_jstr(site->url));
    json_object_set_new(js, "code", gw_cli_jstr(site->code));
    json_object_set_new(jrun, "site", js);
    json_object_set_new(jrun, "run_id", json_integer((json_int_t)rep->run_id));
    json_object_set_new(jrun, "crawl_id", gw_cli_jid(rep->crawl_id));
    json_object_set_new(jrun, "as_of", gw_cli_jtime(rep->as_of));
    json_object_set_new(jrun, "started_at", gw_cli_jtime(rep->started_at));
    json_object_set_new(jrun, "finished_at", gw_cli_jtime(rep->finished_at));
    json_object_set_new(jrun, "findings", json_integer((json_int_t)rep->findings));
    json_object_set_new(jrun, "failed", json_integer((json_int_t)rep->failed));
  } else {
    printf("%s  %s\n", site->name, site->url);
    printf("  检查批次 #%lld，抓取 #%lld，监测时间点 %s，完成于 %s\n", (long long)rep->run_id,
           (long long)rep->crawl_id, gw_cli_time(rep->as_of, when, sizeof when),
           gw_cli_time(rep->finished_at, done, sizeof done));
  }
  static const char *const head[] = {"检查项", "名称", "问题数", "按规则", "状态"};
  struct gw_cli_table t;
  gw_cli_table_init(&t, head, 5);
  json_t *jchecks = json_array();
  int rc = GW_OK;
  for (size_t i = 0; i < rep->n && rc == GW_OK; i++) {
    const struct gw_check_outcome *oc = &rep->v[i];
    struct rule_count rcn;
    memset(&rcn, 0, sizeof rcn);
    if (oc->rc == GW_OK)
      rc = gw_store_finding_each(st, rep->run_id, oc->check->id, count_rule, &rcn);
    struct gw_buf rules = GW_BUF_INIT;
    json_t *jr = json_object();
    for (size_t k = 0; k < rcn.rules.n; k++) {
      gw_buf_printf(&rules, "%s%s %zu", k ? "，" : "", rcn.rules.v[k], rcn.n[k]);
      json_object_set_new(jr, rcn.rules.v[k], json_integer((json_int_t)rcn.n[k]));
    }
    char count[24];
    snprintf(count, sizeof count, "%zu", oc->findings);
    const char *cells[] = {oc->check->id, oc->check->title, oc->rc == GW_OK ? count : "-", gw_buf_cstr(&rules),
                           oc->rc == GW_OK ? "完成" : "失败"};
    gw_cli_table_add(&t, cells);
    json_t *jc = json_object();
    json_object_set_new(jc, "id", json_string(oc->check->id));
    json_object_set_new(jc, "title", json_string(oc->check->title));
    json_object_set_new(jc, "status", json_string(oc->rc == GW_OK ? "ok" : "failed"));
    json_object_set_new(jc, "error", gw_cli_jstr(oc->error));
    json_object_set_new(jc, "findings", json_integer((json_int_t)oc->findings));
    json_object_set_new(jc, "by_rule", jr);
    json_t *sev = json_object();
    for (int k = GW_SEV_VETO; k <= GW_SEV_INFO; k++)
      json_object_set_new(sev, gw_severity_key((enum gw_severity)k), json_integer((json_int_t)oc->by_severity[k]));
    json_object_set_new(jc, "by_severity", sev);
    json_array_append_new(jchecks, jc);
    if (oc->rc != GW_OK)
      fprintf(stderr, "govwatch: check %s on %s failed: %s\n", oc->check->id, site->name, oc->error);
    gw_buf_free(&rules);
    rule_count_free(&rcn);
  }
  if (cli->json) {
    json_object_set_new(jrun, "checks", jchecks);
    json_array_append_new(runs, jrun);
  } else {
    json_decref(jchecks);
    gw_cli_table_print(stdout, &t);
    printf("  发现问题 %zu 条\n", rep->findings);
  }
  gw_cli_table_free(&t);
  return rc;
}

static int list_checks(struct gw_cli *cli)
{
  json_t *arr = json_array();
  static const char *const head[] = {"检查项", "名称", "规则", "需要", "说明"};
  struct gw_cli_table t;
  gw_cli_table_init(&t, head, 5);
  for (size_t i = 0; i < gw_check_count(); i++) {
    const struct gw_check *c = gw_check_at(i);
    struct gw_buf rules = GW_BUF_INIT;
    json_t *jr = json_array();
    for (const char *const *r = c->rules; *r; r++) {
      gw_buf_printf(&rules, "%s%s", r == c->rules ? "" : ", ", *r);
      json_array_append_new(jr, json_string(*r));
    }
    const char *cells[] = {c->id, c->title, gw_buf_cstr(&rules), gw_check_needs_text(c->needs), c->summary};
    gw_cli_table_add(&t, cells);
    json_t *jc = json_object();
    json_object_set_new(jc, "id", json_string(c->id));
    json_object_set_new(jc, "title", json_string(c->title));
    json_object_set_new(jc, "rules", jr);
    json_object_set_new(jc, "needs", json_string(gw_check_needs_text(c->needs)));
    json_object_set_new(jc, "summary", json_string(c->summary));
    json_array_append_new(arr, jc);
    gw_buf_free(&rules);
  }
  int rc = GW_OK;
  if (cli->json)
    rc = gw_cli_json_print(arr);
  else {
    json_decref(arr);
    gw_cli_table_print(stdout, &t);
  }
  gw_cli_table_free(&t);
  return rc;
}

int gw_cmd_check(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "check";
  struct gw_opt opts[] = {
    {"all", NULL, "every registered site (sites without a finished crawl are skipped)", false, NULL, false},
    {"as-of", "DATE", "the as-of time 监测时间点 (YYYY-MM-DD [HH:MM[:SS]], Shanghai); default: the crawl's",
     false, NULL, false},
    {"only", "CHECK,...", "run only these checks (see --list)", false, NULL, false},
    {"no-probe", NULL, "make no request at all (soft 404s then only from tiny error pages)", false, NULL, false},
    {"list", NULL, "list the checks and exit", false, NULL, false},
    OPT_END,
  };
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE", 0, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch check SITE|--all [--as-of DATE] [--only CHECK,...] [--no-probe]",
                "Run the checks on the latest finished crawl of a site and store their findings\n"
                "as one check run, then print how many each check found, per rule. Running the\n"
                "checks again on the same crawl for the same as-of time replaces that run's\n"
                "findings (no duplicates). SITE is an id, a 网站标识码 or a URL. The soft-404\n"
                "test asks each internal host for one made-up URL (network settings from the\n"
                "configuration: network.connect_to, mapped_only, timeouts). 'govwatch findings'\n"
                "lists what was found; 'govwatch check --list' the checks.",
                opts);
    return GW_OK;
  }
  if (gw_cli_opt(opts, "list")) {
    if (npos || gw_cli_opt(opts, "all"))
      return gw_cli_usage(cmd, "--list takes no SITE and no --all");
    return list_checks(cli);
  }
  struct gw_check_run_opts o;
  memset(&o, 0, sizeof o);
  struct gw_strv only = {0};
  struct gw_site_list sites = {0};
  struct gw_probe_opts po;
  gw_probe_opts_from_config(&po, &cli->cfg);
  o.cfg = &cli->cfg;
  const char *v;
  if ((v = gw_cli_opt(opts, "as-of")) && (rc = gw_time_parse(v, &o.as_of)))
    return gw_cli_opt_err(GW_EUSAGE, cmd, "as-of", v);
  if ((v = gw_cli_opt(opts, "only"))) {
    if ((rc = gw_check_parse_ids(v, &only))) {
      gw_strv_free(&only);
      return gw_cli_opt_err(GW_EUSAGE, cmd, "only", v);
    }
    o.only = (const char *const *)only.v;
    o.n_only = only.n;
  }
  if (!gw_cli_opt(opts, "no-probe")) {
    o.probe = gw_check_probe_network;
    o.probe_ctx = &po;
  }
  bool all = gw_cli_opt(opts, "all") != NULL;
  struct gw_store *st;
  if ((rc = gw_cli_pick_sites(cli, cmd, npos ? pos[0] : NULL, all, &sites)) || (rc = gw_cli_store(cli, &st)))
    goto done;
  json_t *runs = json_array(), *skipped = json_array();
  size_t ran = 0, total = 0, failed = 0;
  for (size_t i = 0; i < sites.n && rc == GW_OK; i++) {
    const struct gw_site *s = &sites.v[i];
    struct gw_check_run_report rep;
    int crc = gw_check_run_site(st, s, &o, &rep);
    if (crc == GW_ENOTFOUND && all) {
      /* --all: a site not crawled yet is reported and skipped */
      if (cli->json) {
        json_t *j = json_object();
        json_object_set_new(j, "site", gw_cli_jstr(s->name));
        json_object_set_new(j, "url", gw_cli_jstr(s->url));
        json_object_set_new(j, "reason", gw_cli_jstr(gw_err_msg()));
        json_array_append_new(skipped, j);
      } else {
        fprintf(stderr, "跳过 %s：%s\n", s->name, gw_err_msg());
      }
      gw_err_clear();
      continue;
    }
    if (crc) {
      rc = gw_err_prefix(crc, "%s", cmd);
      break;
    }
    ran++;
    total += rep.findings;
    failed += rep.failed;
    rc = summarise(cli, st, s, &rep, runs);
    gw_check_run_report_clear(&rep);
  }
  if (rc == GW_OK && ran == 0)
    rc = gw_err_set(GW_ENOTFOUND, "%s --all: no site has a finished crawl (govwatch crawl --all)", cmd);
  if (rc == GW_OK && failed)
    rc = gw_err_set(GW_EDB, "%s: %zu check%s failed (see above); their previous findings were kept", cmd, failed,
                    failed == 1 ? "" : "s");
  if (cli->json && (rc == GW_OK || ran)) {
    json_t *j = json_object();
    json_object_set_new(j, "runs", runs);
    json_object_set_new(j, "skipped", skipped);
    json_object_set_new(j, "findings", json_integer((json_int_t)total));
    int prc = gw_cli_json_print(j);
    if (rc == GW_OK)
      rc = prc;
  } else {
    json_decref(runs);
    json_decref(skipped);
    if (rc == GW_OK && sites.n > 1)
      printf("共检查 %zu 个网站，发现问题 %zu 条\n", ran, total);
  }
done:
  gw_site_list_free(&sites);
  gw_strv_free(&only);
  return rc;
}
