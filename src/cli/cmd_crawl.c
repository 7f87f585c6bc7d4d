/* govwatch crawl: crawl one registered site, or all running ones, into the
 * store, resuming an interrupted crawl unless --new, and print a summary
 * (Chinese labels with the English terms, or JSON with --json). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/common.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/log.h"
#include "core/str.h"
#include "core/utf8.h"
#include "fetch/crawl.h"
#include "register/register.h"

#define CMD "crawl"
#define OPT_END {NULL, NULL, NULL, false, NULL, false}

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
  (void)sig;
  g_stop = 1;
}

/* The terminal status line: pages, queue, errors, rate; rewritten in place
 * (the engine calls at most four times a second). */
struct progress {
  const char *name;
  bool shown;
};

static void show_progress(void *ctx, const struct gw_crawl_progress *p)
{
  struct progress *pr = ctx;
  char name[64];
  size_t cut = gw_utf8_prefix_for_width(pr->name, 24);
  snprintf(name, sizeof name, "%.*s", (int)cut, pr->name);
  fprintf(stderr, "\r\033[K%s  已抓取 %lld  队列 %lld  进行中 %lld  错误 %lld  %.1f 页/秒", name,
          (long long)p->fetched, (long long)p->queued, (long long)p->in_flight, (long long)p->errors, p->rate);
  fflush(stderr);
  pr->shown = true;
}

static void clear_progress(struct progress *pr)
{
  if (pr->shown) {
    fprintf(stderr, "\r\033[K");
    fflush(stderr);
    pr->shown = false;
  }
}

/* A whole number option in [min, max]; untouched when not given. */
static int num_opt(const struct gw_opt *opts, const char *name, long long min, long long max, long long *out)
{
  const char *v = gw_cli_opt(opts, name);
  if (!v)
    return GW_OK;
  int64_t n = 0;
  if (gw_parse_i64(v, &n) || n < min || n > max)
    return gw_cli_usage(CMD, "--%s '%s' must be a whole number from %lld to %lld", name, v, min, max);
  *out = n;
  return GW_OK;
}

static int apply_options(const struct gw_opt *opts, struct gw_crawl_opts *o)
{
  long long v;
  int rc;
  if (gw_cli_opt(opts, "ipv4") && gw_cli_opt(opts, "ipv6"))
    return gw_cli_usage(CMD, "--ipv4 and --ipv6 exclude each other");
  if (gw_cli_opt(opts, "ipv4"))
    o->ip_version = 4;
  if (gw_cli_opt(opts, "ipv6"))
    o->ip_version = 6;
  if (gw_cli_opt(opts, "obey-robots"))
    o->obey_robots = true;
  if (gw_cli_opt(opts, "new"))
    o->fresh = true;
  v = o->max_pages;
  if ((rc = num_opt(opts, "max-pages", 1, 10000000, &v)))
    return rc;
  o->max_pages = (long)v;
  v = o->max_depth;
  if ((rc = num_opt(opts, "max-depth", 0, 100000, &v)))
    return rc;
  o->max_depth = (long)v;
  v = o->concurrency;
  if ((rc = num_opt(opts, "concurrency", 1, 1024, &v)))
    return rc;
  o->concurrency = (int)v;
  v = o->per_host;
  if ((rc = num_opt(opts, "per-host", 1, 256, &v)))
    return rc;
  o->per_host = (int)v;
  v = o->interval_ms;
  if ((rc = num_opt(opts, "interval-ms", 0, 600000, &v)))
    return rc;
  o->interval_ms = (long)v;
  v = o->timeout_ms / 1000;
  if ((rc = num_opt(opts, "timeout", 1, 3600, &v)))
    return rc;
  o->timeout_ms = (long)v * 1000;
  return GW_OK;
}

/* ---- the summary ---- */

static long long jint(json_t *o, const char *k)
{
  return (long long)json_integer_value(json_object_get(o, k));
}

/* "dns 1, http 3" from an object of counts, with the Chinese label. */
static void counts_line(FILE *f, json_t *obj, bool errors)
{
  const char *k;
  json_t *v;
  bool first = true;
  json_object_foreach(obj, k, v) {
    const char *label = k;
    for (int i = 1; errors && i < GW_FE_COUNT_; i++)
      if (strcmp(gw_fetch_error_key((enum gw_fetch_error)i), k) == 0)
        label = gw_fetch_error_label((enum gw_fetch_error)i);
    for (int i = 1; !errors && i < GW_SKIP_COUNT_; i++)
      if (strcmp(gw_skip_reason_key((enum gw_skip_reason)i), k) == 0)
        label = gw_skip_reason_label((enum gw_skip_reason)i);
    fprintf(f, "%s%s %s %lld", first ? "" : "; ", label, k, (long long)json_integer_value(v));
    first = false;
  }
  if (first)
    fprintf(f, "0");
  fputc('\n', f);
}

static void print_summary(FILE *f, json_t *s)
{
  json_t *site = json_object_get(s, "site"), *run = json_object_get(s, "run");
  const char *state = json_string_value(json_object_get(s, "state"));
  fprintf(f, "%s  %s\n", json_string_value(json_object_get(site, "name")),
          json_string_value(json_object_get(site, "url")));
  fprintf(f, "  抓取编号 crawl:           %lld, 第 %lld 次运行 run %lld", jint(s, "crawl_id"), jint(s, "runs"),
          jint(s, "runs"));
  if (json_is_true(json_object_get(s, "resumed")))
    fprintf(f, "，继续上次中断的抓取 (resumed an interrupted crawl)");
  if (json_integer_value(json_object_get(s, "prev_crawl_id")))
    fprintf(f, "，对照第 %lld 次抓取发送条件请求 (conditional requests against crawl %lld)",
            jint(s, "prev_crawl_id"), jint(s, "prev_crawl_id"));
  fputc('\n', f);
  fprintf(f, "  状态 state:               %s\n",
          strcmp(state, "done") == 0 ? "完成 done" : strcmp(state, "interrupted") == 0 ? "已中断 interrupted" : state);
  fprintf(f, "  可访问页面 pages:         %lld (解析 HTML parsed %lld, 未修改 304 not modified %lld)\n",
          jint(s, "pages"), jint(s, "parsed"), jint(s, "not_modified"));
  fprintf(f, "  网址 URLs seen:           %lld (站内 internal %lld, 站外 external %lld, 已请求 fetched %lld",
          jint(s, "urls"), jint(s, "internal_urls"), jint(s, "external_urls"), jint(s, "fetched"));
  if (jint(s, "queued"))
    fprintf(f, ", 待抓取 queued %lld", jint(s, "queued"));
  fprintf(f, ")\n");
  json_t *links = json_object_get(s, "links");
  fprintf(f, "  链接 links:               %lld (站内 internal %lld, 站外 external %lld)\n", jint(links, "total"),
          jint(links, "internal"), jint(links, "external"));
  fprintf(f, "  失败 failures:            ");
  counts_line(f, json_object_get(s, "failures"), true);
  fprintf(f, "  跳过 skipped:             ");
  counts_line(f, json_object_get(s, "skipped"), false);
  json_t *traps = json_object_get(s, "traps"), *t;
  size_t i;
  json_array_foreach(traps, i, t) {
    if (i >= 5) {
      fprintf(f, "    … %zu more in the store\n", json_array_size(traps) - 5);
      break;
    }
    fprintf(f, "    陷阱截断 trap cut-off:  %s  (%s)\n", json_string_value(json_object_get(t, "url")),
            json_string_value(json_object_get(t, "rule")));
  }
  fprintf(f, "  重定向 redirects:         %lld\n", jint(s, "redirected"));
  const char *host;
  json_t *r;
  json_object_foreach(json_object_get(s, "robots"), host, r) {
    json_t *st = json_object_get(r, "status"), *cd = json_object_get(r, "crawl_delay");
    fprintf(f, "  robots.txt %s: ", host);
    if (json_is_integer(st))
      fprintf(f, "HTTP %lld", (long long)json_integer_value(st));
    else
      fprintf(f, "无法获取 unavailable (%s)", json_string_value(json_object_get(r, "error")));
    fprintf(f, ", 规则 rules %lld", jint(r, "rules"));
    if (json_is_number(cd))
      fprintf(f, ", Crawl-delay %g s (applied %lld ms)", json_number_value(cd), jint(r, "crawl_delay_applied_ms"));
    if (json_is_true(json_object_get(r, "obeyed")))
      fprintf(f, ", 已遵守 obeyed\n");
    else
      fprintf(f, ", 未遵守 not obeyed (检查任务不受 Disallow 限制; disallowed URLs fetched %lld)\n",
              jint(r, "disallowed_fetched"));
  }
  size_t pauses = json_array_size(json_object_get(s, "host_pauses"));
  if (pauses)
    fprintf(f, "  主机暂停 host pauses:     %zu (服务器集中报错 the server answered errors in bulk)\n", pauses);
  fprintf(f, "  用时 duration:            %.1f s, %lld 个网址 URLs, %.1f 个/秒 per second\n",
          json_number_value(json_object_get(run, "seconds")), jint(run, "fetched"),
          json_number_value(json_object_get(run, "per_second")));
}

/* ---- the command ---- */

static const char g_usage[] =
    "govwatch crawl SITE|--all [--max-pages N] [--max-depth N] [--new] [--ipv4|--ipv6] [--obey-robots]\n"
    "                      [--concurrency N] [--per-host N] [--interval-ms N] [--timeout S]";

static const char g_desc[] =
    "Crawl a registered website (SITE: its id, 网站标识码 or URL) or every running site (--all)\n"
    "into the store: pages, every link with its outcome, redirects, robots.txt, page bodies.\n"
    "An interrupted crawl of the site (Ctrl-C, kill, power loss) is resumed unless --new;\n"
    "after a finished crawl a new one asks each URL with its ETag/Last-Modified. Limits and\n"
    "politeness come from the configuration (network.*, crawl.*) unless given here.\n"
    "Exit status 0 when the crawl completed, whatever it found; non-zero when it could not run\n"
    "or was interrupted (run the same command again to resume).";

static int crawl_one(struct gw_cli *cli, struct gw_store *st, const struct gw_site *s, const struct gw_crawl_opts *base,
                     json_t *all)
{
  struct gw_crawl_opts o = *base;
  struct progress pr = {s->name, false};
  bool tty = isatty(fileno(stderr)) && !cli->json && gw_log_get_level() < GW_LOG_ERROR;
  if (tty) {
    o.progress = show_progress;
    o.progress_ctx = &pr;
  }
  struct gw_crawl_report rep = {0};
  int rc = gw_crawl_site(st, s, &o, &rep);
  clear_progress(&pr);
  if (rc)
    return gw_err_prefix(rc, "%s (%s)", s->name, s->url);
  json_t *sum = json_loads(rep.summary, 0, NULL);
  if (!sum) {
    gw_crawl_report_clear(&rep);
    return gw_err_set(GW_EDB, "%s: the crawl summary is not readable JSON", s->name);
  }
  if (cli->json) {
    json_array_append(all, sum);
  } else {
    print_summary(stdout, sum);
    fflush(stdout);
  }
  json_decref(sum);
  if (rep.state == GW_CRAWL_INTERRUPTED)
    rc = gw_err_set(GW_EIO, "%s: crawl %lld interrupted; run the same command again to resume it", s->name,
                    (long long)rep.crawl_id);
  gw_crawl_report_clear(&rep);
  return rc;
}

int gw_cmd_crawl(struct gw_cli *cli, int argc, char **argv)
{
  struct gw_opt opts[] = {
    {"all", NULL, "crawl every registered site that is running (运行中)", false, NULL, false},
    {"max-pages", "N", "internal URLs admitted at most (config crawl.max_pages, default 100000)", false, NULL, false},
    {"max-depth", "N", "link depth from the homepage, 0 = none (config crawl.max_depth)", false, NULL, false},
    {"new", NULL, "start a new crawl even if the last one was interrupted", false, NULL, false},
    {"ipv4", NULL, "connect over IPv4 only", false, NULL, false},
    {"ipv6", NULL, "connect over IPv6 only", false, NULL, false},
    {"obey-robots", NULL, "skip what robots.txt disallows (default: read and report it only)", false, NULL, false},
    {"concurrency", "N", "transfers at once over all hosts (config network.concurrency, 16)", false, NULL, false},
    {"per-host", "N", "transfers at once per host (config network.per_host, 2)", false, NULL, false},
    {"interval-ms", "N", "least time between two requests to a host (config network.interval_ms, 250)", false,
     NULL, false},
    {"timeout", "S", "total time per request in seconds (config network.timeout, 15)", false, NULL, false},
    OPT_END,
  };
  const char *pos[1];
  int npos = 0;
  bool help = false;
  int rc = gw_cli_parse(CMD, opts, argc, argv, "SITE", 0, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, g_usage, g_desc, opts);
    return GW_OK;
  }
  bool all = gw_cli_opt(opts, "all") != NULL;
  if (all == (npos == 1))
    return gw_cli_usage(CMD, all ? "give SITE or --all, not both" : "missing argument SITE (or --all)");
  struct gw_crawl_opts o;
  memset(&o, 0, sizeof o);
  gw_crawl_opts_from_config(&o, &cli->cfg);
  if ((rc = apply_options(opts, &o)))
    return rc;
  struct gw_store *st = NULL;
  if ((rc = gw_cli_store(cli, &st)))
    return rc;

  struct gw_site_list sites = {0};
  if (all) {
    if ((rc = gw_store_site_list(st, 0, &sites)))
      return rc;
    if (!sites.n) {
      gw_site_list_free(&sites);
      return gw_err_set(GW_ENOTFOUND, "crawl --all: no website is registered (see 'govwatch site add' / 'import')");
    }
  } else {
    sites.v = gw_calloc(1, sizeof *sites.v);
    if ((rc = gw_reg_site_resolve(st, pos[0], &sites.v[0]))) {
      free(sites.v);
      return gw_err_prefix(rc, "crawl: SITE '%s'", pos[0]);
    }
    sites.n = 1;
  }

  struct sigaction sa, old_int, old_term;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  g_stop = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  o.stop = &g_stop;

  json_t *out = json_array();
  int first_err = GW_OK;
  char first_msg[1024] = "";
  size_t crawled = 0;
  for (size_t i = 0; i < sites.n && !g_stop; i++) {
    const struct gw_site *s = &sites.v[i];
    if (all && s->status != GW_SITE_RUNNING) {
      if (!cli->json)
        printf("%s  %s: %s，跳过 skipped\n\n", s->name, s->url, gw_site_status_label(s->status));
      continue;
    }
    int r = crawl_one(cli, st, s, &o, out);
    crawled++;
    if (r) {
      if (!first_err) {
        first_err = r; /* main() prints it at the end */
        gw_strlcpy(first_msg, gw_err_msg(), sizeof first_msg);
      } else {
        fprintf(stderr, "govwatch: %s\n", gw_err_msg());
      }
      if (r == GW_EDB || r == GW_EIO || r == GW_ENOMEM)
        break; /* the store or the machine is in trouble: stop here */
    }
    if (!cli->json && i + 1 < sites.n)
      putchar('\n');
  }
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  if (cli->json)
    gw_cli_json_print(out);
  else
    json_decref(out);
  gw_site_list_free(&sites);
  if (first_err)
    return gw_err_set(first_err, "%s", first_msg);
  if (all && !crawled)
    return gw_err_set(GW_ENOTFOUND, "crawl --all: no registered website is running");
  return GW_OK;
}
