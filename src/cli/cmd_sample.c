/* govwatch sample: the generated sample government sites, for people and
 * scripts — serve them on loopback (with fault modes), write them to a
 * directory with their register in the import layout, print the ground
 * truth. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "core/str.h"
#include "core/utf8.h"
#include "fixsrv.h"
#include "sample.h"
#include "store/records.h"
#include "tab/table.h"

/* ---- option parsing shared by the verbs ---- */

struct opt_def {
  const char *name;  /* without the leading "--" */
  bool value;        /* takes a value */
};

/* One parsed option: index into the verb's table and its value. */
struct opt_hit {
  int idx;
  const char *val;
};

/* Walk argv[1..]: "--name value", "--name=value" and flags. Positional
 * arguments and unknown options are usage errors naming them. Calls
 * `take` for each option; stops at the first error. "--help"/"-h" sets
 * *help. */
static int parse_opts(const char *cmd, int argc, char **argv, const struct opt_def *defs,
                      int (*take)(void *ud, const struct opt_def *d, const char *val), void *ud,
                      bool *help)
{
  *help = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      *help = true;
      return GW_OK;
    }
    if (!gw_str_starts(a, "--") || a[2] == '\0')
      return gw_cli_usage(cmd, "unexpected argument '%s'", a);
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t nl = eq ? (size_t)(eq - name) : strlen(name);
    const struct opt_def *d = NULL;
    for (const struct opt_def *e = defs; e->name; e++)
      if (strlen(e->name) == nl && strncmp(e->name, name, nl) == 0)
        d = e;
    if (!d)
      return gw_cli_usage(cmd, "unknown option '--%.*s'", (int)nl, name);
    const char *val = NULL;
    if (d->value) {
      if (eq) {
        val = eq + 1;
      } else {
        if (i + 1 >= argc)
          return gw_cli_usage(cmd, "option --%s needs a value", d->name);
        val = argv[++i];
      }
    } else if (eq) {
      return gw_cli_usage(cmd, "option --%s takes no value (got '%s')", d->name, a);
    }
    int rc = take(ud, d, val);
    if (rc)
      return rc;
  }
  return GW_OK;
}

static int parse_num(const char *cmd, const char *opt, const char *val, uint64_t min,
                     uint64_t max, uint64_t *out)
{
  int64_t v = 0;
  if (gw_parse_i64(val, &v) != GW_OK || v < 0 || (uint64_t)v < min || (uint64_t)v > max)
    return gw_cli_usage(cmd, "--%s: '%s' is not a whole number from %" PRIu64 " to %" PRIu64,
                        opt, val, min, max);
  *out = (uint64_t)v;
  return GW_OK;
}

/* ---- the family options common to every verb ---- */

struct family_args {
  const char *cmd;
  struct gw_sample_opts so;
};

static int take_family(struct family_args *f, const struct opt_def *d, const char *val,
                       bool *taken)
{
  uint64_t v = 0;
  int rc = GW_OK;
  *taken = true;
  if (strcmp(d->name, "seed") == 0) {
    rc = parse_num(f->cmd, d->name, val, 0, UINT64_MAX >> 1, &v);
    if (!rc)
      f->so.seed = v;
  } else if (strcmp(d->name, "pages") == 0) {
    rc = parse_num(f->cmd, d->name, val, 60, 100000, &v);
    if (!rc)
      f->so.pages = (size_t)v;
  } else if (strcmp(d->name, "as-of") == 0) {
    int64_t t;
    if (gw_time_parse(val, &t) != GW_OK)
      return gw_cli_usage(f->cmd, "--as-of: %s", gw_err_msg());
    struct gw_civil c;
    gw_civil_from_time(t, &c);
    if (c.year < 2005 || c.year > 2199)
      return gw_cli_usage(f->cmd, "--as-of: '%s' is outside the years 2005 to 2199", val);
    f->so.as_of = t;
  } else if (strcmp(d->name, "no-stale-homepage") == 0) {
    f->so.stale_homepage = false;
  } else if (strcmp(d->name, "cloak") == 0) {
    f->so.cloak = true;
  } else if (strcmp(d->name, "tamper") == 0) {
    f->so.tamper = true;
  } else if (strcmp(d->name, "broken-search") == 0) {
    f->so.broken_search = true;
  } else {
    *taken = false;
  }
  return rc;
}

#define FAMILY_OPTS                                                                                  \
  {"seed", true}, {"pages", true}, {"as-of", true}, {"no-stale-homepage", false}, {"cloak", false}, \
  {"tamper", false}, {"broken-search", false}

#define FAMILY_HELP                                                                      \
  "  --seed N          the generator seed (default 1); same options, same sites\n"        \
  "  --pages N         about how many pages in all (60 to 100000, default 300)\n"          \
  "  --as-of DATE      the as-of time the content is dated against, Shanghai time\n"      \
  "                    (YYYY-MM-DD [HH:MM[:SS]], 2005 to 2199; default 2025-03-31 12:00)\n" \
  "  --no-stale-homepage\n"                                                                \
  "                    keep the town site up to date (drops its stale-homepage\n"         \
  "                    and stale-column defects)\n"                                       \
  "  --cloak           the portal's homepage shows search-engine crawlers gambling\n"    \
  "                    links browsers never see (adds a cloaked_page defect)\n"          \
  "  --tamper          the portal's homepage is tampered with: a gambling banner\n"     \
  "                    and links, a new title (adds a tampered_homepage defect)\n"   \
  "  --broken-search   plant a broken site search on the health bureau (its\n"         \
  "                    /search finds nothing; a search_broken defect)\n"

static int new_family(const struct family_args *f, struct gw_sample **out)
{
  int rc = gw_sample_new(out, &f->so);
  if (rc)
    return gw_err_prefix(rc, "%s", f->cmd);
  return GW_OK;
}

/* The site's name padded to `cols` terminal columns (Chinese is 2 wide). */
static void print_padded(FILE *fp, const char *s, size_t cols)
{
  size_t w = gw_utf8_width(s);
  fputs(s, fp);
  for (; w < cols; w++)
    fputc(' ', fp);
}

/* ---- serve ---- */

static const char g_serve_help[] =
    "usage: govwatch sample serve [options]\n"
    "\n"
    "Serve the sample government sites on 127.0.0.1 (never on other interfaces)\n"
    "until SIGINT or SIGTERM. The sites are told apart by the Host header, so point\n"
    "their names at the server (curl --connect-to, config network.connect_to,\n"
    "chromium --host-resolver-rules); http://127.0.0.1:PORT/ shows an index.\n"
    "\n"
    "Options:\n"
    "  --port N          the port (default 8080; 0 = any free port, see --ready-file)\n"
    "  --ipv6            also listen on [::1], same port\n" FAMILY_HELP
    "  --fault KIND      imitate a faulty server: none, slow, reset, 5xx, 429, truncate,\n"
    "                    bad-length, gzip, huge (see docs/fixture-server.md)\n"
    "  --fault-every N   hurt 1 URL in N (a stable hash of host+path; default every URL)\n"
    "  --fault-times N   a hurt URL fails on its first N requests (default 0 = always)\n"
    "  --slow-ms N       slow: milliseconds a response takes (default 2000)\n"
    "  --retry-after S   429: the Retry-After seconds (default 5)\n"
    "  --huge-bytes N    huge: the page size in bytes (default 67108864)\n"
    "  --pid-file FILE   write the process id here; removed on exit\n"
    "  --ready-file FILE once listening, write the port here (scripts wait for it);\n"
    "                    removed on exit\n";

struct serve_args {
  struct family_args fam;
  struct gw_fixsrv_opts so;
  const char *pid_file;
  const char *ready_file;
};

static int take_serve(void *ud, const struct opt_def *d, const char *val)
{
  struct serve_args *a = ud;
  const char *cmd = a->fam.cmd;
  const char *n = d->name;
  bool taken;
  int rc = take_family(&a->fam, d, val, &taken);
  if (rc || taken)
    return rc;
  uint64_t v = 0;
  if (strcmp(n, "port") == 0) {
    rc = parse_num(cmd, n, val, 0, 65535, &v);
    a->so.port = (uint16_t)v;
  } else if (strcmp(n, "ipv6") == 0) {
    a->so.ipv6 = true;
  } else if (strcmp(n, "fault") == 0) {
    if (gw_fault_parse(val, &a->so.fault) != GW_OK)
      return gw_cli_usage(cmd, "--fault: %s", gw_err_msg());
  } else if (strcmp(n, "fault-every") == 0) {
    rc = parse_num(cmd, n, val, 0, UINT32_MAX, &v);
    a->so.fault_every = (unsigned)v;
  } else if (strcmp(n, "fault-times") == 0) {
    rc = parse_num(cmd, n, val, 0, UINT32_MAX, &v);
    a->so.fault_times = (unsigned)v;
  } else if (strcmp(n, "slow-ms") == 0) {
    rc = parse_num(cmd, n, val, 0, 3600000, &v);
    a->so.slow_ms = (unsigned)v;
  } else if (strcmp(n, "retry-after") == 0) {
    rc = parse_num(cmd, n, val, 0, 86400, &v);
    a->so.retry_after = (unsigned)v;
  } else if (strcmp(n, "huge-bytes") == 0) {
    rc = parse_num(cmd, n, val, 1, UINT64_C(1) << 40, &v);
    a->so.huge_bytes = v;
  } else if (strcmp(n, "pid-file") == 0) {
    a->pid_file = val;
  } else if (strcmp(n, "ready-file") == 0) {
    a->ready_file = val;
  }
  return rc;
}

/* Write `text` to `path` through a temporary file and rename, so a script
 * polling for the file never reads it half-written. */
static int write_file_atomic(const char *path, const char *text, const char *what)
{
  char tmp[4096];
  if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
    return gw_err_set(GW_EINVAL, "%s '%s': path too long", what, path);
  FILE *f = fopen(tmp, "w");
  if (!f)
    return gw_err_set(GW_EIO, "%s '%s': %s", what, path, strerror(errno));
  bool ok = fputs(text, f) >= 0;
  ok = fclose(f) == 0 && ok;
  if (!ok || rename(tmp, path) != 0) {
    int e = errno;
    unlink(tmp);
    return gw_err_set(GW_EIO, "%s '%s': %s", what, path, strerror(e));
  }
  return GW_OK;
}

/* Refuse a pid file that names a live process: another server runs. */
static int check_pid_file(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return GW_OK;
  char line[64] = "";
  bool got = fgets(line, sizeof line, f) != NULL;
  fclose(f);
  int64_t pid = 0;
  if (got && gw_parse_i64(gw_str_trim(line), &pid) == GW_OK && pid > 0 && pid != getpid() &&
      (kill((pid_t)pid, 0) == 0 || errno == EPERM))
    return gw_err_set(GW_EEXIST, "--pid-file '%s': process %" PRId64 " is running (remove the "
                                 "file if it is not a sample server)", path, pid);
  return GW_OK;
}

static const struct gw_sample_site *portal_of(const struct gw_sample *s)
{
  size_t n = gw_sample_site_count(s);
  for (size_t i = 0; i < n; i++)
    if (gw_sample_site_at(s, i)->portal)
      return gw_sample_site_at(s, i);
  return n ? gw_sample_site_at(s, 0) : NULL;
}

static void print_serve_info(const struct serve_args *a, const struct gw_sample *s, uint16_t port)
{
  char asof[32];
  gw_time_format(a->fam.so.as_of, asof, sizeof asof);
  printf("GovWatch sample sites on http://127.0.0.1:%u/%s\n", (unsigned)port,
         a->so.ipv6 ? " and on [::1]" : "");
  printf("port: %u\n", (unsigned)port);
  printf("family: seed %" PRIu64 ", about %zu pages, as of %s%s%s\n", a->fam.so.seed,
         a->fam.so.pages, asof, a->fam.so.stale_homepage ? "" : ", no stale homepage",
         a->fam.so.broken_search ? ", broken search" : "");
  if (a->so.fault != GW_FAULT_NONE) {
    printf("fault: %s, ", gw_fault_name(a->so.fault));
    if (a->so.fault_every > 1)
      printf("1 URL in %u", a->so.fault_every);
    else
      printf("every URL");
    if (a->so.fault_times)
      printf(", its first %u request(s)\n", a->so.fault_times);
    else
      printf(", every request\n");
  }
  printf("\nSites:\n");
  size_t n = gw_sample_site_count(s);
  size_t cols = 0;
  for (size_t i = 0; i < n; i++) {
    size_t w = gw_utf8_width(gw_sample_site_at(s, i)->name);
    if (w > cols)
      cols = w;
  }
  for (size_t i = 0; i < n; i++) {
    const struct gw_sample_site *st = gw_sample_site_at(s, i);
    printf("  ");
    print_padded(stdout, st->name, cols + 2);
    printf("%s\n", st->url);
  }
  size_t nh = gw_sample_host_count(s);
  bool header = false;
  for (size_t i = 0; i < nh; i++) {
    const char *h = gw_sample_host_at(s, i);
    bool is_site = false;
    for (size_t j = 0; j < n && !is_site; j++)
      is_site = strcmp(gw_sample_site_at(s, j)->host, h) == 0;
    if (is_site)
      continue;
    if (!header)
      printf("Other hosts:");
    header = true;
    printf(" %s", h);
  }
  if (header)
    printf("\n");

  const struct gw_sample_site *portal = portal_of(s);
  const char *example = portal ? portal->url : "http://www.qingxi.gov.cn/";
  char *rules = gw_fixsrv_sample_resolver_rules(s, port);
  printf("\nPoint the site names at this server. GovWatch (govwatch.yaml), every served host:\n");
  printf("  network.connect_to: [");
  for (size_t i = 0; i < nh; i++)
    printf("%s\"%s::127.0.0.1:%u\"", i ? ", " : "", gw_sample_host_at(s, i), (unsigned)port);
  printf("]\n");
  printf("or every host name at all (the family's unresolvable hosts then answer 404\n"
         "instead of failing DNS as the manifest expects):\n");
  printf("  network.connect_to: [\"::127.0.0.1:%u\"]\n", (unsigned)port);
  printf("curl:      curl --connect-to ::127.0.0.1:%u %s\n", (unsigned)port, example);
  printf("chromium:  chromium --user-data-dir=/tmp/gw-sample --host-resolver-rules=\"%s\" %s\n",
         rules, example);
  printf("Index page: http://127.0.0.1:%u/\n", (unsigned)port);
  printf("Stop with Ctrl-C or SIGTERM.\n");
  free(rules);
  fflush(stdout);
}

static int sample_serve(int argc, char **argv)
{
  static const struct opt_def defs[] = {
    FAMILY_OPTS,          {"port", true},       {"ipv6", false},       {"fault", true},
    {"fault-every", true}, {"fault-times", true}, {"slow-ms", true},    {"retry-after", true},
    {"huge-bytes", true}, {"pid-file", true},   {"ready-file", true},  {NULL, false},
  };
  struct serve_args a;
  memset(&a, 0, sizeof a);
  a.fam.cmd = "sample serve";
  gw_sample_opts_default(&a.fam.so);
  gw_fixsrv_opts_default(&a.so);
  a.so.port = 8080;
  bool help;
  int rc = parse_opts(a.fam.cmd, argc, argv, defs, take_serve, &a, &help);
  if (rc)
    return rc;
  if (help) {
    fputs(g_serve_help, stdout);
    return GW_OK;
  }
  if (a.so.fault_every > 1 && a.so.fault == GW_FAULT_NONE)
    return gw_cli_usage(a.fam.cmd, "--fault-every %u given without --fault", a.so.fault_every);

  struct gw_sample *s = NULL;
  struct gw_fixsrv *srv = NULL;
  bool wrote_pid = false, wrote_ready = false;
  sigset_t stop_set, old_set;
  sigemptyset(&stop_set);
  sigaddset(&stop_set, SIGINT);
  sigaddset(&stop_set, SIGTERM);
  /* Blocked before the server starts, so its threads inherit the mask and
   * sigwait below is the only taker of the stop signals. */
  pthread_sigmask(SIG_BLOCK, &stop_set, &old_set);
  struct sigaction ign;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, NULL);

  rc = new_family(&a.fam, &s);
  if (rc)
    goto done;
  if (a.pid_file) {
    rc = check_pid_file(a.pid_file);
    if (rc)
      goto done;
    char pid[32];
    snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    rc = write_file_atomic(a.pid_file, pid, "--pid-file");
    if (rc)
      goto done;
    wrote_pid = true;
  }
  a.so.handler = gw_fixsrv_sample_handler;
  a.so.ctx = s;
  rc = gw_fixsrv_start(&srv, &a.so);
  if (rc)
    goto done;
  uint16_t port = gw_fixsrv_port(srv);
  print_serve_info(&a, s, port);
  if (a.ready_file) {
    char txt[16];
    snprintf(txt, sizeof txt, "%u\n", (unsigned)port);
    rc = write_file_atomic(a.ready_file, txt, "--ready-file");
    if (rc)
      goto done;
    wrote_ready = true;
  }
  int sig = 0;
  while (sigwait(&stop_set, &sig) != 0) {
  }
  uint64_t nreq = gw_fixsrv_requests(srv), nfault = gw_fixsrv_faults(srv);
  gw_fixsrv_stop(&srv);
  printf("stopped on %s after %" PRIu64 " requests (%" PRIu64 " hit by the fault)\n",
         sig == SIGINT ? "SIGINT" : "SIGTERM", nreq, nfault);
  fflush(stdout);

done:
  gw_fixsrv_stop(&srv);
  if (wrote_ready)
    unlink(a.ready_file);
  if (wrote_pid)
    unlink(a.pid_file);
  gw_sample_free(&s);
  pthread_sigmask(SIG_SETMASK, &old_set, NULL);
  return rc;
}

/* ---- generate ---- */

static const char g_generate_help[] =
    "usage: govwatch sample generate --out DIR [options]\n"
    "\n"
    "Write every page of the sample sites under DIR/HOST/PATH (for a static web\n"
    "server), the ground truth DIR/manifest.json, and the family's register in the\n"
    "import layout: DIR/units.csv, DIR/sites.csv, DIR/accounts.csv, so that\n"
    "  govwatch unit import DIR/units.csv\n"
    "  govwatch site import DIR/sites.csv\n"
    "  govwatch account import DIR/accounts.csv\n"
    "registers the family.\n"
    "\n"
    "Options:\n"
    "  --out DIR         the output directory (created if missing)\n" FAMILY_HELP;

struct gen_args {
  struct family_args fam;
  const char *out;
};

static int take_generate(void *ud, const struct opt_def *d, const char *val)
{
  struct gen_args *a = ud;
  bool taken;
  int rc = take_family(&a->fam, d, val, &taken);
  if (rc || taken)
    return rc;
  if (strcmp(d->name, "out") == 0) {
    if (!*val)
      return gw_cli_usage(a->fam.cmd, "--out: the directory name is empty");
    a->out = val;
  }
  return GW_OK;
}

static int join(char *buf, size_t size, const char *dir, const char *name)
{
  if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
    return gw_err_set(GW_EINVAL, "--out '%s': path too long", dir);
  return GW_OK;
}

static const struct gw_sample_site *site_of_unit(const struct gw_sample *s, const char *unit)
{
  for (size_t i = 0; i < gw_sample_site_count(s); i++)
    if (gw_str_eq(gw_sample_site_at(s, i)->unit, unit))
      return gw_sample_site_at(s, i);
  return NULL;
}

/* units.csv: every unit that runs a site, parents before children. */
static int write_units(const struct gw_sample *s, const char *path, size_t *count)
{
  static const char *const header[] = {"单位名称", "上级单位", "单位类型", "行政区划代码", "联系人"};
  struct gw_table t;
  gw_table_init(&t, header, 5);
  size_t n = gw_sample_site_count(s);
  struct gw_strv done = {NULL, 0, 0};
  int rc = GW_OK;
  bool progress = true;
  while (progress && rc == GW_OK) {
    progress = false;
    for (size_t i = 0; i < n && rc == GW_OK; i++) {
      const struct gw_sample_site *st = gw_sample_site_at(s, i);
      bool have = false, parent_ok = gw_str_empty(st->parent_unit);
      for (size_t j = 0; j < done.n; j++) {
        have = have || strcmp(done.v[j], st->unit) == 0;
        parent_ok = parent_ok || strcmp(done.v[j], st->parent_unit) == 0;
      }
      if (have || !parent_ok)
        continue;
      enum gw_unit_kind kind;
      rc = gw_unit_kind_parse(st->unit_kind, &kind);
      if (rc) {
        gw_err_prefix(rc, "site %s: unit %s", st->host, st->unit);
        break;
      }
      const char *row[] = {st->unit, st->parent_unit ? st->parent_unit : "",
                           gw_unit_kind_label(kind),
                           st->unit_region_code ? st->unit_region_code : "", ""};
      gw_table_add_row(&t, row, 5);
      gw_strv_push(&done, st->unit);
      progress = true;
    }
  }
  for (size_t i = 0; i < n && rc == GW_OK; i++) {
    const struct gw_sample_site *st = gw_sample_site_at(s, i);
    bool have = false;
    for (size_t j = 0; j < done.n; j++)
      have = have || strcmp(done.v[j], st->unit) == 0;
    if (!have)
      rc = gw_err_set(GW_EINVAL, "site %s: parent unit '%s' of '%s' runs no site of the family",
                      st->host, st->parent_unit, st->unit);
  }
  if (rc == GW_OK)
    rc = gw_table_write(path, &t, "units");
  if (rc == GW_OK)
    *count = done.n;
  gw_strv_free(&done);
  gw_table_free(&t);
  return rc;
}

static int write_sites(const struct gw_sample *s, const char *path)
{
  static const char *const header[] = {"网站名称", "网址",     "网站标识码", "网站类型",
                                       "所属单位", "主办单位", "主管单位",   "有无对外服务功能",
                                       "运行状态", "备注"};
  struct gw_table t;
  gw_table_init(&t, header, 10);
  for (size_t i = 0; i < gw_sample_site_count(s); i++) {
    const struct gw_sample_site *st = gw_sample_site_at(s, i);
    const char *row[] = {
      st->name,
      st->url,
      st->code,
      gw_site_kind_label(st->portal ? GW_SITE_PORTAL : GW_SITE_DEPARTMENT),
      st->unit,
      st->sponsor ? st->sponsor : "",
      st->supervisor ? st->supervisor : "",
      st->external_service ? "有" : "无",
      gw_site_status_label(GW_SITE_RUNNING),
      "",
    };
    gw_table_add_row(&t, row, 10);
  }
  int rc = gw_table_write(path, &t, "sites");
  gw_table_free(&t);
  return rc;
}

static int write_accounts(const struct gw_sample *s, const char *path)
{
  static const char *const header[] = {"账号名称", "账号类型", "开设主体", "认证主体",
                                       "账号地址", "运行状态", "备注"};
  struct gw_table t;
  gw_table_init(&t, header, 7);
  int rc = GW_OK;
  for (size_t i = 0; i < gw_sample_account_count(s) && rc == GW_OK; i++) {
    const struct gw_sample_account *ac = gw_sample_account_at(s, i);
    enum gw_platform p;
    rc = gw_platform_parse(ac->platform, &p);
    if (rc) {
      gw_err_prefix(rc, "account %s", ac->name);
      break;
    }
    if (!site_of_unit(s, ac->unit)) {
      rc = gw_err_set(GW_EINVAL, "account %s: unit '%s' runs no site of the family", ac->name,
                      ac->unit);
      break;
    }
    const char *row[] = {ac->name,
                         gw_platform_label(p),
                         ac->unit,
                         ac->cert_subject ? ac->cert_subject : "",
                         ac->url ? ac->url : "",
                         gw_account_status_label(GW_ACCOUNT_RUNNING),
                         ""};
    gw_table_add_row(&t, row, 7);
  }
  if (rc == GW_OK)
    rc = gw_table_write(path, &t, "accounts");
  gw_table_free(&t);
  return rc;
}

static int sample_generate(int argc, char **argv)
{
  static const struct opt_def defs[] = {FAMILY_OPTS, {"out", true}, {NULL, false}};
  struct gen_args a;
  memset(&a, 0, sizeof a);
  a.fam.cmd = "sample generate";
  gw_sample_opts_default(&a.fam.so);
  bool help;
  int rc = parse_opts(a.fam.cmd, argc, argv, defs, take_generate, &a, &help);
  if (rc)
    return rc;
  if (help) {
    fputs(g_generate_help, stdout);
    return GW_OK;
  }
  if (!a.out)
    return gw_cli_usage(a.fam.cmd, "--out DIR is required");

  struct gw_sample *s = NULL;
  char units[4096], sites[4096], accounts[4096];
  size_t nunits = 0;
  rc = join(units, sizeof units, a.out, "units.csv");
  if (!rc)
    rc = join(sites, sizeof sites, a.out, "sites.csv");
  if (!rc)
    rc = join(accounts, sizeof accounts, a.out, "accounts.csv");
  if (!rc)
    rc = new_family(&a.fam, &s);
  if (!rc && mkdir(a.out, 0777) != 0 && errno != EEXIST)
    rc = gw_err_set(GW_EIO, "--out '%s': %s", a.out, strerror(errno));
  if (!rc)
    rc = gw_sample_write_dir(s, a.out);
  if (!rc)
    rc = write_units(s, units, &nunits);
  if (!rc)
    rc = write_sites(s, sites);
  if (!rc)
    rc = write_accounts(s, accounts);
  if (!rc) {
    printf("wrote the pages of %zu sites and %s/manifest.json\n", gw_sample_site_count(s), a.out);
    printf("wrote %s (%zu units), %s (%zu sites), %s (%zu accounts)\n", units, nunits, sites,
           gw_sample_site_count(s), accounts, gw_sample_account_count(s));
  }
  gw_sample_free(&s);
  return rc;
}

/* ---- manifest ---- */

static const char g_manifest_help[] =
    "usage: govwatch sample manifest [options]\n"
    "\n"
    "Print the ground truth of the sample sites as JSON: every site and every planted\n"
    "defect (kind, site, URL, evidence values).\n"
    "\n"
    "Options:\n" FAMILY_HELP;

static int take_manifest(void *ud, const struct opt_def *d, const char *val)
{
  bool taken;
  return take_family(ud, d, val, &taken);
}

static int sample_manifest(int argc, char **argv)
{
  static const struct opt_def defs[] = {FAMILY_OPTS, {NULL, false}};
  struct family_args f;
  memset(&f, 0, sizeof f);
  f.cmd = "sample manifest";
  gw_sample_opts_default(&f.so);
  bool help;
  int rc = parse_opts(f.cmd, argc, argv, defs, take_manifest, &f, &help);
  if (rc)
    return rc;
  if (help) {
    fputs(g_manifest_help, stdout);
    return GW_OK;
  }
  struct gw_sample *s = NULL;
  rc = new_family(&f, &s);
  if (rc)
    return rc;
  char *json = gw_sample_manifest_json(s);
  if (!json) {
    rc = gw_err_set(GW_ENOMEM, "sample manifest: the manifest could not be made");
  } else {
    fputs(json, stdout);
    if (!gw_str_ends(json, "\n"))
      fputc('\n', stdout);
    if (fflush(stdout) != 0)
      rc = gw_err_set(GW_EIO, "sample manifest: writing stdout: %s", strerror(errno));
  }
  free(json);
  gw_sample_free(&s);
  return rc;
}

/* ---- the command ---- */

static const char g_sample_help[] =
    "usage: govwatch sample <verb> [options]\n"
    "\n"
    "The sample government sites: a generated county site family (portal, department\n"
    "sites, a few external hosts) with planted defects and their ground truth.\n"
    "\n"
    "Verbs:\n"
    "  serve      serve the sites on loopback, with optional fault modes\n"
    "  generate   write the pages, manifest.json and units/sites/accounts CSVs to a directory\n"
    "  manifest   print the ground truth as JSON\n"
    "\n"
    "Run 'govwatch sample <verb> --help' for a verb's options.\n";

int gw_cmd_sample(struct gw_cli *cli, int argc, char **argv)
{
  (void)cli;
  if (argc < 2)
    return gw_cli_usage("sample", "a verb is needed: serve, generate or manifest");
  const char *verb = argv[1];
  if (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0 || strcmp(verb, "help") == 0) {
    fputs(g_sample_help, stdout);
    return GW_OK;
  }
  if (strcmp(verb, "serve") == 0)
    return sample_serve(argc - 1, argv + 1);
  if (strcmp(verb, "generate") == 0)
    return sample_generate(argc - 1, argv + 1);
  if (strcmp(verb, "manifest") == 0)
    return sample_manifest(argc - 1, argv + 1);
  return gw_cli_usage("sample", "unknown verb '%s' (expected serve, generate or manifest)", verb);
}
