/* Availability alerts: events detected from finished probe slots, muted
 * when they repeat inside a window, written to the store, and delivered to
 * webhooks (generic JSON, DingTalk robot, WeCom robot) and e-mail (SMTP
 * through libcurl). What people read is Chinese.
 *
 * Events, per site and IP family: DOWN (a confirmed failure while the site
 * was last announced up, or never announced), RECOVERED (the first OK after
 * DOWN), WARN and VETO (the rolling 7-day failure share crossed the
 * pre-warning level or the veto threshold upwards with this slot). A DOWN,
 * WARN or VETO within mute_s of the last sent one of the same kind is kept
 * as a muted row and not sent; a RECOVERED is muted exactly when the DOWN
 * it ends was. */
#ifndef GW_MONITOR_ALERT_H
#define GW_MONITOR_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "monitor/avail.h"
#include "store/monitor_records.h"
#include "store/store.h"

enum gw_channel_kind {
  GW_CHANNEL_JSON = 1,     /* generic webhook: POST of a JSON object */
  GW_CHANNEL_DINGTALK = 2, /* 钉钉 robot: {"msgtype":"markdown","markdown":{"title","text"}} */
  GW_CHANNEL_WECOM = 3,    /* 企业微信 robot: {"msgtype":"markdown","markdown":{"content"}} */
  GW_CHANNEL_SMTP = 4      /* e-mail through smtp:// or smtps:// */
};

struct gw_alert_channel {
  enum gw_channel_kind kind;
  const char *url;                  /* webhook URL, or smtp://host:port */
  const char *mail_from;            /* SMTP only */
  const char *const *mail_to;       /* SMTP only */
  size_t n_mail_to;
  const char *user, *password;      /* SMTP AUTH, optional */
};

struct gw_alert_cfg {
  const struct gw_alert_channel *channels;
  size_t n_channels;
  int64_t mute_s;                   /* monitor.alert_mute, default 3600 */
  struct gw_avail_thresholds thresholds;
  long timeout_ms;                  /* per delivery, default 10000 */
  /* Observer (the service's metrics): called for every alert detected,
   * with the channels it was delivered to and those that failed. */
  void (*on_alert)(void *ctx, enum gw_alert_kind kind, bool muted, int sent, int failed);
  void *alert_ctx;
};

void gw_alert_cfg_default(struct gw_alert_cfg *c);

/* A finding behind a GW_ALERT_FINDING event (borrowed strings; the
 * texts are the check's, already masked). */
struct gw_alert_finding {
  const char *check, *rule, *severity_label, *title, *detail, *url, *locator, *fingerprint;
};

/* What an alert says, for the payload builders. */
struct gw_alert_event {
  enum gw_alert_kind kind;
  int64_t site_id;
  const char *site_name;
  const char *url;
  int family;
  int64_t at;
  enum gw_avail_reason reason;      /* DOWN: the slot's reason */
  int fail_bp;                      /* the rolling 7-day share after the slot */
  int64_t probes, fails;            /* ... and its counts */
  int64_t down_since;               /* RECOVERED: when the outage began (0 unknown) */
  const struct gw_alert_finding *finding; /* FINDING only */
};

/* The Chinese text of an event (one paragraph; caller frees). */
char *gw_alert_text(const struct gw_alert_event *e);
/* Payloads (JSON, caller frees): generic, DingTalk robot, WeCom robot. */
char *gw_alert_payload_json(const struct gw_alert_event *e);
char *gw_alert_payload_dingtalk(const struct gw_alert_event *e);
char *gw_alert_payload_wecom(const struct gw_alert_event *e);
/* The e-mail (RFC 5322 with a UTF-8 Subject encoded per RFC 2047, base64
 * body), with CRLF line ends; caller frees. */
char *gw_alert_mail(const struct gw_alert_event *e, const char *from, const char *const *to, size_t n_to);

/* Deliver one event to one channel. GW_ENET naming the channel's URL and
 * what went wrong when the request failed, the answer was not 2xx, or a
 * robot answered a non-zero errcode. */
int gw_alert_send(const struct gw_alert_channel *ch, const struct gw_alert_event *e, long timeout_ms);

/* Deliver a FINDING event to every channel of cfg (cfg->on_alert is told);
 * *sent and *failed receive the counts. Failed deliveries are logged, never
 * an error. */
void gw_alert_deliver(const struct gw_alert_cfg *cfg, const struct gw_alert_event *e, int *sent, int *failed);

/* Detect the events of a finished slot (see the top of this file), write
 * each as an alert row and deliver those not muted to every channel.
 * `site_name` and `url` are the site's. *n_alerts (if non-NULL) is
 * increased by the rows written. A failed delivery is counted in the row
 * (failed) and logged, never an error; store errors are. */
int gw_alert_on_slot(struct gw_store *st, const struct gw_alert_cfg *cfg, const struct gw_avail_slot *slot,
                     const char *site_name, const char *url, int64_t *n_alerts);

#endif
