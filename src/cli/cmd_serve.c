/* govwatch serve: the monitoring service in the foreground (serve/serve.h),
 * configured from the monitor.*, network.* and crawl.* keys. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "cli/common.h"
#include "cli/inspect_cli.h"
#include "core/alloc.h"
#include "core/date.h"
#include "core/error.h"
#include "core/log.h"
#include "inspect/inspect.h"
#include "monitor/alert.h"
#include "register/register.h"
#include "serve/serve.h"

#define CMD "serve"
#define OPT_END {NULL, NULL, NULL, false, NULL, false}

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
  (void)sig;
  g_stop = 1;
}

/* What the quarterly INSPECTION job needs besides the store it is given. */
struct serve_inspect_ctx {
  const struct gw_config *cfg;
  const struct gw_probe_opts *probe;
  volatile sig_atomic_t *stop;
};

/* The INSPECTION job (serve/serve.h): the job falls due on a quarter's
 * first day, so it inspects the quarter that just ended, as of that
 * quarter's last second (as `govwatch inspect --all --quarter` does), with
 * the national rules, every running site and account, and the same crawl, check and
 * availability settings as the command. Re-running it continues the same
 * recorded inspection (gw_inspect_run finds it by quarter). */
static int serve_inspect(void *vctx, struct gw_store *st, int64_t due, int64_t *ref_id)
{
  const struct serve_inspect_ctx *x = vctx;
  struct gw_civil c;
  gw_civil_from_time(due - 1, &c); /* the instant before the quarter's start */
  char quarter[16];
  snprintf(quarter, sizeof quarter, "%dQ%d", c.year, (c.month - 1) / 3 + 1);
  struct gw_inspect_opts o;
  memset(&o, 0, sizeof o);
  o.quarter = quarter;
  char *rules = gw_cli_rules_path(NULL, NULL);
  o.rules_path = rules;
  struct gw_crawl_opts co;
  gw_crawl_opts_from_config(&co, x->cfg);
  co.stop = x->stop;
  o.crawl = &co;
  o.config = x->cfg;
  o.probe = gw_check_probe_network;
  o.probe_ctx = (void *)x->probe;
  gw_avail_thresholds_default(&o.avail);
  struct gw_site_list all = {0}, run = {0};
  struct gw_account_list accts = {0}; /* every running account, as inspect --all */
  struct gw_inspect_report rep;
  memset(&rep, 0, sizeof rep);
  int rc = gw_store_site_list(st, 0, &all);
  if (rc == GW_OK && (rc = gw_store_account_list(st, 0, &accts)) == GW_OK)
    o.accounts = &accts;
  if (rc == GW_OK) {
    run.v = gw_calloc(all.n ? all.n : 1, sizeof *run.v);
    for (size_t i = 0; i < all.n; i++)
      if (all.v[i].status == GW_SITE_RUNNING)
        gw_reg_site_copy(&run.v[run.n++], &all.v[i]);
    if (run.n == 0)
      rc = gw_err_set(GW_ENOTFOUND, "quarterly inspection %s: no registered site is running", quarter);
    else
      rc = gw_inspect_run(st, &run, &o, &rep);
  }
  if (rc == GW_OK) {
    *ref_id = rep.insp.id;
    gw_info("serve: inspection %lld of %s: %zu sites, %zu pass, %zu fail, %zu undetermined; %zu accounts",
            (long long)rep.insp.id, quarter, rep.sites, rep.pass, rep.fail, rep.undetermined, rep.accounts);
  }
  gw_inspect_report_clear(&rep);
  gw_account_list_free(&accts);
  gw_site_list_free(&run);
  gw_site_list_free(&all);
  free(rules);
  return rc;
}

/* The alert channels of monitor.alerts (strings borrowed from cfg). */
static struct gw_alert_channel *channels_from_config(const struct gw_config_monitor *m)
{
  struct gw_alert_channel *ch = gw_calloc(m->n_alerts ? m->n_alerts : 1, sizeof *ch);
  for (size_t i = 0; i < m->n_alerts; i++) {
    const struct gw_config_alert *a = &m->alerts[i];
    ch[i].kind = strcmp(a->type, "dingtalk") == 0 ? GW_CHANNEL_DINGTALK
                 : strcmp(a->type, "wecom") == 0  ? GW_CHANNEL_WECOM
                 : strcmp(a->type, "smtp") == 0   ? GW_CHANNEL_SMTP
                                                  : GW_CHANNEL_JSON;
    ch[i].url = a->url;
    ch[i].mail_from = a->from;
    ch[i].mail_to = (const char *const *)a->to.v;
    ch[i].n_mail_to = a->to.n;
    ch[i].user = a->user;
    ch[i].password = a->password;
  }
  return ch;
}


static void serve_opts_from_config(struct gw_serve_opts *o, const struct gw_config *cfg)
{
  const struct gw_config_monitor *m = &cfg->monitor;
  gw_serve_opts_default(o);
  struct gw_monitor_opts *mo = &o->monitor;
  mo->slots_per_day = (int)m->probes_per_day;
  mo->seed = (uint64_t)m->seed;
  mo->ipv4 = m->ipv4;
  mo->ipv6 = m->ipv6;
  mo->control_urls = (const char *const *)m->control_urls.v;
  mo->n_control_urls = m->control_urls.n;
  mo->net_window_s = m->net_window_s;
  mo->net_min_sites = (int)m->net_min_sites;
  mo->catchup_s = m->catchup_s;
  mo->probe.timeout_ms = m->timeout_s * 1000;
  mo->probe.connect_timeout_ms = m->timeout_s * 1000;
  mo->probe.user_agent = cfg->user_agent;
  mo->probe.connect_to = (const char *const *)cfg->connect_to.v;
  mo->probe.n_connect_to = cfg->connect_to.n;
  mo->probe.mapped_only = cfg->mapped_only;
  mo->probe.max_body = (long)cfg->max_body;
  o->crawl = m->crawl;
  o->crawl_at_min = m->crawl_at_min;
  o->inspection = m->inspection;
  o->job_attempts = (int)m->job_attempts;
  o->probe_workers = (int)m->probe_workers;
  o->listen = m->listen;
  gw_crawl_opts_from_config(&o->crawl_opts, cfg);
}

static const char g_desc[] =
    "Run the monitoring service in the foreground (logs on stderr; see contrib/govwatch.service):\n"
    "the homepage availability probes of every running site (monitor.probes_per_day a day over\n"
    "IPv4 and IPv6, failures confirmed at once), a daily incremental crawl and check of each\n"
    "running site at monitor.crawl_at, the quarterly inspection when monitor.inspection is set,\n"
    "alerts to monitor.alerts as events happen, and Prometheus metrics at /metrics on\n"
    "monitor.listen or --listen. Everything is kept in the store as it happens: after a restart,\n"
    "a crash or kill -9 the service runs what is due and not done, retries what was running and\n"
    "repeats nothing finished. SIGTERM or SIGINT stops it cleanly (exit status 0): the probe in\n"
    "hand is finished, a running crawl is interrupted and resumed at the next start.\n"
    "--once runs what is due now (probe slots of the catch-up window, due jobs) and exits.";

int gw_cmd_serve(struct gw_cli *cli, int argc, char **argv)
{
  struct gw_opt opts[] = {
    {"once", NULL, "run what is due now, then exit", false, NULL, false},
    {"until", "TIME", "stop when the service clock reaches TIME (YYYY-MM-DD [HH:MM[:SS]], Shanghai)", false, NULL,
     false},
    {"listen", "ADDR:PORT", "serve /metrics here (overrides monitor.listen; port 0 = any free port)", false, NULL,
     false},
    {"ready-file", "FILE", "write the metrics port to FILE once listening (for scripts and tests)", false, NULL,
     false},
    {"speed", "N", "run the service clock N times faster than real time from GW_NOW or now (tests, demos)", false,
     NULL, false},
    OPT_END,
  };
  bool help = false;
  int npos = 0;
  int rc = gw_cli_parse(CMD, opts, argc, argv, NULL, 0, 0, NULL, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch serve [--once] [--until TIME] [--listen ADDR:PORT] [--speed N]", g_desc, opts);
    return GW_OK;
  }
  struct gw_serve_opts o;
  serve_opts_from_config(&o, &cli->cfg);
  const char *v;
  if ((v = gw_cli_opt(opts, "until")) && gw_time_parse(v, &o.until))
    return gw_cli_opt_err(GW_EUSAGE, CMD, "until", v);
  if ((v = gw_cli_opt(opts, "listen"))) {
    size_t n = strlen(v);
    /* port 0 (any free port) is for tests; the config check wants 1..65535 */
    bool any = n > 2 && strcmp(v + n - 2, ":0") == 0;
    char probe[160];
    snprintf(probe, sizeof probe, "%.*s%s", (int)(any ? n - 1 : n), v, any ? "1" : "");
    if (gw_config_check_listen(probe))
      return gw_cli_opt_err(GW_EUSAGE, CMD, "listen", v);
    o.listen = v;
  }
  o.ready_file = gw_cli_opt(opts, "ready-file");
  if ((v = gw_cli_opt(opts, "speed"))) {
    int64_t n = 0;
    if (gw_parse_i64(v, &n) || n < 1 || n > 1000000)
      return gw_cli_usage(CMD, "--speed '%s' must be a whole number from 1 to 1000000", v);
    o.speed = (double)n;
  }
  o.once = gw_cli_opt(opts, "once") != NULL;
  if (o.once && o.until)
    return gw_cli_usage(CMD, "--once and --until exclude each other");
  if (o.ready_file && !o.listen)
    return gw_cli_usage(CMD, "--ready-file needs --listen or monitor.listen");

  struct gw_store *st;
  if ((rc = gw_cli_store(cli, &st)))
    return rc; /* opens and migrates the store once, before the workers open theirs */
  o.db = cli->db ? cli->db : cli->cfg.db;

  struct gw_alert_channel *channels = channels_from_config(&cli->cfg.monitor);
  struct gw_alert_cfg acfg;
  gw_alert_cfg_default(&acfg);
  acfg.channels = channels;
  acfg.n_channels = cli->cfg.monitor.n_alerts;
  acfg.mute_s = cli->cfg.monitor.alert_mute_s;
  acfg.thresholds.warn_bp = cli->cfg.monitor.warn_bp;
  acfg.thresholds.veto_bp = cli->cfg.monitor.veto_bp;
  if (acfg.n_channels) {
    o.monitor.alerts = &acfg;
    o.alerts = &acfg;
  }
  struct gw_probe_opts po;
  gw_probe_opts_from_config(&po, &cli->cfg);
  o.check_opts.probe = gw_check_probe_network;
  o.check_opts.probe_ctx = &po;
  o.check_opts.config = &cli->cfg;
  struct serve_inspect_ctx ictx = {&cli->cfg, &po, &g_stop};
  o.inspect = serve_inspect;
  o.inspect_ctx = &ictx;

  struct sigaction sa, old_int, old_term;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  g_stop = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  o.stop = &g_stop;

  char when[40];
  gw_log(GW_LOG_WARN, "serve: started at %s: %d probes a day per site and family (%s%s%s), daily crawl %s%s",
         gw_time_format(gw_now(), when, sizeof when), (int)cli->cfg.monitor.probes_per_day,
         o.monitor.ipv4 ? "IPv4" : "", o.monitor.ipv4 && o.monitor.ipv6 ? ", " : "", o.monitor.ipv6 ? "IPv6" : "",
         o.crawl ? "on" : "off", o.once ? "; --once" : "");
  struct gw_serve_report rep;
  rc = gw_serve_run(&o, &rep);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  free(channels);
  if (rc)
    return rc;
  gw_log(GW_LOG_WARN,
         "serve: stopped%s: %lld probe slots (ok %lld, failed %lld, unknown %lld, resumed %lld, missed %lld), "
         "%lld requests, %lld alerts; jobs done %lld, retried %lld, failed %lld, released %lld; finding alerts %lld",
         g_stop ? " on a signal" : "", (long long)rep.probes.slots, (long long)rep.probes.ok,
         (long long)rep.probes.fail, (long long)rep.probes.unknown, (long long)rep.probes.resumed,
         (long long)rep.probes.missed, (long long)rep.probes.requests, (long long)rep.probes.alerts,
         (long long)rep.jobs_done, (long long)rep.jobs_retried, (long long)rep.jobs_failed,
         (long long)rep.jobs_released, (long long)rep.finding_alerts);
  return GW_OK;
}
