/* The store's inside: what an engine (sqlite.c now, pg.c later) provides.
 *
 * Only files in src/store/ include this header. store.c parses the URI,
 * checks arguments and records the same way for every engine, refuses writes
 * on a read-only store, and then calls the engine through `struct
 * gw_store_ops`, so adding an engine touches no caller. */
#ifndef GW_STORE_STORE_IMPL_H
#define GW_STORE_STORE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct sqlite3;

/* One entry per function of store.h except gw_store_open (the factory) and
 * gw_store_schema_latest (a property of the build, not of a database).
 * store.c has already checked that `st` is open, that pointers are non-NULL,
 * that records are complete (required strings present, enums in range, ids
 * sensible) and that writes are allowed; an engine checks what only the
 * database can know (existence, uniqueness, references) and sets the error
 * message itself. `destroy` closes the engine and frees the whole object,
 * including `label`; it never fails (an open transaction is rolled back). */
struct gw_store_ops {
  const char *engine; /* "sqlite", for messages */
  void (*destroy)(struct gw_store *st);
  int (*schema_version)(struct gw_store *st, int *out);

  int (*begin)(struct gw_store *st);
  int (*commit)(struct gw_store *st);
  int (*rollback)(struct gw_store *st);
  int (*bulk)(struct gw_store *st, bool on);

  int (*unit_insert)(struct gw_store *st, struct gw_unit *u);
  int (*unit_update)(struct gw_store *st, struct gw_unit *u);
  int (*unit_delete)(struct gw_store *st, int64_t id);
  int (*unit_get)(struct gw_store *st, int64_t id, struct gw_unit *out);
  int (*unit_find)(struct gw_store *st, int64_t parent_id, const char *name, struct gw_unit *out);
  int (*unit_find_all)(struct gw_store *st, const char *name, struct gw_unit_list *out);
  int (*unit_list)(struct gw_store *st, struct gw_unit_list *out);

  int (*site_insert)(struct gw_store *st, struct gw_site *s);
  int (*site_update)(struct gw_store *st, struct gw_site *s);
  int (*site_delete)(struct gw_store *st, int64_t id);
  int (*site_get)(struct gw_store *st, int64_t id, struct gw_site *out);
  int (*site_get_by_code)(struct gw_store *st, const char *code, struct gw_site *out);
  int (*site_get_by_url)(struct gw_store *st, const char *url, struct gw_site *out);
  int (*site_list)(struct gw_store *st, int64_t unit_id, struct gw_site_list *out);

  int (*account_insert)(struct gw_store *st, struct gw_account *a);
  int (*account_update)(struct gw_store *st, struct gw_account *a);
  int (*account_delete)(struct gw_store *st, int64_t id);
  int (*account_get)(struct gw_store *st, int64_t id, struct gw_account *out);
  int (*account_find)(struct gw_store *st, enum gw_platform p, const char *name, struct gw_account *out);
  int (*account_list)(struct gw_store *st, int64_t unit_id, struct gw_account_list *out);

  int (*crawl_insert)(struct gw_store *st, struct gw_crawl *c);
  int (*crawl_update)(struct gw_store *st, const struct gw_crawl *c);
  int (*crawl_get)(struct gw_store *st, int64_t id, struct gw_crawl *out);
  int (*crawl_last)(struct gw_store *st, int64_t site_id, bool done_only, struct gw_crawl *out);
  int (*crawl_list)(struct gw_store *st, int64_t site_id, struct gw_crawl_list *out);
  int (*crawl_stats)(struct gw_store *st, int64_t crawl_id, struct gw_crawl_stats *out);
  int (*crawl_url_insert)(struct gw_store *st, struct gw_crawl_url *u);
  int (*crawl_url_result)(struct gw_store *st, const struct gw_crawl_url *u);
  int (*crawl_url_skip)(struct gw_store *st, int64_t id, enum gw_skip_reason reason, const char *detail);
  int (*crawl_url_get)(struct gw_store *st, int64_t id, struct gw_crawl_url *out);
  int (*crawl_url_find)(struct gw_store *st, int64_t crawl_id, const char *url, struct gw_crawl_url *out);
  int (*crawl_url_each)(struct gw_store *st, int64_t crawl_id, enum gw_url_state state, gw_crawl_url_fn fn,
                        void *ctx);
  int (*link_insert)(struct gw_store *st, const struct gw_link_row *l);
  int (*link_insert_many)(struct gw_store *st, const struct gw_link_row *rows, size_t n);
  int (*link_each)(struct gw_store *st, int64_t crawl_id, int64_t from_id, int64_t to_id, gw_link_fn fn,
                   void *ctx);
  int (*body_put)(struct gw_store *st, const struct gw_store_body *b, int64_t *id);
  int (*body_get)(struct gw_store *st, int64_t id, char **data, size_t *len);

  int (*check_run_start)(struct gw_store *st, struct gw_check_run *r);
  int (*findings_replace)(struct gw_store *st, int64_t run_id, const char *check, const struct gw_finding *f,
                          size_t n);
  int (*check_run_finish)(struct gw_store *st, int64_t run_id, int64_t finished_at);
  int (*check_run_get)(struct gw_store *st, int64_t id, struct gw_check_run *out);
  int (*check_run_last)(struct gw_store *st, int64_t site_id, struct gw_check_run *out);
  int (*check_run_list)(struct gw_store *st, int64_t site_id, struct gw_check_run_list *out);
  int (*finding_each)(struct gw_store *st, int64_t run_id, const char *check, gw_finding_fn fn, void *ctx);
};

/* The part of every store object that store.c reads. An engine embeds it as
 * the FIRST member of its own struct, so a `struct gw_store *` can be cast to
 * the engine's type. `label` names the database in every message: the path
 * as the user gave it, or the URI with its password hidden. */
struct gw_store {
  const struct gw_store_ops *ops;
  char *label;
  int flags; /* GW_STORE_READONLY ... */
};

/* One numbered schema migration. Versions start at 1 and rise by one; a
 * migration is never edited once released (a database that applied it would
 * not apply the change): fixes are new migrations. `sqlite` is the SQL the
 * SQLite engine runs, several statements separated by ';'. The PostgreSQL
 * engine will add its own dialect of the same schema beside it. */
struct gw_store_migration {
  int version;
  const char *name;   /* short English description, kept in schema_migrations */
  const char *sqlite;
};

/* The migrations of this build, in version order; *n receives their count
 * (the last one's version is gw_store_schema_latest()). Static data. */
const struct gw_store_migration *gw_store_migrations(size_t *n);

/* Open (creating it unless GW_STORE_READONLY) the SQLite database at `path`
 * (":memory:" for a private in-memory database) and bring its schema to the
 * latest version. `label` is how messages name it. On success *out is a
 * store whose ops are the SQLite engine's; on failure *out is untouched and
 * nothing is left open. GW_EIO when the file or its directory cannot be
 * opened, GW_ESCHEMA when the schema is newer than this build, is not a
 * GovWatch schema, or (read-only) still needs migrations, GW_EDB otherwise. */
int gw_store_sqlite_open(struct gw_store **out, const char *path, const char *label, int flags);

/* The SQLite connection behind a store, or NULL if the store is not SQLite.
 * For tests and diagnostics that must look at pragmas or run integrity
 * checks; callers outside src/store/ and tests must not use it (only the
 * store sees SQL). */
struct sqlite3 *gw_store_sqlite_db(struct gw_store *st);

#endif
