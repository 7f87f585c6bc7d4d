/* The availability monitor's records: probe slots with their verdicts, the
 * HTTP attempts behind each verdict, and sent alerts.
 *
 * A slot is one scheduled homepage probe of one site over one IP family at
 * one planned instant; (site_id, family, slot_at) is unique, which is what
 * makes the schedule crash-safe: a slot is begun (state RUNNING) before its
 * probe and finished (state DONE, with a verdict) after, so a restart finds
 * due-but-undone slots and re-runs a slot that was RUNNING when the process
 * died, and never runs a DONE slot twice. Times are Unix seconds (UTC),
 * durations microseconds. Enum values are stored as numbers and must never
 * be renumbered (add at the end). */
#ifndef GW_STORE_MONITOR_RECORDS_H
#define GW_STORE_MONITOR_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gw_slot_state { GW_SLOT_RUNNING = 1, GW_SLOT_DONE = 2 };

/* The judgement of one slot. UNKNOWN slots are left out of failure shares:
 * the site could not be judged (a WAF answered, or our own network was down). */
enum gw_avail_verdict { GW_AV_NONE = 0, GW_AV_OK = 1, GW_AV_FAIL = 2, GW_AV_UNKNOWN = 3 };

/* Why a slot failed or is unknown (GW_AR_NONE for OK). */
enum gw_avail_reason {
  GW_AR_NONE = 0,
  GW_AR_DNS = 1,       /* the host name does not resolve */
  GW_AR_REFUSED = 2,   /* connection refused or unreachable */
  GW_AR_TIMEOUT = 3,   /* not fully loaded within the time limit (15 s) */
  GW_AR_RESET = 4,     /* the connection closed or reset before a complete answer */
  GW_AR_TLS = 5,       /* TLS handshake or certificate failure */
  GW_AR_HTTP_5XX = 6,  /* a 5xx answer */
  GW_AR_HTTP_4XX = 7,  /* a 4xx answer other than 403/429 (the homepage does not open) */
  GW_AR_WAF = 8,       /* 403 or 429: a WAF or rate limit answered; unknown */
  GW_AR_OWN_NET = 9,   /* our own network was down (control URL failed, or every site failed at once); unknown */
  GW_AR_OTHER = 10,    /* anything else (protocol error, too many redirects, ...) */
  GW_AR_COUNT_
};

struct gw_avail_slot {
  int64_t id;
  int64_t site_id;
  int family;                 /* 4 or 6 */
  int64_t slot_at;            /* the planned instant (the schedule's pure function) */
  enum gw_slot_state state;
  int runs;                   /* times begun: 1, or more when a crash interrupted it */
  int64_t started_at;         /* when the latest run began */
  int64_t finished_at;        /* 0 while RUNNING */
  enum gw_avail_verdict verdict;
  enum gw_avail_reason reason;
  int http_status;            /* of the deciding attempt; 0 = none */
  int attempts;               /* HTTP requests to the site (2 when a failure was confirmed) */
  int64_t total_us;           /* total time of the deciding attempt */
  char *detail;               /* short English words (libcurl's error text, "confirmed", ...); may be NULL */
};

enum gw_probe_role { GW_PROBE_SITE = 1, GW_PROBE_CONTROL = 2 };

/* One HTTP attempt behind a slot: the first probe, its confirmation, or a
 * control-URL probe. */
struct gw_avail_probe {
  int64_t id;
  int64_t slot_id;
  int seq;                    /* 1, 2, ... within the slot */
  enum gw_probe_role role;
  int family;
  int64_t at;                 /* when it started */
  char *url;
  char *ip;                   /* address connected to; NULL if none */
  int64_t dns_us, connect_us, tls_us, ttfb_us, total_us; /* cumulative from the start, as libcurl reports */
  int http_status;            /* 0 = no answer */
  int error;                  /* enum gw_fetch_error (store/crawl_records.h), 0 = none */
  char *error_text;
  int64_t bytes;              /* body bytes received */
};

/* Alert kinds; values are stored. */
enum gw_alert_kind {
  GW_ALERT_DOWN = 1,       /* a confirmed failure after the site was up */
  GW_ALERT_RECOVERED = 2,  /* the first success after DOWN */
  GW_ALERT_WARN = 3,       /* the rolling 7-day failure share reached the pre-warning level */
  GW_ALERT_VETO = 4,       /* ... reached the veto threshold (站点无法访问) */
  GW_ALERT_FINDING = 5,    /* a veto-level finding of a check (defacement, hidden link, privacy leak);
                              kept in finding_alerts (store/jobs_store.h), never in alerts */
  GW_ALERT_COUNT_
};

struct gw_alert_row {
  int64_t id;
  int64_t site_id;
  int family;
  enum gw_alert_kind kind;
  int64_t at;              /* the event's time (the slot's) */
  bool muted;              /* detected but not sent (a repeat inside the mute window) */
  int sent;                /* channels delivered to */
  int failed;              /* channels that failed */
  char *text;              /* the Chinese message */
};

void gw_avail_slot_clear(struct gw_avail_slot *s);
void gw_avail_probe_clear(struct gw_avail_probe *p);
void gw_alert_row_clear(struct gw_alert_row *a);

struct gw_avail_slot_list { struct gw_avail_slot *v; size_t n; };
struct gw_avail_probe_list { struct gw_avail_probe *v; size_t n; };
struct gw_alert_list { struct gw_alert_row *v; size_t n; };
void gw_avail_slot_list_free(struct gw_avail_slot_list *l);
void gw_avail_probe_list_free(struct gw_avail_probe_list *l);
void gw_alert_list_free(struct gw_alert_list *l);

/* English keywords ("ok", "dns", "down") and Chinese labels (正常, 域名解析失败,
 * 站点无法访问); never NULL ("?" out of range). */
const char *gw_avail_verdict_key(enum gw_avail_verdict v);
const char *gw_avail_verdict_label(enum gw_avail_verdict v);
const char *gw_avail_reason_key(enum gw_avail_reason r);
const char *gw_avail_reason_label(enum gw_avail_reason r);
const char *gw_alert_kind_key(enum gw_alert_kind k);
const char *gw_alert_kind_label(enum gw_alert_kind k);

#endif
