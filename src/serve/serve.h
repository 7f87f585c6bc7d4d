/* The monitoring service behind `govwatch serve`: the homepage probe
 * schedule (monitor/monitor.h), the job queue of daily crawls and checks
 * and the quarterly inspection (store/jobs_store.h), alerts, and the
 * Prometheus /metrics endpoint, in one foreground process.
 *
 * Worker threads, each with its own store connection: probe_workers
 * probers, each running gw_monitor_run on its shard of the sites (site id
 * modulo probe_workers), and the job runner, which plans and runs jobs. A
 * crawl therefore never delays a probe slot, and a slow site delays only
 * its own shard. Everything the service does is kept in the
 * store as it happens, so a restart after a crash (SIGKILL included) runs
 * what is due and not done, retries what was running, and repeats nothing
 * finished. A stop request (*stop set by a SIGTERM/SIGINT handler) makes
 * both threads finish the probe in hand, interrupt a running crawl (which
 * the next start resumes) and put its job back in the queue. */
#ifndef GW_SERVE_SERVE_H
#define GW_SERVE_SERVE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "checks/check.h"
#include "fetch/crawl.h"
#include "monitor/alert.h"
#include "monitor/monitor.h"

/* The inspection entry point the INSPECTION job calls: run a full
 * inspection of every site as of `as_of` in `st`; on success *ref_id may
 * name what it made (an inspection id). `govwatch serve` passes one that
 * runs inspect/inspect.h's gw_inspect_run; without one gw_serve_run
 * refuses monitor.inspection. */
/* The most probe threads gw_serve_run starts (monitor.probe_workers). */
#define GW_SERVE_MAX_PROBERS 64

typedef int (*gw_serve_inspect_fn)(void *ctx, struct gw_store *st, int64_t as_of, int64_t *ref_id);

struct gw_serve_opts {
  const char *db;                  /* store URI; each thread opens its own connection */
  struct gw_monitor_opts monitor;  /* the probe schedule; monitor.alerts = availability alerts or NULL */
  bool probes;                     /* run the probe schedule; default true */
  int probe_workers;               /* probe threads, each a shard of the sites, 1..GW_SERVE_MAX_PROBERS; default 1 */
  bool crawl;                      /* a daily crawl + check job per running site; default true */
  int crawl_at_min;                /* when the daily job is due, minutes after Shanghai midnight; default 120 */
  bool inspection;                 /* an INSPECTION job on the first day of each quarter at crawl_at */
  int job_attempts;                /* tries of a failing job; default 3 */
  int64_t retry_s;                 /* wait before a failed job is tried again; default 600 */
  int64_t plan_every_s;            /* how often the job planner looks for new sites; default 3600 */
  struct gw_crawl_opts crawl_opts; /* the service sets .stop and clears .progress */
  struct gw_check_run_opts check_opts;
  const struct gw_alert_cfg *alerts; /* channels for finding alerts; NULL = none */
  gw_serve_inspect_fn inspect;
  void *inspect_ctx;
  const char *listen;              /* "ADDR:PORT" of /metrics (port 0 = any free port); NULL = none */
  const char *ready_file;          /* written with the metrics port once listening (tests); NULL = none */
  bool once;                       /* run what is due now, then return */
  int64_t until;                   /* stop when the clock reaches this; 0 = never */
  double speed;                    /* clock rate: 1 = real time; N > 1 makes service time run N times faster
                                      from gw_now() at start (tests, demos); default 1 */
  volatile sig_atomic_t *stop;     /* set by a signal handler; required */
};

void gw_serve_opts_default(struct gw_serve_opts *o);

/* What a gw_serve_run did. */
struct gw_serve_report {
  struct gw_monitor_stats probes;
  int64_t jobs_done, jobs_retried, jobs_failed, jobs_released, finding_alerts;
  int metrics_port;                /* the port /metrics listened on, 0 = none */
};

/* Run the service until *stop, o->until, or (o->once) until what is due
 * now is done. Returns GW_OK after a clean stop; GW_EINVAL for bad options
 * (no stop flag, a bad listen address, inspection without an entry point,
 * speed < 1), GW_EIO when the metrics address cannot be bound, or the first
 * store error of a worker (which stops the other). Jobs left RUNNING by a
 * dead process are put back to PENDING before the workers start. */
int gw_serve_run(const struct gw_serve_opts *o, struct gw_serve_report *out);

/* The metrics text (Prometheus exposition format 0.0.4) as served at
 * /metrics, for tests: caller frees. NULL before gw_serve_run started. */
char *gw_serve_metrics_text(void);

#endif
