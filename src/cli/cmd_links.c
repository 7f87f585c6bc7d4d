/* govwatch links: the link results of a site's latest finished crawl, with
 * their evidence, classified by the same code as the links.broken check
 * (checks/links.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/links.h"
#include "cli/common.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"

#define OPT_END {NULL, NULL, NULL, false, NULL, false}

/* Listing order: what needs attention first. */
static int class_rank(enum gw_link_class c)
{
  switch (c) {
  case GW_LC_BROKEN:
    return 0;
  case GW_LC_UNKNOWN:
    return 1;
  case GW_LC_REDIRECTED:
    return 2;
  case GW_LC_UNCHECKED:
    return 3;
  default:
    return 4;
  }
}

static const struct gw_link_report *g_sort_report; /* qsort has no context argument in C11 */

static int by_class(const void *a, const void *b)
{
  const struct gw_link_target *x = &g_sort_report->v[*(const size_t *)a];
  const struct gw_link_target *y = &g_sort_report->v[*(const size_t *)b];
  int d = class_rank(x->cls) - class_rank(y->cls);
  if (d)
    return d;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* The targets to list, in listing order; *n their count. */
static size_t *selected(const struct gw_link_report *r, bool broken_only, size_t *n)
{
  size_t *idx = gw_calloc(r->n ? r->n : 1, sizeof *idx);
  size_t k = 0;
  for (size_t i = 0; i < r->n; i++) {
    const struct gw_link_target *t = &r->v[i];
    if (t->occurrences == 0 || (broken_only && t->cls != GW_LC_BROKEN))
      continue;
    idx[k++] = i;
  }
  g_sort_report = r;
  qsort(idx, k, sizeof *idx, by_class);
  g_sort_report = NULL;
  *n = k;
  return idx;
}

static void csv_field(FILE *f, const char *s, bool last)
{
  s = s ? s : "";
  if (strpbrk(s, ",\"\r\n")) {
    fputc('"', f);
    for (const char *p = s; *p; p++) {
      if (*p == '"')
        fputc('"', f);
      fputc(*p, f);
    }
    fputc('"', f);
  } else {
    fputs(s, f);
  }
  fputs(last ? "\r\n" : ",", f);
}

static void csv_row(FILE *f, const char *const *cells, size_t n)
{
  for (size_t i = 0; i < n; i++)
    csv_field(f, cells[i], i + 1 == n);
}

static const char *const g_csv_head[] = {"网站名称", "目标链接", "结果", "原因", "说明", "状态码", "错误类型",
                                         "来源页面", "锚文本", "标签", "行号", "首页链接", "隐藏链接", "检测时间"};
#define CSV_COLS (sizeof g_csv_head / sizeof g_csv_head[0])

static void print_csv(const struct gw_site *site, const struct gw_link_report *r, const size_t *idx, size_t n)
{
  for (size_t k = 0; k < n; k++) {
    const struct gw_link_target *t = &r->v[idx[k]];
    char detail[1024], status[16], when[32], line[24], hide[160];
    gw_links_describe(t, detail, sizeof detail);
    snprintf(status, sizeof status, "%d", t->http_status);
    gw_cli_time(t->fetched_at, when, sizeof when);
    for (size_t i = 0; i < t->n_src; i++) {
      const struct gw_link_source *s = &t->src[i];
      snprintf(line, sizeof line, "%ld", s->line);
      const char *cells[CSV_COLS] = {site->name,
                                     t->url,
                                     gw_link_class_label(t->cls),
                                     gw_link_reason_label(t->reason),
                                     detail,
                                     t->http_status ? status : "",
                                     t->error ? gw_fetch_error_key(t->error) : "",
                                     s->page,
                                     s->anchor,
                                     s->tag,
                                     s->line > 0 ? line : "",
                                     s->on_homepage ? "是" : "否",
                                     s->hidden ? gw_page_hide_describe(s->hidden, hide, sizeof hide) : "",
                                     when};
      csv_row(stdout, cells, CSV_COLS);
    }
  }
}

static void print_text(const struct gw_site *site, const struct gw_link_report *r, const size_t *idx, size_t n,
                       int64_t crawl_finished)
{
  char when[32];
  printf("%s  %s\n", site->name, site->url);
  printf("  抓取 #%lld（完成于 %s）：链接目标 %zu 个，不可用 %zu，无法判断 %zu，重定向 %zu，未检查 %zu，正常 %zu\n",
         (long long)r->crawl_id, gw_cli_time(crawl_finished, when, sizeof when), r->linked,
         r->by_class[GW_LC_BROKEN], r->by_class[GW_LC_UNKNOWN], r->by_class[GW_LC_REDIRECTED],
         r->by_class[GW_LC_UNCHECKED], r->by_class[GW_LC_OK]);
  for (size_t i = 0; i < r->n_canaries; i++) {
    const struct gw_link_canary *c = &r->canaries[i];
    if (!c->asked)
      continue;
    char st[64];
    if (c->status)
      snprintf(st, sizeof st, "HTTP %d", c->status);
    else
      snprintf(st, sizeof st, "%s", gw_fetch_error_label(c->error));
    printf("  软404对照：%s → %s%s\n", c->url, st,
           c->status == 404 || c->status == 410 ? "（服务器能区分不存在的页面）" : "");
  }
  if (n == 0) {
    printf("  （没有要列出的链接）\n");
    return;
  }
  static const char *const head[] = {"结果", "目标链接", "状态/错误", "来源页面", "锚文本", "标签", "页面数",
                                     "检测时间"};
  struct gw_cli_table t;
  gw_cli_table_init(&t, head, 8);
  for (size_t k = 0; k < n; k++) {
    const struct gw_link_target *x = &r->v[idx[k]];
    char detail[1024], pages[64], tw[32];
    gw_links_describe(x, detail, sizeof detail);
    const struct gw_link_source *s = x->n_src ? &x->src[0] : NULL;
    if (x->home_occurrences)
      snprintf(pages, sizeof pages, "%zu（含首页）", x->pages);
    else
      snprintf(pages, sizeof pages, "%zu", x->pages);
    const char *cells[] = {gw_link_class_label(x->cls), x->url, detail, s ? s->page : "", s ? s->anchor : "",
                           s ? s->tag : "", pages, gw_cli_time(x->fetched_at, tw, sizeof tw)};
    gw_cli_table_add(&t, cells);
  }
  gw_cli_table_print(stdout, &t);
  gw_cli_table_free(&t);
}

static json_t *site_json(const struct gw_site *site, const struct gw_link_report *r, const size_t *idx, size_t n,
                         const struct gw_crawl *crawl)
{
  json_t *j = json_object();
  json_t *js = json_object();
  json_object_set_new(js, "id", json_integer((json_int_t)site->id));
  json_object_set_new(js, "name", gw_cli_jstr(site->name));
  json_object_set_new(js, "url", gw_cli_jstr(site->url));
  json_object_set_new(js, "code", gw_cli_jstr(site->code));
  json_object_set_new(j, "site", js);
  json_object_set_new(j, "crawl_id", json_integer((json_int_t)r->crawl_id));
  json_object_set_new(j, "crawl_finished_at", gw_cli_jtime(crawl->finished_at));
  json_object_set_new(j, "as_of", gw_cli_jtime(crawl->as_of));
  json_object_set_new(j, "homepage", gw_cli_jstr(r->homepage));
  json_t *counts = json_object();
  json_object_set_new(counts, "linked", json_integer((json_int_t)r->linked));
  for (int c = 1; c < GW_LC_COUNT_; c++)
    json_object_set_new(counts, gw_link_class_key((enum gw_link_class)c), json_integer((json_int_t)r->by_class[c]));
  json_object_set_new(j, "counts", counts);
  json_t *cans = json_array();
  for (size_t i = 0; i < r->n_canaries; i++) {
    const struct gw_link_canary *c = &r->canaries[i];
    json_t *jc = json_object();
    json_object_set_new(jc, "origin", gw_cli_jstr(c->origin));
    json_object_set_new(jc, "url", gw_cli_jstr(c->url));
    json_object_set_new(jc, "asked", json_boolean(c->asked));
    json_object_set_new(jc, "status", c->status ? json_integer(c->status) : json_null());
    json_object_set_new(jc, "error", c->error ? json_string(gw_fetch_error_key(c->error)) : json_null());
    json_object_set_new(jc, "error_text", gw_cli_jstr(c->error_text));
    json_object_set_new(jc, "final_url", gw_cli_jstr(c->final_url));
    json_object_set_new(jc, "title", gw_cli_jstr(c->title));
    json_object_set_new(jc, "fetched_at", gw_cli_jtime(c->fetched_at));
    json_object_set_new(jc, "soft_404s", json_integer((json_int_t)c->soft404s));
    json_array_append_new(cans, jc);
  }
  json_object_set_new(j, "canaries", cans);
  json_t *links = json_array();
  for (size_t k = 0; k < n; k++)
    json_array_append_new(links, gw_links_target_json(r, &r->v[idx[k]], GW_LINKS_SCOPE_ALL));
  json_object_set_new(j, "links", links);
  return j;
}

int gw_cmd_links(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "links";
  struct gw_opt opts[] = {
    {"all", NULL, "every registered site (sites without a finished crawl are skipped)", false, NULL, false},
    {"broken", NULL, "only the broken links (不可用)", false, NULL, false},
    {"csv", NULL, "CSV on stdout: one row per link occurrence (source page, anchor, tag)", false, NULL, false},
    {"no-probe", NULL, "make no request at all (soft 404s then only from tiny error pages)", false, NULL, false},
    OPT_END,
  };
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE", 0, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch links SITE|--all [--broken] [--json|--csv] [--no-probe]",
                "List every link target of the latest finished crawl of a site with its result\n"
                "(不可用 broken, 无法判断 unknown, 重定向 redirected, 未检查 unchecked, 正常 ok), the\n"
                "status or error, and the pages that carry it with anchor text and tag, broken\n"
                "ones first. The classification is the one the links.broken check uses,\n"
                "including the soft-404 test (one made-up URL asked per internal host).\n"
                "--json prints an object (an array of them with --all) with every occurrence.",
                opts);
    return GW_OK;
  }
  bool csv = gw_cli_opt(opts, "csv") != NULL;
  if (csv && cli->json)
    return gw_cli_usage(cmd, "choose one of --json and --csv");
  bool all = gw_cli_opt(opts, "all") != NULL, broken = gw_cli_opt(opts, "broken") != NULL;
  struct gw_site_list sites = {0};
  struct gw_store *st;
  struct gw_probe_opts po;
  gw_probe_opts_from_config(&po, &cli->cfg);
  struct gw_links_opts lo;
  memset(&lo, 0, sizeof lo);
  if (!gw_cli_opt(opts, "no-probe")) {
    lo.probe = gw_check_probe_network;
    lo.probe_ctx = &po;
  }
  if ((rc = gw_cli_pick_sites(cli, cmd, npos ? pos[0] : NULL, all, &sites)) || (rc = gw_cli_store(cli, &st)))
    goto done;
  json_t *arr = json_array();
  size_t shown = 0;
  if (csv)
    csv_row(stdout, g_csv_head, CSV_COLS);
  for (size_t i = 0; i < sites.n && rc == GW_OK; i++) {
    const struct gw_site *s = &sites.v[i];
    struct gw_crawl crawl = {0};
    int crc = gw_store_crawl_last(st, s->id, true, &crawl);
    if (crc == GW_ENOTFOUND) {
      gw_err_set(GW_ENOTFOUND, "%s (%s) has no finished crawl; crawl it first (govwatch crawl %s)", s->name, s->url,
                 s->code);
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
    struct gw_check_view *v = NULL;
    struct gw_link_report r;
    memset(&r, 0, sizeof r);
    if ((rc = gw_check_view_open(&v, st, crawl.id, 0)) == GW_OK && (rc = gw_links_analyze(v, &lo, &r)) == GW_OK) {
      size_t n;
      size_t *idx = selected(&r, broken, &n);
      if (cli->json)
        json_array_append_new(arr, site_json(s, &r, idx, n, &crawl));
      else if (csv)
        print_csv(s, &r, idx, n);
      else
        print_text(s, &r, idx, n, crawl.finished_at);
      free(idx);
      shown++;
    }
    gw_link_report_free(&r);
    gw_check_view_free(&v);
    gw_crawl_clear(&crawl);
  }
  if (rc == GW_OK && shown == 0)
    rc = gw_err_set(GW_ENOTFOUND, "%s --all: no site has a finished crawl (govwatch crawl --all)", cmd);
  if (rc == GW_OK && cli->json) {
    if (all) {
      rc = gw_cli_json_print(arr);
    } else {
      json_t *one = json_incref(json_array_get(arr, 0));
      json_decref(arr);
      rc = gw_cli_json_print(one);
    }
  } else {
    json_decref(arr);
  }
done:
  gw_site_list_free(&sites);
  return rc;
}
