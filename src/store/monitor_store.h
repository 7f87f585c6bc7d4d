/* The store functions of the availability monitor (migration 4).
 *
 * Kept in their own header beside store.h so the monitor's additions stay
 * apart from other modules' (see monitor_records.h for the records). Same
 * rules as store.h: a gw_err code, gw_err_msg() on failure, out-parameters
 * written only on success, writes refused on a read-only store. Only the
 * SQLite engine implements them today: on another engine they return GW_EDB
 * saying so. */
#ifndef GW_STORE_MONITOR_STORE_H
#define GW_STORE_MONITOR_STORE_H

#include <stdint.h>

#include "store/monitor_records.h"
#include "store/store.h"

/* Begin slot (site_id, family, slot_at) at `now`: create it RUNNING, or take
 * over a RUNNING one left by a process that died (runs + 1, started_at =
 * now). *out receives the slot (caller clears it). GW_EEXIST when the slot is
 * already DONE (it must not run twice), GW_ENOTFOUND for an unknown site,
 * GW_EINVAL for a family other than 4 or 6. One transaction. */
int gw_store_slot_begin(struct gw_store *st, int64_t site_id, int family, int64_t slot_at, int64_t now,
                        struct gw_avail_slot *out);
/* Record the outcome of RUNNING slot s->id: state DONE, finished_at,
 * verdict, reason, http_status, attempts, total_us, detail. GW_ENOTFOUND if
 * there is no such slot, GW_EEXIST if it is DONE already, GW_EINVAL for a
 * missing verdict. */
int gw_store_slot_finish(struct gw_store *st, const struct gw_avail_slot *s);
/* Change the verdict of DONE slot `id` (a slot found, after the fact, to
 * fall in a loss of our own network becomes UNKNOWN/GW_AR_OWN_NET).
 * GW_ENOTFOUND if there is no such DONE slot. */
int gw_store_slot_reclassify(struct gw_store *st, int64_t id, enum gw_avail_verdict v, enum gw_avail_reason r);
/* Slots with from <= slot_at < to, ordered by (slot_at, site_id, family);
 * site_id 0 = every site, family 0 = both. */
int gw_store_slot_list(struct gw_store *st, int64_t site_id, int family, int64_t from, int64_t to,
                       struct gw_avail_slot_list *out);
/* The DONE slot of a site and family latest before `before` whose verdict
 * is OK or FAIL (UNKNOWN ones are passed over); GW_ENOTFOUND if none. */
int gw_store_slot_last_judged(struct gw_store *st, int64_t site_id, int family, int64_t before,
                              struct gw_avail_slot *out);

/* Add an attempt (p->id must be 0, slot p->slot_id must exist); sets p->id. */
int gw_store_probe_insert(struct gw_store *st, struct gw_avail_probe *p);
/* The attempts of a slot ordered by seq. */
int gw_store_probe_list(struct gw_store *st, int64_t slot_id, struct gw_avail_probe_list *out);

/* Add an alert row; sets a->id. */
int gw_store_alert_insert(struct gw_store *st, struct gw_alert_row *a);
/* The latest alert of (site_id, family, kind) that was not muted, at or
 * before `before`; GW_ENOTFOUND if none. For the mute window. */
int gw_store_alert_last_sent(struct gw_store *st, int64_t site_id, int family, enum gw_alert_kind kind,
                             int64_t before, struct gw_alert_row *out);
/* The latest alert of (site_id, family) among `kinds` (a bit set of
 * 1 << kind), muted or not, at or before `before`; GW_ENOTFOUND if none.
 * Tells the alert module which state a site was last announced in. */
int gw_store_alert_last_of(struct gw_store *st, int64_t site_id, int family, unsigned kinds, int64_t before,
                           struct gw_alert_row *out);
/* Alerts with from <= at < to ordered by (at, id); site_id 0 = every site. */
int gw_store_alert_list(struct gw_store *st, int64_t site_id, int64_t from, int64_t to, struct gw_alert_list *out);

#endif
