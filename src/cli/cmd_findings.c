/* govwatch findings: the stored findings of a site's latest check run,
 * with their evidence and fingerprints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "cli/common.h"
#include "core/alloc.h"
#include "core/error.h"

#define OPT_END {NULL, NULL, NULL, false, NULL, false}

struct listing {
  struct gw_cli *cli;
  json_t *arr;
  size_t n;
};

static json_t *finding_json(const struct gw_finding_row *r)
{
  const struct gw_finding *f = &r->f;
  json_t *j = json_object();
  json_object_set_new(j, "id", json_integer((json_int_t)r->id));
  json_object_set_new(j, "check", gw_cli_jstr(r->check));
  json_object_set_new(j, "rule", gw_cli_jstr(f->rule));
  json_object_set_new(j, "severity", json_string(gw_severity_key(f->severity)));
  json_object_set_new(j, "severity_label", json_string(gw_severity_label(f->severity)));
  json_object_set_new(j, "needs_review", json_boolean(f->needs_review));
  json_object_set_new(j, "site_id", gw_cli_jid(f->site_id));
  json_object_set_new(j, "account_id", gw_cli_jid(f->account_id));
  json_object_set_new(j, "crawl_id", gw_cli_jid(f->crawl_id));
  json_object_set_new(j, "key", gw_cli_jstr(f->key));
  json_object_set_new(j, "fingerprint", json_string(r->fingerprint));
  json_object_set_new(j, "title", gw_cli_jstr(f->title));
  json_object_set_new(j, "url", gw_cli_jstr(f->url));
  json_object_set_new(j, "target", gw_cli_jstr(f->target));
  json_object_set_new(j, "locator", gw_cli_jstr(f->locator));
  json_object_set_new(j, "snippet", gw_cli_jstr(f->snippet));
  json_object_set_new(j, "detail", gw_cli_jstr(f->detail));
  json_error_t je;
  json_t *obs = f->observed_json ? json_loads(f->observed_json, 0, &je) : NULL;
  json_object_set_new(j, "observed", obs ? obs : json_null());
  json_object_set_new(j, "observed_at", gw_cli_jtime(f->observed_at));
  return j;
}

static int on_finding(void *ctx, const struct gw_finding_row *r)
{
  struct listing *l = ctx;
  l->n++;
  if (l->cli->json) {
    json_array_append_new(l->arr, finding_json(r));
    return 0;
  }
  const struct gw_finding *f = &r->f;
  char when[32];
  printf("[%zu] %s（%s · %s · %s%s）\n", l->n, f->title, r->check, f->rule, gw_severity_label(f->severity),
         f->needs_review ? " · 待人工确认" : "");
  const char *fields[] = {"页面", "对象", "位置", "摘录", "说明", "发现时间", "指纹"};
  const char *values[] = {f->url, f->target, f->locator, f->snippet, f->detail,
                          gw_cli_time(f->observed_at, when, sizeof when), r->fingerprint};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (values[i] && *values[i])
      printf("    %s：%s\n", fields[i], values[i]);
  return 0;
}

int gw_cmd_findings(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "findings";
  struct gw_opt opts[] = {
    {"all", NULL, "every registered site (sites without a check run are skipped)", false, NULL, false},
    {"check", "ID", "only the findings of this check (see 'govwatch check --list')", false, NULL, false},
    OPT_END,
  };
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE", 0, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch findings SITE|--all [--check ID] [--json]",
                "List the findings of the latest check run of a site (see 'govwatch check'):\n"
                "title, check, rule, severity, the page, the object, where on the page, a\n"
                "snippet, what was observed, when, and the fingerprint that identifies the\n"
                "finding across inspections. --json adds the structured evidence (observed).",
                opts);
    return GW_OK;
  }
  const char *check = gw_cli_opt(opts, "check");
  if (check && !gw_check_find(check)) {
    struct gw_strv ids = {0};
    gw_check_parse_ids(check, &ids); /* sets the message listing the known checks */
    gw_strv_free(&ids);
    return gw_cli_opt_err(GW_EUSAGE, cmd, "check", check);
  }
  bool all = gw_cli_opt(opts, "all") != NULL;
  struct gw_site_list sites = {0};
  struct gw_store *st;
  if ((rc = gw_cli_pick_sites(cli, cmd, npos ? pos[0] : NULL, all, &sites)) || (rc = gw_cli_store(cli, &st)))
    goto done;
  json_t *out = json_array();
  size_t shown = 0;
  for (size_t i = 0; i < sites.n && rc == GW_OK; i++) {
    const struct gw_site *s = &sites.v[i];
    struct gw_check_run run;
    memset(&run, 0, sizeof run);
    int crc = gw_store_check_run_last(st, s->id, &run);
    if (crc == GW_ENOTFOUND) {
      gw_err_set(GW_ENOTFOUND, "%s (%s) has no check run yet (govwatch check %s)", s->name, s->url, s->code);
      if (all) {
        fprintf(stderr, "跳过 %s：%s\n", s->name, gw_err_msg());
        gw_err_clear();
        continue;
      }
      rc = gw_err_prefix(crc, "%s", cmd);
      break;
    }
    if (crc) {
      rc = crc;
      break;
    }
    struct listing l = {cli, json_array(), 0};
    char t1[32], t2[32];
    if (!cli->json) {
      printf("%s  %s\n", s->name, s->url);
      printf("  检查批次 #%lld（抓取 #%lld，监测时间点 %s，完成于 %s，检查项 %s）\n", (long long)run.id,
             (long long)run.crawl_id, gw_cli_time(run.as_of, t1, sizeof t1),
             gw_cli_time(run.finished_at, t2, sizeof t2), run.checks);
    }
    rc = gw_store_finding_each(st, run.id, check, on_finding, &l);
    if (rc == GW_OK && cli->json) {
      json_t *j = json_object();
      json_t *js = json_object();
      json_object_set_new(js, "id", json_integer((json_int_t)s->id));
      json_object_set_new(js, "name", gw_cli_jstr(s->name));
      json_object_set_new(js, "url", gw_cli_jstr(s->url));
      json_object_set_new(js, "code", gw_cli_jstr(s->code));
      json_object_set_new(j, "site", js);
      json_t *jr = json_object();
      json_object_set_new(jr, "id", json_integer((json_int_t)run.id));
      json_object_set_new(jr, "crawl_id", gw_cli_jid(run.crawl_id));
      json_object_set_new(jr, "as_of", gw_cli_jtime(run.as_of));
      json_object_set_new(jr, "started_at", gw_cli_jtime(run.started_at));
      json_object_set_new(jr, "finished_at", gw_cli_jtime(run.finished_at));
      json_object_set_new(jr, "checks", gw_cli_jstr(run.checks));
      json_object_set_new(j, "run", jr);
      json_object_set_new(j, "findings", l.arr);
      l.arr = NULL;
      json_array_append_new(out, j);
    } else if (rc == GW_OK) {
      printf("  共 %zu 条\n", l.n);
    }
    json_decref(l.arr);
    gw_check_run_clear(&run);
    shown++;
  }
  if (rc == GW_OK && shown == 0)
    rc = gw_err_set(GW_ENOTFOUND, "%s --all: no site has a check run (govwatch check --all)", cmd);
  if (rc == GW_OK && cli->json) {
    if (all) {
      rc = gw_cli_json_print(out);
    } else {
      json_t *one = json_incref(json_array_get(out, 0));
      json_decref(out);
      rc = gw_cli_json_print(one);
    }
  } else {
    json_decref(out);
  }
done:
  gw_site_list_free(&sites);
  return rc;
}
