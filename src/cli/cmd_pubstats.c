/* govwatch pubstats: articles published in a quarter per source unit on a
 * portal (信息报送 figures of the quarterly circular), checks/pubstats.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/pubstats.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"

#define OPT_END {NULL, NULL, NULL, false, NULL, false}

static int count_opt(const char *cmd, const struct gw_opt *opts, const char *name, int *out)
{
  const char *v = gw_cli_opt(opts, name);
  if (!v)
    return GW_OK;
  int64_t n;
  if (gw_parse_i64(v, &n) != GW_OK || n < 1 || n > 100000) {
    gw_err_set(GW_EUSAGE, "must be a whole number from 1 to 100000");
    return gw_cli_opt_err(GW_EUSAGE, cmd, name, v);
  }
  *out = (int)n;
  return GW_OK;
}

static void print_text(const struct gw_site *site, const struct gw_pubstats *s)
{
  char a[32], b[32];
  printf("%s  %s\n", site->name, site->url);
  printf("  %d年第%d季度（%s 至 %s，抓取 #%lld）：发布文章 %zu 篇，其中可归属单位 %zu 篇，未注明来源 %zu 篇\n", s->year,
         s->quarter, gw_date_format(s->start, a, sizeof a), gw_date_format(s->end - 1, b, sizeof b),
         (long long)s->crawl_id, s->articles, s->attributed, s->no_source);
  printf("  达标线 %d 篇，最低线 %d 篇\n", s->target, s->floor);
  const char *head[] = {"单位", "篇数", "情况"};
  struct gw_cli_table t;
  gw_cli_table_init(&t, head, 3);
  for (size_t i = 0; i < s->n_units; i++) {
    char n[32];
    snprintf(n, sizeof n, "%zu", s->units[i].articles);
    const char *row[] = {s->units[i].name, n,
                         s->units[i].at_target ? "达标" : s->units[i].below_floor ? "低于最低线" : ""};
    gw_cli_table_add(&t, row);
  }
  gw_cli_table_print(stdout, &t);
  gw_cli_table_free(&t);
  for (size_t i = 0; i < s->n_other; i++)
    printf("  未归属来源：%s %zu 篇\n", s->other[i].source, s->other[i].articles);
}

int gw_cmd_pubstats(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "pubstats";
  struct gw_opt opts[] = {
    {"quarter", "YYYYQN", "the quarter, e.g. 2025Q1", true, NULL, false},
    {"target", "N", "articles a unit should reach in the quarter (default 24)", false, NULL, false},
    {"floor", "N", "fewer articles than this is too few (default 5)", false, NULL, false},
    OPT_END,
  };
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch pubstats SITE --quarter 2025Q1 [--target N] [--floor N] [--json]",
                "Count the articles of the latest finished crawl of a site (usually the portal)\n"
                "published in the quarter, per source unit: each article's source (meta\n"
                "ContentSource, else its 来源 line) is attributed to the site's unit or a unit\n"
                "under it by full or short name. Units at or above the target and below the\n"
                "floor are marked (信息报送 in the quarterly circular).",
                opts);
    return GW_OK;
  }
  struct gw_pubstats_opts o = {0, 0};
  int year, q;
  const char *qv = gw_cli_opt(opts, "quarter");
  if (gw_quarter_parse(qv, &year, &q) != GW_OK)
    return gw_cli_opt_err(GW_EUSAGE, cmd, "quarter", qv);
  if ((rc = count_opt(cmd, opts, "target", &o.target)) || (rc = count_opt(cmd, opts, "floor", &o.floor)))
    return rc;
  struct gw_site_list sites = {0};
  struct gw_store *st;
  if ((rc = gw_cli_pick_sites(cli, cmd, pos[0], false, &sites)) || (rc = gw_cli_store(cli, &st)))
    goto done;
  struct gw_pubstats s;
  if ((rc = gw_pubstats_compute(st, sites.v[0].id, year, q, &o, &s)) != GW_OK) {
    rc = gw_err_prefix(rc, "%s", cmd);
    goto done;
  }
  if (cli->json) {
    json_t *j = gw_pubstats_json(&s);
    json_object_set_new(j, "site", gw_cli_jstr(sites.v[0].name));
    json_object_set_new(j, "code", gw_cli_jstr(sites.v[0].code));
    rc = gw_cli_json_print(j);
  } else {
    print_text(&sites.v[0], &s);
  }
  gw_pubstats_free(&s);
done:
  gw_site_list_free(&sites);
  return rc;
}
