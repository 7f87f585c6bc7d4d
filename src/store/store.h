/* The store: everything GovWatch keeps, behind one interface.
 *
 * Callers never see SQL. An implementation (sqlite.c now, pg.c later)
 * provides `struct gw_store_ops` (store_impl.h); gw_store_open picks it by
 * the URI: a plain path or "sqlite:PATH" opens SQLite, "postgresql://..."
 * PostgreSQL. Opening applies pending numbered migrations in one transaction
 * and refuses (GW_ESCHEMA) a database whose schema is newer than this build.
 *
 * Every function returns a gw_err code and sets gw_err_msg() on failure.
 * Out-parameters are written only on success. Writes outside an explicit
 * gw_store_begin/commit are each their own transaction; a crash loses no
 * committed write (SQLite: WAL + synchronous=FULL).
 *
 * Uniqueness is enforced here and reported as GW_EEXIST naming the field:
 * unit (parent, name); site url; site code; account (platform, name).
 * Deleting a unit that sites, accounts or child units refer to gives
 * GW_EINUSE. */
#ifndef GW_STORE_STORE_H
#define GW_STORE_STORE_H

#include <stdint.h>

#include "store/records.h"

struct gw_store;

enum { GW_STORE_READONLY = 1 };

/* The schema version this build writes. */
int gw_store_schema_latest(void);

int gw_store_open(struct gw_store **out, const char *uri, int flags);
void gw_store_close(struct gw_store **st);
int gw_store_schema_version(struct gw_store *st, int *out);

/* Explicit transactions for all-or-nothing work (imports). Not nestable. */
int gw_store_begin(struct gw_store *st);
int gw_store_commit(struct gw_store *st);
int gw_store_rollback(struct gw_store *st);

/* Units. insert sets u->id, created_at, updated_at. */
int gw_store_unit_insert(struct gw_store *st, struct gw_unit *u);
int gw_store_unit_update(struct gw_store *st, struct gw_unit *u);
int gw_store_unit_delete(struct gw_store *st, int64_t id);
int gw_store_unit_get(struct gw_store *st, int64_t id, struct gw_unit *out);
/* By name under a parent (parent_id 0 = roots). */
int gw_store_unit_find(struct gw_store *st, int64_t parent_id, const char *name, struct gw_unit *out);
/* By name anywhere in the tree: every unit with that name (0, 1 or more). */
int gw_store_unit_find_all(struct gw_store *st, const char *name, struct gw_unit_list *out);
/* All units ordered by id. */
int gw_store_unit_list(struct gw_store *st, struct gw_unit_list *out);

/* Websites. */
int gw_store_site_insert(struct gw_store *st, struct gw_site *s);
int gw_store_site_update(struct gw_store *st, struct gw_site *s);
int gw_store_site_delete(struct gw_store *st, int64_t id);
int gw_store_site_get(struct gw_store *st, int64_t id, struct gw_site *out);
int gw_store_site_get_by_code(struct gw_store *st, const char *code, struct gw_site *out);
int gw_store_site_get_by_url(struct gw_store *st, const char *url, struct gw_site *out);
/* All sites ordered by id; unit_id != 0 restricts to that unit. */
int gw_store_site_list(struct gw_store *st, int64_t unit_id, struct gw_site_list *out);

/* New-media accounts. */
int gw_store_account_insert(struct gw_store *st, struct gw_account *a);
int gw_store_account_update(struct gw_store *st, struct gw_account *a);
int gw_store_account_delete(struct gw_store *st, int64_t id);
int gw_store_account_get(struct gw_store *st, int64_t id, struct gw_account *out);
int gw_store_account_find(struct gw_store *st, enum gw_platform p, const char *name, struct gw_account *out);
int gw_store_account_list(struct gw_store *st, int64_t unit_id, struct gw_account_list *out);

#endif
