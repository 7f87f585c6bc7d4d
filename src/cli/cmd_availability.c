/* govwatch availability: the availability figures of the monitor's probe
 * slots (monitor/avail.h) for one site or all, per IP family. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "monitor/avail.h"

#define CMD "availability"
#define OPT_END {NULL, NULL, NULL, false, NULL, false}

static const char *level_key(enum gw_avail_level l)
{
  return l == GW_LEVEL_VETO ? "veto" : l == GW_LEVEL_WARN ? "warn" : "none";
}

static const char *level_label(enum gw_avail_level l)
{
  return l == GW_LEVEL_VETO ? "达到否决线" : l == GW_LEVEL_WARN ? "预警" : "正常";
}

static json_t *figures_json(const struct gw_avail_figures *f, const struct gw_avail_thresholds *t)
{
  json_t *j = json_object();
  json_object_set_new(j, "family", json_integer(f->family));
  json_object_set_new(j, "slots", json_integer((json_int_t)f->slots));
  json_object_set_new(j, "probes", json_integer((json_int_t)f->probes));
  json_object_set_new(j, "ok", json_integer((json_int_t)f->ok));
  json_object_set_new(j, "fail", json_integer((json_int_t)f->fail));
  json_object_set_new(j, "unknown", json_integer((json_int_t)f->unknown));
  json_object_set_new(j, "unknown_waf", json_integer((json_int_t)f->waf));
  json_object_set_new(j, "unknown_own_network", json_integer((json_int_t)f->own_net));
  json_object_set_new(j, "running", json_integer((json_int_t)f->running));
  json_object_set_new(j, "fail_bp", json_integer(f->fail_bp));
  json_object_set_new(j, "fail_percent", json_real(f->fail_bp / 100.0));
  json_object_set_new(j, "warn_bp", json_integer(t->warn_bp));
  json_object_set_new(j, "veto_bp", json_integer(t->veto_bp));
  json_object_set_new(j, "min_probes_per_day", json_integer(t->min_per_day));
  json_object_set_new(j, "complete", json_boolean(f->complete));
  json_object_set_new(j, "level", json_string(level_key(f->level)));
  json_object_set_new(j, "veto", json_boolean(f->veto));
  json_t *outs = json_array();
  for (size_t i = 0; i < f->n_outages; i++) {
    const struct gw_outage *o = &f->outages[i];
    json_t *jo = json_object();
    json_object_set_new(jo, "start", gw_cli_jtime(o->start));
    json_object_set_new(jo, "end", gw_cli_jtime(o->end));
    json_object_set_new(jo, "fails", json_integer(o->fails));
    json_object_set_new(jo, "reason", json_string(gw_avail_reason_key(o->reason)));
    json_object_set_new(jo, "reason_label", json_string(gw_avail_reason_label(o->reason)));
    json_array_append_new(outs, jo);
  }
  json_object_set_new(j, "outages", outs);
  return j;
}

static const char g_desc[] =
    "Availability of registered websites from the monitor's homepage probes (govwatch serve):\n"
    "per IP family the probes counted (unknown ones - a WAF answered, our own network was down -\n"
    "are left out), failures, the failure share, whether the sample is complete (at least 20\n"
    "probes for every day of the period), the level against monitor.warn_percent (预警) and\n"
    "monitor.veto_percent, the veto flag of 站点无法访问 (complete and at the veto line; the rule is\n"
    "judged on IPv4), and the outage intervals. The period is the rolling 7 days before now, or\n"
    "[--from, --to) (--to is exclusive: --from 2025-03-01 --to 2025-03-08 is one week).";

int gw_cmd_availability(struct gw_cli *cli, int argc, char **argv)
{
  struct gw_opt opts[] = {
    {"all", NULL, "every registered site", false, NULL, false},
    {"from", "DATE", "start of the period (YYYY-MM-DD [HH:MM[:SS]], Shanghai); needs --to", false, NULL, false},
    {"to", "DATE", "end of the period, exclusive; needs --from", false, NULL, false},
    {"family", "4|6", "one IP family only (default: both, each on its own)", false, NULL, false},
    OPT_END,
  };
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help = false;
  int rc = gw_cli_parse(CMD, opts, argc, argv, "SITE", 0, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch availability SITE|--all [--from DATE --to DATE] [--family 4|6] [--json]", g_desc,
                opts);
    return GW_OK;
  }
  int64_t from = 0, to = 0;
  const char *v;
  if ((v = gw_cli_opt(opts, "from")) && gw_time_parse(v, &from))
    return gw_cli_opt_err(GW_EUSAGE, CMD, "from", v);
  if ((v = gw_cli_opt(opts, "to")) && gw_time_parse(v, &to))
    return gw_cli_opt_err(GW_EUSAGE, CMD, "to", v);
  if ((from != 0) != (to != 0) || (gw_cli_opt(opts, "from") != NULL) != (gw_cli_opt(opts, "to") != NULL))
    return gw_cli_usage(CMD, "--from and --to go together");
  if (gw_cli_opt(opts, "from") && to <= from)
    return gw_cli_usage(CMD, "--to '%s' must be after --from '%s'", gw_cli_opt(opts, "to"), gw_cli_opt(opts, "from"));
  int fam_only = 0;
  if ((v = gw_cli_opt(opts, "family"))) {
    if (strcmp(v, "4") == 0)
      fam_only = 4;
    else if (strcmp(v, "6") == 0)
      fam_only = 6;
    else
      return gw_cli_usage(CMD, "--family '%s' must be 4 or 6", v);
  }
  if (!gw_cli_opt(opts, "from")) {
    to = gw_now();
    from = to - 7 * 86400;
  }
  struct gw_avail_thresholds t;
  gw_avail_thresholds_default(&t);
  t.warn_bp = cli->cfg.monitor.warn_bp;
  t.veto_bp = cli->cfg.monitor.veto_bp;

  struct gw_site_list sites = {0};
  struct gw_store *st;
  if ((rc = gw_cli_pick_sites(cli, CMD, npos ? pos[0] : NULL, gw_cli_opt(opts, "all") != NULL, &sites)) ||
      (rc = gw_cli_store(cli, &st)))
    return rc;
  char a[40], b[40];
  json_t *jsites = json_array();
  static const char *const head[] = {"网站", "协议", "探测次数", "失败", "无法判定", "失败率", "样本", "等级",
                                     "单项否决"};
  struct gw_cli_table tab;
  gw_cli_table_init(&tab, head, 9);
  struct gw_strv outages = {0};
  for (size_t i = 0; i < sites.n && rc == GW_OK; i++) {
    const struct gw_site *s = &sites.v[i];
    json_t *js = json_object(), *jf = json_array();
    json_t *site = json_object();
    json_object_set_new(site, "id", json_integer((json_int_t)s->id));
    json_object_set_new(site, "name", gw_cli_jstr(s->name));
    json_object_set_new(site, "url", gw_cli_jstr(s->url));
    json_object_set_new(site, "code", gw_cli_jstr(s->code));
    json_object_set_new(js, "site", site);
    bool veto4 = false, have4 = false;
    for (int fam = 4; fam <= 6 && rc == GW_OK; fam += 2) {
      if (fam_only && fam != fam_only)
        continue;
      struct gw_avail_figures f;
      if ((rc = gw_avail_period(st, s->id, fam, from, to, &t, &f)) != GW_OK)
        break;
      if (fam == 4) {
        have4 = true;
        veto4 = f.veto;
      }
      json_array_append_new(jf, figures_json(&f, &t));
      char probes[24], fails[24], unk[24], pct[24];
      snprintf(probes, sizeof probes, "%lld", (long long)f.probes);
      snprintf(fails, sizeof fails, "%lld", (long long)f.fail);
      snprintf(unk, sizeof unk, "%lld", (long long)f.unknown);
      gw_avail_pct(f.fail_bp, pct, sizeof pct);
      const char *cells[] = {s->name, fam == 6 ? "IPv6" : "IPv4", probes, fails, unk, pct,
                             f.complete ? "充足" : "不足", level_label(f.level),
                             f.veto ? "是" : f.complete ? "否" : "待定"};
      gw_cli_table_add(&tab, cells);
      for (size_t k = 0; k < f.n_outages; k++) {
        char line[512];
        const struct gw_outage *o = &f.outages[k];
        snprintf(line, sizeof line, "%s IPv%d 中断：%s 至 %s，失败 %d 次，原因：%s", s->name, fam,
                 gw_cli_time(o->start, a, sizeof a), o->end ? gw_cli_time(o->end, b, sizeof b) : "统计期末仍未恢复",
                 o->fails, gw_avail_reason_label(o->reason));
        gw_strv_push(&outages, line);
      }
      gw_avail_figures_clear(&f);
    }
    json_object_set_new(js, "families", jf);
    json_object_set_new(js, "veto", have4 ? json_boolean(veto4) : json_null());
    json_array_append_new(jsites, js);
  }
  if (rc == GW_OK) {
    if (cli->json) {
      json_t *j = json_object();
      json_object_set_new(j, "from", gw_cli_jtime(from));
      json_object_set_new(j, "to", gw_cli_jtime(to));
      json_object_set_new(j, "sites", jsites);
      jsites = NULL;
      rc = gw_cli_json_print(j);
    } else {
      printf("统计期 %s 至 %s（不含）；失败率 ≥ %d.%02d%% 预警，≥ %d.%02d%% 单项否决（站点无法访问，以 IPv4 判定）\n",
             gw_cli_time(from, a, sizeof a), gw_cli_time(to, b, sizeof b), t.warn_bp / 100, t.warn_bp % 100,
             t.veto_bp / 100, t.veto_bp % 100);
      gw_cli_table_print(stdout, &tab);
      for (size_t k = 0; k < outages.n; k++)
        printf("  %s\n", outages.v[k]);
    }
  }
  json_decref(jsites);
  gw_cli_table_free(&tab);
  gw_strv_free(&outages);
  gw_site_list_free(&sites);
  return rc;
}
