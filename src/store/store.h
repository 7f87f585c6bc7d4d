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
 * committed write (SQLite: WAL + synchronous=FULL), except the last
 * batches of a crawl on a machine crash (gw_store_bulk).
 *
 * Uniqueness is enforced here and reported as GW_EEXIST naming the field:
 * unit (parent, name); site url; site code; account (platform, name).
 * Deleting a unit that sites, accounts or child units refer to gives
 * GW_EINUSE. */
#ifndef GW_STORE_STORE_H
#define GW_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/check_records.h"
#include "store/crawl_records.h"
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
/* Bulk writing, for the crawler's batches: while on, a commit is not
 * flushed to disk by itself (SQLite: synchronous=NORMAL, checkpoints every
 * 64 MiB of log instead of 4 MiB). A killed process still loses nothing
 * committed and a machine crash never leaves a batch half written, but the
 * last batches before a machine crash may be lost (a resumed crawl fetches
 * them again). Turning it off restores the default; the next commit
 * flushes everything written before it. Call it outside a transaction. */
int gw_store_bulk(struct gw_store *st, bool on);

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

/* ---- Crawls (migration 2): see store/crawl_records.h ----
 * The crawler writes in explicit transactions of many rows (a batch of
 * finished URLs with their links and discovered URLs), so a kill loses at
 * most one batch, which the next run fetches again: a row is either
 * committed with everything it implies or not at all. Deleting a site
 * deletes its crawls, their URLs and links (bodies stay until a clean-up,
 * as other crawls may share them). */

/* Add a crawl (c->id must be 0; site_id must exist, else GW_ENOTFOUND);
 * sets c->id. */
int gw_store_crawl_insert(struct gw_store *st, struct gw_crawl *c);
/* Write state, finished_at, runs, options, robots and summary of crawl c->id. */
int gw_store_crawl_update(struct gw_store *st, const struct gw_crawl *c);
int gw_store_crawl_get(struct gw_store *st, int64_t id, struct gw_crawl *out);
/* The newest crawl of a site (the highest id), in any state; GW_ENOTFOUND
 * when the site has none. With done_only, the newest finished one. */
int gw_store_crawl_last(struct gw_store *st, int64_t site_id, bool done_only, struct gw_crawl *out);
/* Crawls ordered by id; site_id 0 = of every site. */
int gw_store_crawl_list(struct gw_store *st, int64_t site_id, struct gw_crawl_list *out);
/* Counts over one crawl's rows and links. */
int gw_store_crawl_stats(struct gw_store *st, int64_t crawl_id, struct gw_crawl_stats *out);

/* Add a URL to a crawl (u->id must be 0; url, kind, state required); sets
 * u->id. GW_EEXIST when (crawl_id, url) is already there. Only the
 * admission fields are written (crawl_id, url, depth, from_id, kind,
 * internal, state, skip, skip_detail); the result fields wait for
 * gw_store_crawl_url_result. */
int gw_store_crawl_url_insert(struct gw_store *st, struct gw_crawl_url *u);
/* Record the outcome of row u->id: state (DONE or FAILED; QUEUED puts it
 * back) and every result field from attempts to attempt_log. */
int gw_store_crawl_url_result(struct gw_store *st, const struct gw_crawl_url *u);
/* Mark queued row `id` skipped after all (a robots.txt that arrived after
 * the URL was queued disallows it): state SKIPPED with reason and detail.
 * GW_ENOTFOUND if there is no such row, GW_EINVAL for GW_SKIP_NONE. */
int gw_store_crawl_url_skip(struct gw_store *st, int64_t id, enum gw_skip_reason reason, const char *detail);
int gw_store_crawl_url_get(struct gw_store *st, int64_t id, struct gw_crawl_url *out);
/* The row of `url` (normalised) in a crawl; GW_ENOTFOUND if absent. */
int gw_store_crawl_url_find(struct gw_store *st, int64_t crawl_id, const char *url, struct gw_crawl_url *out);
/* Call fn for every row of a crawl in id order (admission order), or only
 * those in `state` when state is not 0. The row is the callee's to read
 * during the call only (it is cleared after). fn returns 0 to go on; any
 * other value stops the walk and is returned. Do not write to the store
 * from fn. */
typedef int (*gw_crawl_url_fn)(void *ctx, const struct gw_crawl_url *u);
int gw_store_crawl_url_each(struct gw_store *st, int64_t crawl_id, enum gw_url_state state, gw_crawl_url_fn fn,
                            void *ctx);

/* Add a link occurrence; GW_EEXIST when (from_id, seq) exists, GW_ENOTFOUND
 * when from_id is no crawl URL. to_id must be a URL of the same crawl (the
 * crawler takes it from its frontier); the store checks only that it is
 * positive, not that it exists (a look-up for each of a page's ~25 links
 * is what packing them saves).
 * A page's links are stored together (store/linkpack.h): adding to a page
 * that has some rewrites its row, which is cheap only for a few. */
int gw_store_link_insert(struct gw_store *st, const struct gw_link_row *l);
/* Add n link occurrences (a page's links, or several pages') with the
 * checks and errors of gw_store_link_insert for each: one row per page.
 * Every row is checked before any is written; on a store error (GW_EEXIST,
 * GW_ENOTFOUND, ...) some pages may have been written, so callers use it
 * inside a transaction they roll back on error. n = 0 adds nothing. */
int gw_store_link_insert_many(struct gw_store *st, const struct gw_link_row *rows, size_t n);
/* Call fn for link rows: of one page (from_id), to one target (to_id), or
 * of a whole crawl (crawl_id), ordered by (from_id, seq). Exactly one of the
 * three ids must be non-zero. Same callback rules as above. */
typedef int (*gw_link_fn)(void *ctx, const struct gw_link_row *l);
int gw_store_link_each(struct gw_store *st, int64_t crawl_id, int64_t from_id, int64_t to_id, gw_link_fn fn,
                       void *ctx);

/* Store a response body (raw bytes as received, Content-Encoding
 * removed), compressed (Zstandard; bodies stored before migration 10 are
 * zlib streams and still read); an identical body already stored is
 * reused (content-addressed by a checksum and confirmed byte for byte).
 * *id is the body's id. len 0 is allowed. Same as gw_store_body_prepare
 * followed by gw_store_body_put_prepared. */
int gw_store_body_put(struct gw_store *st, const void *data, size_t len, int64_t *id);

/* How a stored body is compressed (bodies.codec). */
enum gw_body_codec {
  GW_BODY_ZLIB = 0, /* a zlib stream (every body before migration 10) */
  GW_BODY_ZSTD = 1, /* one Zstandard frame */
};

/* A body compressed and checksummed for storing, made without a store so
 * that a crawler's worker threads can do the costly part (compression) in
 * parallel; only gw_store_body_put_prepared touches the store. */
struct gw_store_body {
  void *zdata;   /* compressed bytes, malloc'd */
  size_t zlen;
  size_t size;   /* bytes before compression */
  int64_t hash;  /* CRC-32 and Adler-32 of the raw bytes */
  enum gw_body_codec codec;
};
/* Compress data[0..len) into *out (free with gw_store_body_clear).
 * Thread-safe, no store involved; each thread keeps one compression
 * context. GW_ELIMIT for a body over 4 GiB, GW_ENOMEM if compression
 * fails. */
int gw_store_body_prepare(const void *data, size_t len, struct gw_store_body *out);
void gw_store_body_clear(struct gw_store_body *b);
/* Decompress a stored body of codec into out[0..size) (out has room for
 * size bytes). Thread-safe. GW_EDB, naming body id, when the bytes do not
 * decompress to exactly size bytes or the codec is unknown. */
int gw_store_body_decode(int codec, const void *z, size_t zlen, void *out, size_t size, int64_t id,
                         const char *label);
/* Store a prepared body (shared with an identical stored one); *id as for
 * gw_store_body_put. */
int gw_store_body_put_prepared(struct gw_store *st, const struct gw_store_body *b, int64_t *id);
/* Read a body back: *data is malloc'd (len bytes plus a NUL after them),
 * *len its length. GW_ENOTFOUND for an unknown id, GW_EDB if the stored
 * data does not decompress to its recorded size. */
int gw_store_body_get(struct gw_store *st, int64_t id, char **data, size_t *len);

/* ---- Check runs and findings (migration 3): see store/check_records.h ----
 * The check runner (checks/run.c) is the writer: it starts a run, replaces
 * the findings of each check that ran (one transaction per check, so a
 * crash leaves every check's findings either old or new, never half), and
 * marks the run finished. Deleting a site deletes its runs and findings;
 * deleting a crawl keeps them (crawl_id becomes 0). */

/* Start the check run (r->site_id, r->crawl_id, r->as_of): the run with
 * that identity if one exists (a re-run), else a new one. Sets r->id,
 * r->started_at (now), and r->finished_at and r->checks as stored (0 and
 * "" for a new run). site_id must exist and crawl_id (if not 0) must be a
 * crawl of that site, else GW_ENOTFOUND / GW_EINVAL. */
int gw_store_check_run_start(struct gw_store *st, struct gw_check_run *r);
/* Replace, in one transaction, every finding of check `check` in run
 * `run_id` by f[0..n) (n may be 0: the check found nothing), and add the
 * check to the run's checks. Each finding's check must equal `check`; rule,
 * key and title are required, exactly one of site_id / account_id is set,
 * severity is in range; the fingerprint is computed here
 * (gw_finding_fingerprint). Two findings with one identity (check, site or
 * account, key) are GW_EEXIST naming the key; nothing is changed then.
 * GW_ENOTFOUND when the run does not exist. */
int gw_store_findings_replace(struct gw_store *st, int64_t run_id, const char *check, const struct gw_finding *f,
                              size_t n);
/* Record that run `run_id` ran to the end at `finished_at`. */
int gw_store_check_run_finish(struct gw_store *st, int64_t run_id, int64_t finished_at);
int gw_store_check_run_get(struct gw_store *st, int64_t id, struct gw_check_run *out);
/* The latest finished run of a site: the highest finished_at, then the
 * highest id; GW_ENOTFOUND naming the site when it has none. */
int gw_store_check_run_last(struct gw_store *st, int64_t site_id, struct gw_check_run *out);
/* Runs ordered by id; site_id 0 = of every site. */
int gw_store_check_run_list(struct gw_store *st, int64_t site_id, struct gw_check_run_list *out);
/* Call fn for the findings of run `run_id` (only those of check `check`
 * when it is not NULL), ordered by check id, then as the check emitted
 * them. The row is the callee's to read during the call only. fn returns 0
 * to go on; any other value stops the walk and is returned. Do not write
 * to the store from fn. */
typedef int (*gw_finding_fn)(void *ctx, const struct gw_finding_row *r);
int gw_store_finding_each(struct gw_store *st, int64_t run_id, const char *check, gw_finding_fn fn, void *ctx);

#endif
