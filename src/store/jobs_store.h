/* The service's job queue (migration 5): the scheduled work of
 * `govwatch serve` other than the homepage probes, which are slots
 * (monitor_store.h) with the same contract.
 *
 * A job is identified by (kind, site, due_at): adding it twice is a no-op,
 * so a restarted service that plans the same day again adds nothing. A job
 * is claimed (PENDING -> RUNNING, attempts + 1) in one transaction, and
 * finished DONE, or put back PENDING with a later next_at after a failure
 * until its attempts are used up (FAILED). A job found RUNNING when the
 * service starts was running when a process died: gw_store_job_release
 * puts it back to PENDING so it is retried; the crawl and check runners it
 * calls resume or replace their own partial work, so nothing is done twice.
 * Finishing a crawl job adds its check job in the same transaction, so a
 * crash between the two can lose neither. Same error rules as store.h;
 * only the SQLite engine implements them (GW_EDB saying so elsewhere). */
#ifndef GW_STORE_JOBS_STORE_H
#define GW_STORE_JOBS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Values are stored; never renumber. */
enum gw_job_kind {
  GW_JOB_CRAWL = 1,      /* the daily incremental crawl of a site */
  GW_JOB_CHECK = 2,      /* the checks on that crawl (added when the crawl job is done) */
  GW_JOB_INSPECTION = 3, /* the quarterly full inspection of every site (site_id 0) */
  GW_JOB_KIND_COUNT_
};

enum gw_job_state { GW_JOB_PENDING = 1, GW_JOB_RUNNING = 2, GW_JOB_DONE = 3, GW_JOB_FAILED = 4, GW_JOB_STATE_COUNT_ };

struct gw_job {
  int64_t id;
  enum gw_job_kind kind;
  int64_t site_id;       /* 0 for an inspection */
  int64_t due_at;        /* the planned instant: part of the identity */
  enum gw_job_state state;
  int attempts;          /* times claimed */
  int64_t next_at;       /* not claimed before this (due_at, later after a failure) */
  int64_t started_at, finished_at; /* of the latest attempt; 0 = none */
  int64_t ref_id;        /* what it made: the crawl id, the check run id; 0 = none */
  char *detail;          /* the last error or a short result, English; may be NULL */
};

struct gw_job_list { struct gw_job *v; size_t n; };

void gw_job_clear(struct gw_job *j);
void gw_job_list_free(struct gw_job_list *l);
/* "crawl", "check", "inspection" / "pending", "running", "done", "failed"; "?" out of range. */
const char *gw_job_kind_key(enum gw_job_kind k);
const char *gw_job_state_key(enum gw_job_state s);

/* Add job (kind, site_id, due_at) PENDING with next_at = due_at unless it
 * exists (in any state). *added (if non-NULL) says which. GW_EINVAL for a
 * bad kind or an inspection with a site / another kind without one;
 * GW_ENOTFOUND for an unknown site. */
int gw_store_job_add(struct gw_store *st, enum gw_job_kind kind, int64_t site_id, int64_t due_at, bool *added);
/* Claim the PENDING job with the smallest next_at <= now (then id): it
 * becomes RUNNING with attempts + 1 and started_at = now; *out receives it.
 * GW_ENOTFOUND when nothing is due. */
int gw_store_job_claim(struct gw_store *st, int64_t now, struct gw_job *out);
/* Finish RUNNING job `id` DONE at `now` with ref_id and detail (may be
 * NULL); when `then` is not 0, add job (then, the job's site, its due_at)
 * in the same transaction. GW_ENOTFOUND if `id` is not RUNNING. */
int gw_store_job_done(struct gw_store *st, int64_t id, int64_t now, int64_t ref_id, const char *detail,
                      enum gw_job_kind then);
/* A RUNNING job failed at `now` (detail says why): back to PENDING with
 * next_at, or FAILED when its attempts reached max_attempts. *failed (if
 * non-NULL) says which. GW_ENOTFOUND if `id` is not RUNNING. */
int gw_store_job_fail(struct gw_store *st, int64_t id, int64_t now, int64_t next_at, const char *detail,
                      int max_attempts, bool *failed);
/* Put every RUNNING job back to PENDING (attempts kept): at start, for jobs
 * of a process that died, and at shutdown for work interrupted on purpose
 * (then `refund` takes back the attempt, which was not the job's fault).
 * *n (if non-NULL) = jobs released. */
int gw_store_job_release(struct gw_store *st, bool refund, int64_t *n);
/* Jobs with from <= due_at < to ordered by (due_at, kind, site_id). */
int gw_store_job_list(struct gw_store *st, int64_t from, int64_t to, struct gw_job_list *out);
/* Counts by state (index enum gw_job_state; [0] unused), and in due[] the
 * PENDING jobs with next_at <= now by kind (index enum gw_job_kind). */
int gw_store_job_counts(struct gw_store *st, int64_t now, int64_t by_state[GW_JOB_STATE_COUNT_],
                        int64_t due[GW_JOB_KIND_COUNT_]);

/* Veto-level findings already announced: one alert per finding identity
 * (fingerprint). Record that finding `fingerprint` of site_id was
 * announced at `at`, with the deliveries made; *added false when it was
 * recorded before (then nothing is written and the caller must not send). */
int gw_store_finding_alert_add(struct gw_store *st, int64_t site_id, const char *fingerprint, const char *rule,
                               int64_t at, bool *added);
/* Set the deliveries of a recorded finding alert. */
int gw_store_finding_alert_sent(struct gw_store *st, int64_t site_id, const char *fingerprint, int sent, int failed);
/* How many finding alerts are recorded for site_id (0 = every site). */
int gw_store_finding_alert_count(struct gw_store *st, int64_t site_id, int64_t *out);

#endif
