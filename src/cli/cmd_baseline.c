/* govwatch baseline: show or accept the homepage baseline that
 * security.defacement compares each crawl with (checks/security.h). The
 * first check of a site sets it; after a legitimate redesign an inspector
 * accepts the latest crawl's homepage as the new baseline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/security.h"
#include "cli/common.h"
#include "core/error.h"
#include "store/baseline_store.h"

#define OPT_END {NULL, NULL, NULL, false, NULL, false}

static int parse_threshold(const char *cmd, const char *v, double *out)
{
  char *end = NULL;
  double t = strtod(v, &end);
  if (!*v || *end || !(t > 0.0 && t <= 1.0))
    return gw_cli_usage(cmd, "--threshold '%s': expected a change ratio above 0 and at most 1 (e.g. 0.5)", v);
  *out = t;
  return GW_OK;
}

static json_t *baseline_json(const struct gw_site *s, const struct gw_baseline *b, size_t lines, size_t links)
{
  json_t *j = json_object();
  json_object_set_new(j, "site", gw_cli_jstr(s->code));
  json_object_set_new(j, "name", gw_cli_jstr(s->name));
  json_object_set_new(j, "crawl_id", gw_cli_jid(b ? b->crawl_id : 0));
  json_object_set_new(j, "set_at", gw_cli_jtime(b ? b->set_at : 0));
  json_object_set_new(j, "threshold", b ? json_real(b->threshold) : json_null());
  json_object_set_new(j, "lines", json_integer((json_int_t)lines));
  json_object_set_new(j, "links", json_integer((json_int_t)links));
  return j;
}

int gw_cmd_baseline(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "baseline";
  struct gw_opt opts[] = {
    {"all", NULL, "every registered site", false, NULL, false},
    {"accept", NULL, "take the homepage of the latest finished crawl as the new baseline", false, NULL, false},
    {"threshold", "R", "with --accept: the change ratio (0 < R <= 1) that raises a finding; default: keep "
                       "the current one (0.5 for a first baseline)", false, NULL, false},
    OPT_END,
  };
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE", 0, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch baseline SITE|--all [--accept [--threshold R]] [--json]",
                "Show the homepage baseline of security.defacement (its crawl, when it was set,\n"
                "the change threshold, how many text lines and links it holds), or with\n"
                "--accept replace it with the homepage of the latest finished crawl (after a\n"
                "legitimate redesign; the next check then compares with that).",
                opts);
    return GW_OK;
  }
  double threshold = 0.0;
  const char *tv = gw_cli_opt(opts, "threshold");
  bool accept = gw_cli_opt(opts, "accept") != NULL;
  if (tv && !accept)
    return gw_cli_usage(cmd, "--threshold goes with --accept");
  if (tv && (rc = parse_threshold(cmd, tv, &threshold)))
    return rc;
  bool all = gw_cli_opt(opts, "all") != NULL;
  struct gw_site_list sites = {0};
  struct gw_store *st;
  if ((rc = gw_cli_pick_sites(cli, cmd, npos ? pos[0] : NULL, all, &sites)) || (rc = gw_cli_store(cli, &st)))
    goto done;
  json_t *arr = json_array();
  for (size_t i = 0; i < sites.n && rc == GW_OK; i++) {
    const struct gw_site *s = &sites.v[i];
    if (accept) {
      struct gw_crawl c;
      memset(&c, 0, sizeof c);
      int crc = gw_store_crawl_last(st, s->id, true, &c);
      if (crc == GW_ENOTFOUND) {
        rc = gw_err_set(GW_ENOTFOUND, "%s: %s (%s) has no finished crawl (govwatch crawl %s)", cmd, s->name, s->url,
                        s->code);
        break;
      }
      if (crc) {
        rc = crc;
        break;
      }
      rc = gw_security_baseline_accept(st, s, c.id, threshold);
      gw_crawl_clear(&c);
      if (rc) {
        rc = gw_err_prefix(rc, "%s", cmd);
        break;
      }
    }
    struct gw_baseline b;
    int brc = gw_store_baseline_get(st, s->id, "homepage", &b);
    if (brc != GW_OK && brc != GW_ENOTFOUND) {
      rc = brc;
      break;
    }
    struct gw_home_sig sig;
    memset(&sig, 0, sizeof sig);
    if (brc == GW_OK && gw_home_sig_parse(b.data, &sig) != GW_OK)
      memset(&sig, 0, sizeof sig);
    if (cli->json) {
      json_array_append_new(arr, baseline_json(s, brc == GW_OK ? &b : NULL, sig.lines.n, sig.links.n));
    } else if (brc == GW_OK) {
      char when[32];
      printf("%s  %s\n  %s首页基线：抓取 #%lld，设定于 %s，文字 %zu 行，链接 %zu 个，变化阈值 %.0f%%\n", s->name,
             s->url, accept ? "已更新" : "", (long long)b.crawl_id, gw_cli_time(b.set_at, when, sizeof when),
             sig.lines.n, sig.links.n, b.threshold * 100.0);
    } else {
      printf("%s  %s\n  尚无首页基线（首次检查 security.defacement 时设定）\n", s->name, s->url);
    }
    gw_home_sig_free(&sig);
    if (brc == GW_OK)
      gw_baseline_clear(&b);
  }
  if (rc == GW_OK && cli->json) {
    json_t *j = json_object();
    json_object_set_new(j, "baselines", arr);
    rc = gw_cli_json_print(j);
  } else {
    json_decref(arr);
  }
done:
  gw_site_list_free(&sites);
  return rc;
}
