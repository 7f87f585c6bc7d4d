/* Inspectors' column classes (migration `column_overrides`).
 *
 * An inspector may say that a column (by its first list page's URL) of a
 * site belongs to another class than its title suggests; the columns check
 * (checks/columns.h) uses the stored class from its next run on. Kept in its
 * own header beside store.h, like the monitor's functions. Same rules as
 * store.h: a gw_err code, gw_err_msg() on failure, out-parameters written
 * only on success, writes refused on a read-only store. Only the SQLite
 * engine implements them today: on another engine they return GW_EDB saying
 * so. The class is stored as its English key (checks/columns.h) and
 * validated by the caller; the store only requires it non-empty. */
#ifndef GW_STORE_COLUMN_STORE_H
#define GW_STORE_COLUMN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct gw_column_override {
  int64_t id;
  int64_t site_id;
  char *url;          /* the column's first list page, normalised */
  char *cls;          /* class key, e.g. "personnel" */
  char *reason;       /* why, in the inspector's words */
  int64_t created_at; /* when it was set (Unix seconds) */
};

struct gw_column_override_list {
  struct gw_column_override *v;
  size_t n;
};

void gw_column_override_clear(struct gw_column_override *o);
void gw_column_override_list_free(struct gw_column_override_list *l);

/* Set the class of column `url` of site `site_id` (replacing an earlier
 * one: o->id and created_at are then the new row's). url, cls and reason
 * must be non-empty (GW_EINVAL naming the field); GW_ENOTFOUND for an
 * unknown site. Sets o->id. */
int gw_store_column_override_set(struct gw_store *st, struct gw_column_override *o);
/* Remove it; GW_ENOTFOUND naming the URL when there is none. */
int gw_store_column_override_unset(struct gw_store *st, int64_t site_id, const char *url);
/* The overrides of a site ordered by URL (site_id 0: of every site, by
 * site then URL). */
int gw_store_column_override_list(struct gw_store *st, int64_t site_id, struct gw_column_override_list *out);

#endif
