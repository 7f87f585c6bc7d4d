/* The store: schema migrations, the register's records, error messages,
 * transactions and crash safety, against real SQLite files. */
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/str.h"
#include "store/store.h"
#include "store/store_impl.h"
#include "tap.h"

/* Pinned clock: created_at/updated_at must come from gw_now(). */
#define T0 1735689600LL /* 2025-01-01 00:00:00 UTC */
#define T1 1743465600LL /* 2025-04-01 00:00:00 UTC */

static void set_now(long long t)
{
  char v[32];
  snprintf(v, sizeof v, "%lld", t);
  setenv("GW_NOW", v, 1);
}

static const char *tmp_path(const char *name)
{
  static char bufs[8][600];
  static int next;
  char *b = bufs[next++ % 8];
  snprintf(b, sizeof bufs[0], "%s/%s", gw_test_tmpdir(), name);
  return b;
}

static bool file_exists(const char *path)
{
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* A direct SQLite connection for looking under the store. */
static sqlite3 *raw_open(const char *path)
{
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    CHECK_MSG(0, "raw open %s: %s", path, db ? sqlite3_errmsg(db) : "?");
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

/* The first column of the first row of sql as an integer (-1 on error). */
static long long raw_int(sqlite3 *db, const char *sql)
{
  sqlite3_stmt *q = NULL;
  long long v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
    v = sqlite3_column_int64(q, 0);
  else
    CHECK_MSG(0, "query '%s': %s", sql, sqlite3_errmsg(db));
  sqlite3_finalize(q);
  return v;
}

static char *raw_text(sqlite3 *db, const char *sql)
{
  sqlite3_stmt *q = NULL;
  char *v = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) {
    const unsigned char *t = sqlite3_column_text(q, 0);
    v = gw_strdup(t ? (const char *)t : "(null)");
  } else {
    CHECK_MSG(0, "query '%s': %s", sql, sqlite3_errmsg(db));
  }
  sqlite3_finalize(q);
  return v;
}

static void check_raw_text(sqlite3 *db, const char *sql, const char *want)
{
  char *v = raw_text(db, sql);
  CHECK_MSG(v && strcmp(v, want) == 0, "%s gives '%s', want '%s'", sql, v ? v : "(error)", want);
  free(v);
}

static struct gw_store *open_ok(const char *path)
{
  struct gw_store *st = NULL;
  int rc = gw_store_open(&st, path, 0);
  CHECK_MSG(rc == GW_OK, "open %s: %s", path, gw_err_msg());
  return st;
}

static int64_t add_unit(struct gw_store *st, int64_t parent, const char *name, enum gw_unit_kind kind)
{
  struct gw_unit u = {.parent_id = parent, .name = (char *)name, .kind = kind};
  int rc = gw_store_unit_insert(st, &u);
  CHECK_MSG(rc == GW_OK, "insert unit %s: %s", name, gw_err_msg());
  return u.id;
}

static int64_t add_site(struct gw_store *st, int64_t unit, const char *name, const char *url, const char *code)
{
  struct gw_site s = {.name = (char *)name, .url = (char *)url, .code = (char *)code, .unit_id = unit,
                      .kind = GW_SITE_DEPARTMENT, .status = GW_SITE_RUNNING};
  int rc = gw_store_site_insert(st, &s);
  CHECK_MSG(rc == GW_OK, "insert site %s: %s", name, gw_err_msg());
  return s.id;
}

static int64_t add_account(struct gw_store *st, int64_t unit, enum gw_platform p, const char *name)
{
  struct gw_account a = {.name = (char *)name, .platform = p, .unit_id = unit, .status = GW_ACCOUNT_RUNNING};
  int rc = gw_store_account_insert(st, &a);
  CHECK_MSG(rc == GW_OK, "insert account %s: %s", name, gw_err_msg());
  return a.id;
}

/* ---- schema ---- */

static void check_columns(sqlite3 *db, const char *table, const char *want)
{
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('%s') ORDER BY cid)",
           table);
  check_raw_text(db, sql, want);
}

static void test_migrate(void)
{
  const char *path = tmp_path("migrate.db");
  CHECK(gw_store_schema_latest() >= 1);
  size_t n;
  const struct gw_store_migration *m = gw_store_migrations(&n);
  CHECK_INT(m[n - 1].version, gw_store_schema_latest());
  for (size_t i = 0; i < n; i++)
    CHECK_INT(m[i].version, (int)i + 1);

  set_now(T0);
  CHECK(!file_exists(path));
  struct gw_store *st = open_ok(path);
  CHECK(file_exists(path));
  int v = -1;
  CHECK_INT(gw_store_schema_version(st, &v), GW_OK);
  CHECK_INT(v, gw_store_schema_latest());

  /* the connection is set up for durability and integrity */
  sqlite3 *sdb = gw_store_sqlite_db(st);
  CHECK(sdb != NULL);
  if (sdb) {
    CHECK_INT(raw_int(sdb, "PRAGMA synchronous"), 2); /* FULL */
    CHECK_INT(raw_int(sdb, "PRAGMA foreign_keys"), 1);
    CHECK_INT(raw_int(sdb, "PRAGMA busy_timeout"), 5000);
    check_raw_text(sdb, "PRAGMA journal_mode", "wal");
  }
  gw_store_close(&st);
  CHECK(st == NULL);
  gw_store_close(&st); /* closing NULL is harmless */

  sqlite3 *db = raw_open(path);
  if (db) {
    CHECK_INT(raw_int(db, "PRAGMA user_version"), gw_store_schema_latest());
    CHECK_INT(raw_int(db, "SELECT count(*) FROM schema_migrations"), gw_store_schema_latest());
    CHECK_INT(raw_int(db, "SELECT min(version) FROM schema_migrations"), 1);
    CHECK_INT(raw_int(db, "SELECT max(version) FROM schema_migrations"), gw_store_schema_latest());
    CHECK_INT(raw_int(db, "SELECT applied_at FROM schema_migrations WHERE version = 1"), T0);
    check_raw_text(db, "PRAGMA journal_mode", "wal"); /* persistent */
    check_columns(db, "schema_migrations", "version,name,applied_at");
    check_columns(db, "units", "id,parent_id,name,kind,region_code,contact,created_at,updated_at");
    check_columns(db, "sites",
                  "id,name,url,code,unit_id,kind,external_service,sponsor,supervisor,status,note,created_at,"
                  "updated_at");
    check_columns(db, "accounts",
                  "id,name,platform,unit_id,cert_subject,url,status,note,created_at,updated_at");
    /* foreign keys as specified */
    CHECK_INT(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_list('sites') WHERE \"table\" = 'units' AND "
                          "\"from\" = 'unit_id' AND on_delete = 'RESTRICT'"),
              1);
    CHECK_INT(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_list('accounts') WHERE \"table\" = 'units' AND "
                          "\"from\" = 'unit_id' AND on_delete = 'RESTRICT'"),
              1);
    CHECK_INT(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_list('units') WHERE \"table\" = 'units' AND "
                          "\"from\" = 'parent_id'"),
              1);
    /* migration 12: no CHECK with an IN list of three or more values is
     * left (SQLite builds a temporary B-tree for one at every check), and
     * the ranges that replace them still refuse what the lists refused */
    CHECK_INT(raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '% IN (_, _, _%'"), 0);
    CHECK_INT(raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'crawl_urls' AND sql LIKE"
                          " '%kind BETWEEN 1 AND 4%state BETWEEN 1 AND 4%'"),
              1);
    CHECK_INT(raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%ip_family = 0 OR ip_family = 4%'"), 1);
    CHECK_INT(sqlite3_exec(db,
                           "INSERT INTO crawls (site_id, state, started_at, as_of, runs, options)"
                           " VALUES (1, 4, 0, 0, 1, '{}')",
                           NULL, NULL, NULL),
              SQLITE_CONSTRAINT);
    CHECK_CONTAINS(sqlite3_errmsg(db), "state BETWEEN 1 AND 3");
    check_raw_text(db, "PRAGMA integrity_check", "ok");
    sqlite3_close(db);
  }

  /* Reopening applies nothing again: one row per migration, first time kept. */
  set_now(T1);
  st = open_ok(path);
  CHECK_INT(gw_store_schema_version(st, &v), GW_OK);
  CHECK_INT(v, gw_store_schema_latest());
  gw_store_close(&st);
  st = open_ok(path);
  gw_store_close(&st);
  db = raw_open(path);
  if (db) {
    CHECK_INT(raw_int(db, "SELECT count(*) FROM schema_migrations"), gw_store_schema_latest());
    CHECK_INT(raw_int(db, "SELECT applied_at FROM schema_migrations WHERE version = 1"), T0);
    check_raw_text(db, "PRAGMA integrity_check", "ok");
    sqlite3_close(db);
  }
  /* The WAL is checkpointed and removed at close. */
  CHECK(!file_exists(tmp_path("migrate.db-wal")));

  /* "sqlite:PATH" is the same file. */
  char uri[700];
  snprintf(uri, sizeof uri, "sqlite:%s", path);
  st = open_ok(uri);
  struct gw_unit_list ul = {0};
  CHECK_INT(gw_store_unit_list(st, &ul), GW_OK);
  CHECK_INT(ul.n, 0);
  gw_unit_list_free(&ul);
  gw_store_close(&st);

  /* An in-memory store works too (for tools and tests of other modules). */
  st = open_ok(":memory:");
  CHECK(add_unit(st, 0, "青溪县", GW_UNIT_REGION) > 0);
  gw_store_close(&st);
}

static void test_newer_schema(void)
{
  const char *path = tmp_path("newer.db");
  struct gw_store *st = open_ok(path);
  add_unit(st, 0, "青溪县", GW_UNIT_REGION);
  gw_store_close(&st);
  int newer = gw_store_schema_latest() + 1;
  sqlite3 *db = raw_open(path);
  if (db) {
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newer);
    CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
  }
  size_t len0 = 0, len1 = 0;
  char *before = gw_test_slurp(path, &len0);
  CHECK(before != NULL);

  char want[700];
  snprintf(want, sizeof want,
           "%s: database schema version %d is newer than this GovWatch supports (%d); upgrade GovWatch", path, newer,
           gw_store_schema_latest());
  /* Read-only first: a read-only reader of a WAL database may leave SQLite's
   * (empty) -wal and -shm files behind, never changes to the database. The
   * read-write attempt then closes as the last connection and removes them. */
  const char *walp = tmp_path("newer.db-wal");
  for (int ro = 1; ro >= 0; ro--) {
    st = (struct gw_store *)0x1; /* must stay untouched on failure */
    CHECK_INT(gw_store_open(&st, path, ro ? GW_STORE_READONLY : 0), GW_ESCHEMA);
    CHECK_STR(gw_err_msg(), want);
    CHECK(st == (struct gw_store *)0x1);
    struct stat sb;
    CHECK(stat(walp, &sb) != 0 || sb.st_size == 0);
  }
  char *after = gw_test_slurp(path, &len1);
  CHECK(after != NULL);
  CHECK_INT(len1, len0);
  CHECK(before && after && len0 == len1 && memcmp(before, after, len0) == 0);
  free(before);
  free(after);
  CHECK(!file_exists(walp));
  /* still the newer version, still our data */
  db = raw_open(path);
  if (db) {
    CHECK_INT(raw_int(db, "PRAGMA user_version"), newer);
    CHECK_INT(raw_int(db, "SELECT count(*) FROM units"), 1);
    sqlite3_close(db);
  }
}

static void test_foreign_files(void)
{
  /* Another program's SQLite database is not migrated into. */
  const char *path = tmp_path("other.db");
  sqlite3 *db = NULL;
  CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
  CHECK_INT(sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
  size_t len0 = 0, len1 = 0;
  char *before = gw_test_slurp(path, &len0);
  struct gw_store *st = NULL;
  CHECK_INT(gw_store_open(&st, path, 0), GW_ESCHEMA);
  CHECK_CONTAINS(gw_err_msg(), "not a GovWatch database");
  CHECK_CONTAINS(gw_err_msg(), path);
  char *after = gw_test_slurp(path, &len1);
  CHECK(before && after && len0 == len1 && memcmp(before, after, len0) == 0);
  free(before);
  free(after);

  /* ... nor one that has a version but another application id */
  CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
  CHECK_INT(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
  CHECK_INT(gw_store_open(&st, path, 0), GW_ESCHEMA);
  CHECK_CONTAINS(gw_err_msg(), "not a GovWatch database (application_id 0");

  /* A text file is no database at all. */
  const char *txt = tmp_path("notes.db");
  FILE *f = fopen(txt, "w");
  if (f) {
    for (int i = 0; i < 100; i++)
      fputs("这不是数据库。 This is not a database.\n", f);
    fclose(f);
  }
  CHECK_INT(gw_store_open(&st, txt, 0), GW_EDB);
  CHECK_CONTAINS(gw_err_msg(), txt);
  CHECK_CONTAINS(gw_err_msg(), "not a database");
  CHECK(st == NULL);
}

static void test_open_errors(void)
{
  struct gw_store *st = NULL;
  const char *nodir = tmp_path("no/such/dir/govwatch.db");
  CHECK_INT(gw_store_open(&st, nodir, 0), GW_EIO);
  CHECK_CONTAINS(gw_err_msg(), nodir);
  CHECK_CONTAINS(gw_err_msg(), "does not exist");
  CHECK(!file_exists(tmp_path("no")));

  CHECK_INT(gw_store_open(&st, gw_test_tmpdir(), 0), GW_EIO);
  CHECK_CONTAINS(gw_err_msg(), "is a directory");

  const char *missing = tmp_path("missing.db");
  CHECK_INT(gw_store_open(&st, missing, GW_STORE_READONLY), GW_EIO);
  CHECK_CONTAINS(gw_err_msg(), missing);
  CHECK(!file_exists(missing));

  CHECK_INT(gw_store_open(&st, "postgresql://gw:s3cret@db.example/govwatch?sslmode=require", 0), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "this build has no PostgreSQL store; use a SQLite path");
  CHECK_CONTAINS(gw_err_msg(), "postgresql://gw:***@db.example/govwatch");
  CHECK(strstr(gw_err_msg(), "s3cret") == NULL);
  CHECK_INT(gw_store_open(&st, "postgres://localhost/gw", 0), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "postgres://localhost/gw: this build has no PostgreSQL store");
  CHECK_INT(gw_store_open(&st, "mysql://localhost/gw", 0), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "unsupported store URI");
  CHECK_INT(gw_store_open(&st, "sqlite:", 0), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "empty database path");
  CHECK_INT(gw_store_open(&st, "", 0), GW_EINVAL);
  CHECK_INT(gw_store_open(&st, tmp_path("x.db"), 0x40), GW_EINVAL);
  CHECK(st == NULL);
  CHECK(!file_exists(tmp_path("x.db")));
}

static void test_readonly(void)
{
  const char *path = tmp_path("ro.db");
  set_now(T0);
  struct gw_store *st = open_ok(path);
  int64_t county = add_unit(st, 0, "青溪县", GW_UNIT_REGION);
  int64_t site = add_site(st, county, "青溪县人民政府", "http://www.qingxi.gov.cn/", "3399220001");
  int64_t acct = add_account(st, county, GW_PLATFORM_WEIBO, "青溪发布");
  gw_store_close(&st);

  CHECK_INT(gw_store_open(&st, path, GW_STORE_READONLY), GW_OK);
  if (!st)
    return;
  struct gw_unit u = {0};
  CHECK_INT(gw_store_unit_get(st, county, &u), GW_OK);
  CHECK_STR(u.name, "青溪县");
  struct gw_site s = {0};
  CHECK_INT(gw_store_site_get_by_code(st, "3399220001", &s), GW_OK);
  CHECK_INT(s.id, site);

  struct gw_unit nu = {.name = "新单位", .kind = GW_UNIT_DEPARTMENT, .parent_id = county};
  CHECK_INT(gw_store_unit_insert(st, &nu), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "read-only");
  CHECK_CONTAINS(gw_err_msg(), path);
  CHECK_INT(nu.id, 0);
  CHECK_INT(gw_store_unit_update(st, &u), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "read-only");
  CHECK_INT(gw_store_unit_delete(st, county), GW_EINVAL);
  CHECK_INT(gw_store_site_update(st, &s), GW_EINVAL);
  CHECK_INT(gw_store_site_delete(st, site), GW_EINVAL);
  struct gw_site ns = {.name = "x", .url = "http://x.gov.cn/", .code = "3399220099", .unit_id = county,
                       .kind = GW_SITE_PORTAL, .status = GW_SITE_RUNNING};
  CHECK_INT(gw_store_site_insert(st, &ns), GW_EINVAL);
  struct gw_account na = {.name = "x", .platform = GW_PLATFORM_DOUYIN, .unit_id = county,
                          .status = GW_ACCOUNT_RUNNING};
  CHECK_INT(gw_store_account_insert(st, &na), GW_EINVAL);
  CHECK_INT(gw_store_account_delete(st, acct), GW_EINVAL);
  /* Reading in a transaction is allowed. */
  CHECK_INT(gw_store_begin(st), GW_OK);
  struct gw_unit_list ul = {0};
  CHECK_INT(gw_store_unit_list(st, &ul), GW_OK);
  CHECK_INT(ul.n, 1);
  gw_unit_list_free(&ul);
  CHECK_INT(gw_store_commit(st), GW_OK);
  /* and the connection itself refuses writes, not just the front */
  sqlite3 *db = gw_store_sqlite_db(st);
  CHECK(db && sqlite3_exec(db, "DELETE FROM accounts", NULL, NULL, NULL) != SQLITE_OK);
  gw_unit_clear(&u);
  gw_site_clear(&s);
  gw_store_close(&st);

  /* nothing changed */
  st = open_ok(path);
  struct gw_account a = {0};
  CHECK_INT(gw_store_account_get(st, acct, &a), GW_OK);
  CHECK_STR(a.name, "青溪发布");
  gw_account_clear(&a);
  CHECK_INT(gw_store_site_get(st, site, &s), GW_OK);
  CHECK_STR(s.name, "青溪县人民政府");
  gw_site_clear(&s);
  gw_store_close(&st);

  /* A read-only open never creates or migrates a schema. */
  const char *empty = tmp_path("empty.db");
  FILE *f = fopen(empty, "w");
  if (f)
    fclose(f);
  CHECK_INT(gw_store_open(&st, empty, GW_STORE_READONLY), GW_ESCHEMA);
  CHECK_CONTAINS(gw_err_msg(), "no GovWatch schema yet");
  size_t len = 1;
  char *bytes = gw_test_slurp(empty, &len);
  CHECK_INT(len, 0);
  free(bytes);
}

/* ---- units ---- */

static void test_units(void)
{
  const char *path = tmp_path("units.db");
  set_now(T0);
  struct gw_store *st = open_ok(path);
  if (!st)
    return;

  struct gw_unit county = {.name = "青溪县", .kind = GW_UNIT_REGION, .region_code = "331122",
                           .contact = "县政务公开办 王明 0578-6120000"};
  CHECK_INT(gw_store_unit_insert(st, &county), GW_OK);
  CHECK(county.id > 0);
  CHECK_INT(county.created_at, T0);
  CHECK_INT(county.updated_at, T0);
  int64_t edu = add_unit(st, county.id, "青溪县教育局", GW_UNIT_DEPARTMENT);
  int64_t town = add_unit(st, county.id, "青溪镇", GW_UNIT_TOWN);
  int64_t school = add_unit(st, edu, "青溪县第一中学", GW_UNIT_DEPARTMENT);

  /* every field round-trips, NULL optional fields stay NULL */
  struct gw_unit u = {0};
  CHECK_INT(gw_store_unit_get(st, county.id, &u), GW_OK);
  CHECK_INT(u.id, county.id);
  CHECK_INT(u.parent_id, 0);
  CHECK_STR(u.name, "青溪县");
  CHECK_INT(u.kind, GW_UNIT_REGION);
  CHECK_STR(u.region_code, "331122");
  CHECK_STR(u.contact, "县政务公开办 王明 0578-6120000");
  CHECK_INT(u.created_at, T0);
  CHECK_INT(u.updated_at, T0);
  gw_unit_clear(&u);
  CHECK_INT(gw_store_unit_get(st, town, &u), GW_OK);
  CHECK_INT(u.parent_id, county.id);
  CHECK_INT(u.kind, GW_UNIT_TOWN);
  CHECK(u.region_code == NULL);
  CHECK(u.contact == NULL);
  gw_unit_clear(&u);

  /* find under a parent and at the top */
  CHECK_INT(gw_store_unit_find(st, county.id, "青溪县教育局", &u), GW_OK);
  CHECK_INT(u.id, edu);
  gw_unit_clear(&u);
  CHECK_INT(gw_store_unit_find(st, 0, "青溪县", &u), GW_OK);
  CHECK_INT(u.id, county.id);
  gw_unit_clear(&u);
  u.id = 777;
  CHECK_INT(gw_store_unit_find(st, 0, "青溪县教育局", &u), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no top-level unit named '青溪县教育局'");
  CHECK_INT(u.id, 777); /* untouched */
  CHECK_INT(gw_store_unit_find(st, edu, "青溪镇", &u), GW_ENOTFOUND);
  char want[256];
  snprintf(want, sizeof want, "no unit named '青溪镇' under unit %lld", (long long)edu);
  CHECK_STR(gw_err_msg(), want);
  CHECK_INT(gw_store_unit_get(st, 4242, &u), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no unit with id 4242");
  CHECK_INT(u.id, 777);
  u.id = 0;

  /* uniqueness: same parent, and also among roots (NULL parents) */
  struct gw_unit dup = {.parent_id = county.id, .name = "青溪县教育局", .kind = GW_UNIT_DEPARTMENT};
  CHECK_INT(gw_store_unit_insert(st, &dup), GW_EEXIST);
  snprintf(want, sizeof want, "a unit named '青溪县教育局' already exists under the same parent (id %lld)",
           (long long)edu);
  CHECK_STR(gw_err_msg(), want);
  CHECK_INT(dup.id, 0);
  struct gw_unit dup_root = {.name = "青溪县", .kind = GW_UNIT_REGION};
  CHECK_INT(gw_store_unit_insert(st, &dup_root), GW_EEXIST);
  snprintf(want, sizeof want, "a unit named '青溪县' already exists at the top level (id %lld)", (long long)county.id);
  CHECK_STR(gw_err_msg(), want);
  /* the same name elsewhere in the tree is fine */
  int64_t edu2 = add_unit(st, town, "青溪县教育局", GW_UNIT_DEPARTMENT);
  CHECK(edu2 > school);
  int64_t other = add_unit(st, 0, "白云县", GW_UNIT_REGION);
  int64_t fin1 = add_unit(st, county.id, "财政局", GW_UNIT_DEPARTMENT);
  int64_t fin2 = add_unit(st, other, "财政局", GW_UNIT_DEPARTMENT);

  /* find_all: every unit of that name, by id; none is not an error */
  struct gw_unit_list ul = {0};
  CHECK_INT(gw_store_unit_find_all(st, "财政局", &ul), GW_OK);
  CHECK_INT(ul.n, 2);
  if (ul.n == 2) {
    CHECK_INT(ul.v[0].id, fin1);
    CHECK_INT(ul.v[0].parent_id, county.id);
    CHECK_INT(ul.v[1].id, fin2);
    CHECK_INT(ul.v[1].parent_id, other);
  }
  gw_unit_list_free(&ul);
  CHECK_INT(gw_store_unit_find_all(st, "青溪县教育局", &ul), GW_OK);
  CHECK_INT(ul.n, 2);
  gw_unit_list_free(&ul);
  CHECK_INT(gw_store_unit_find_all(st, "不存在的单位", &ul), GW_OK);
  CHECK_INT(ul.n, 0);
  CHECK(ul.v == NULL);

  /* list: all, by id */
  CHECK_INT(gw_store_unit_list(st, &ul), GW_OK);
  CHECK_INT(ul.n, 8);
  for (size_t i = 1; i < ul.n; i++)
    CHECK(ul.v[i - 1].id < ul.v[i].id);
  if (ul.n == 8) {
    CHECK_STR(ul.v[0].name, "青溪县");
    CHECK_STR(ul.v[7].name, "财政局");
  }
  gw_unit_list_free(&ul);

  /* update: fields change, created_at stays, updated_at moves */
  set_now(T1);
  CHECK_INT(gw_store_unit_get(st, town, &u), GW_OK);
  free(u.name);
  u.name = gw_strdup("青溪街道");
  u.region_code = gw_strdup("331122001");
  u.contact = gw_strdup("李华");
  CHECK_INT(gw_store_unit_update(st, &u), GW_OK);
  CHECK_INT(u.created_at, T0);
  CHECK_INT(u.updated_at, T1);
  gw_unit_clear(&u);
  CHECK_INT(gw_store_unit_get(st, town, &u), GW_OK);
  CHECK_STR(u.name, "青溪街道");
  CHECK_STR(u.region_code, "331122001");
  CHECK_STR(u.contact, "李华");
  CHECK_INT(u.created_at, T0);
  CHECK_INT(u.updated_at, T1);
  /* back to NULL */
  GW_FREE(&u.contact);
  CHECK_INT(gw_store_unit_update(st, &u), GW_OK);
  gw_unit_clear(&u);
  CHECK_INT(gw_store_unit_get(st, town, &u), GW_OK);
  CHECK(u.contact == NULL);
  gw_unit_clear(&u);

  /* update into a name that exists under the same parent */
  CHECK_INT(gw_store_unit_get(st, fin1, &u), GW_OK);
  free(u.name);
  u.name = gw_strdup("青溪县教育局");
  int64_t stamp = u.updated_at;
  CHECK_INT(gw_store_unit_update(st, &u), GW_EEXIST);
  CHECK_CONTAINS(gw_err_msg(), "a unit named '青溪县教育局' already exists under the same parent");
  CHECK_INT(u.updated_at, stamp);
  /* under another parent the name is free: the move and rename succeed */
  u.parent_id = other;
  CHECK_INT(gw_store_unit_update(st, &u), GW_OK);
  gw_unit_clear(&u);
  CHECK_INT(gw_store_unit_find(st, other, "青溪县教育局", &u), GW_OK);
  CHECK_INT(u.id, fin1);
  gw_unit_clear(&u);

  /* moves that would make a cycle */
  CHECK_INT(gw_store_unit_get(st, county.id, &u), GW_OK);
  u.parent_id = school; /* school is under edu, which is under county */
  CHECK_INT(gw_store_unit_update(st, &u), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "which is below it in the tree");
  u.parent_id = county.id;
  CHECK_INT(gw_store_unit_update(st, &u), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "cannot be its own parent");
  u.parent_id = 9999;
  CHECK_INT(gw_store_unit_update(st, &u), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "unit '青溪县': no parent unit with id 9999");
  gw_unit_clear(&u);
  CHECK_INT(gw_store_unit_get(st, county.id, &u), GW_OK);
  CHECK_INT(u.parent_id, 0); /* none of that happened */
  /* update of a missing id */
  u.id = 5555;
  CHECK_INT(gw_store_unit_update(st, &u), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no unit with id 5555");
  gw_unit_clear(&u);

  /* insert under a missing parent */
  struct gw_unit orphan = {.parent_id = 8888, .name = "孤儿单位", .kind = GW_UNIT_DEPARTMENT};
  CHECK_INT(gw_store_unit_insert(st, &orphan), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "unit '孤儿单位': no parent unit with id 8888");
  CHECK_INT(orphan.id, 0);

  /* invalid records are refused before the database */
  struct gw_unit bad = {.name = "", .kind = GW_UNIT_REGION};
  CHECK_INT(gw_store_unit_insert(st, &bad), GW_EINVAL);
  bad.name = NULL;
  CHECK_INT(gw_store_unit_insert(st, &bad), GW_EINVAL);
  bad.name = "x";
  bad.kind = (enum gw_unit_kind)9;
  CHECK_INT(gw_store_unit_insert(st, &bad), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "invalid kind 9");
  bad.kind = GW_UNIT_REGION;
  bad.id = 3;
  CHECK_INT(gw_store_unit_insert(st, &bad), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "already has id 3");

  /* delete: in use, then free */
  add_site(st, edu, "青溪县教育局网站", "http://jyj.qingxi.gov.cn/", "3399220002");
  add_site(st, edu, "青溪县教育考试网", "http://jyks.qingxi.gov.cn/", "bm33000001");
  add_account(st, edu, GW_PLATFORM_WECHAT_SUB, "青溪教育");
  snprintf(want, sizeof want,
           "cannot delete unit '青溪县教育局' (id %lld): 2 sites, 1 account and 1 child unit still refer to it",
           (long long)edu);
  CHECK_INT(gw_store_unit_delete(st, edu), GW_EINUSE);
  CHECK_STR(gw_err_msg(), want);
  CHECK_INT(gw_store_unit_delete(st, county.id), GW_EINUSE);
  snprintf(want, sizeof want, "0 sites, 0 accounts and 2 child units still refer to it");
  CHECK_CONTAINS(gw_err_msg(), want);
  CHECK_INT(gw_store_unit_get(st, edu, &u), GW_OK);
  gw_unit_clear(&u);

  CHECK_INT(gw_store_unit_delete(st, school), GW_OK);
  CHECK_INT(gw_store_unit_get(st, school, &u), GW_ENOTFOUND);
  CHECK_INT(gw_store_unit_delete(st, school), GW_ENOTFOUND);
  snprintf(want, sizeof want, "no unit with id %lld", (long long)school);
  CHECK_STR(gw_err_msg(), want);
  CHECK_INT(gw_store_unit_delete(st, 0), GW_EINVAL);
  /* ids are never reused */
  int64_t last = add_unit(st, 0, "新县", GW_UNIT_REGION);
  CHECK_INT(gw_store_unit_delete(st, last), GW_OK);
  int64_t next = add_unit(st, 0, "新县", GW_UNIT_REGION);
  CHECK(next > last);

  gw_store_close(&st);
}

/* ---- sites ---- */

static void check_site_eq(const struct gw_site *a, const struct gw_site *b)
{
  CHECK_INT(a->id, b->id);
  CHECK_STR(a->name, b->name);
  CHECK_STR(a->url, b->url);
  CHECK_STR(a->code, b->code);
  CHECK_INT(a->unit_id, b->unit_id);
  CHECK_INT(a->kind, b->kind);
  CHECK_INT(a->external_service, b->external_service);
  CHECK(gw_str_eq(a->sponsor, b->sponsor));
  CHECK(gw_str_eq(a->supervisor, b->supervisor));
  CHECK_INT(a->status, b->status);
  CHECK(gw_str_eq(a->note, b->note));
  CHECK_INT(a->created_at, b->created_at);
  CHECK_INT(a->updated_at, b->updated_at);
}

static void test_sites(void)
{
  const char *path = tmp_path("sites.db");
  set_now(T0);
  struct gw_store *st = open_ok(path);
  if (!st)
    return;
  int64_t county = add_unit(st, 0, "青溪县", GW_UNIT_REGION);
  int64_t edu = add_unit(st, county, "青溪县教育局", GW_UNIT_DEPARTMENT);

  struct gw_site portal = {.name = "青溪县人民政府",
                           .url = "http://www.qingxi.gov.cn/",
                           .code = "3399220001",
                           .unit_id = county,
                           .kind = GW_SITE_PORTAL,
                           .external_service = true,
                           .sponsor = "青溪县人民政府办公室",
                           .supervisor = "青溪县人民政府",
                           .status = GW_SITE_RUNNING,
                           .note = "门户网站，含“互动交流”栏目"};
  CHECK_INT(gw_store_site_insert(st, &portal), GW_OK);
  CHECK(portal.id > 0);
  CHECK_INT(portal.created_at, T0);
  struct gw_site dept = {.name = "青溪县教育局", .url = "http://jyj.qingxi.gov.cn/", .code = "bm33000002",
                         .unit_id = edu, .kind = GW_SITE_DEPARTMENT, .external_service = false,
                         .status = GW_SITE_MIGRATED};
  CHECK_INT(gw_store_site_insert(st, &dept), GW_OK);
  struct gw_site closed = {.name = "青溪旅游网", .url = "https://ly.qingxi.gov.cn/", .code = "3399220003",
                           .unit_id = county, .kind = GW_SITE_DEPARTMENT, .status = GW_SITE_CLOSED,
                           .sponsor = "", .note = ""};
  CHECK_INT(gw_store_site_insert(st, &closed), GW_OK);

  struct gw_site got = {0};
  CHECK_INT(gw_store_site_get(st, portal.id, &got), GW_OK);
  check_site_eq(&got, &portal);
  gw_site_clear(&got);
  CHECK_INT(gw_store_site_get(st, dept.id, &got), GW_OK);
  check_site_eq(&got, &dept);
  CHECK(got.sponsor == NULL && got.supervisor == NULL && got.note == NULL);
  CHECK(!got.external_service);
  gw_site_clear(&got);
  CHECK_INT(gw_store_site_get(st, closed.id, &got), GW_OK);
  check_site_eq(&got, &closed);
  CHECK_STR(got.sponsor, ""); /* empty is not NULL */
  gw_site_clear(&got);

  CHECK_INT(gw_store_site_get_by_code(st, "bm33000002", &got), GW_OK);
  CHECK_INT(got.id, dept.id);
  gw_site_clear(&got);
  CHECK_INT(gw_store_site_get_by_url(st, "http://www.qingxi.gov.cn/", &got), GW_OK);
  CHECK_INT(got.id, portal.id);
  gw_site_clear(&got);

  /* not found */
  got.id = 99;
  CHECK_INT(gw_store_site_get(st, 42, &got), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no site with id 42");
  CHECK_INT(gw_store_site_get_by_code(st, "3399229999", &got), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no site with 网站标识码 '3399229999'");
  CHECK_INT(gw_store_site_get_by_url(st, "http://nowhere.gov.cn/", &got), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no site with URL 'http://nowhere.gov.cn/'");
  CHECK_INT(got.id, 99);
  got.id = 0;

  /* uniqueness of URL and code */
  char want[256];
  struct gw_site dup = {.name = "重复", .url = "http://www.qingxi.gov.cn/", .code = "3399220099",
                        .unit_id = county, .kind = GW_SITE_DEPARTMENT, .status = GW_SITE_RUNNING};
  CHECK_INT(gw_store_site_insert(st, &dup), GW_EEXIST);
  snprintf(want, sizeof want, "a site with URL 'http://www.qingxi.gov.cn/' already exists (id %lld)",
           (long long)portal.id);
  CHECK_STR(gw_err_msg(), want);
  CHECK_INT(dup.id, 0);
  dup.url = "http://new.qingxi.gov.cn/";
  dup.code = "3399220001";
  CHECK_INT(gw_store_site_insert(st, &dup), GW_EEXIST);
  snprintf(want, sizeof want, "a site with 网站标识码 '3399220001' already exists (id %lld)", (long long)portal.id);
  CHECK_STR(gw_err_msg(), want);
  /* in an update too */
  CHECK_INT(gw_store_site_get(st, dept.id, &got), GW_OK);
  free(got.code);
  got.code = gw_strdup("3399220003");
  CHECK_INT(gw_store_site_update(st, &got), GW_EEXIST);
  snprintf(want, sizeof want, "a site with 网站标识码 '3399220003' already exists (id %lld)", (long long)closed.id);
  CHECK_STR(gw_err_msg(), want);
  gw_site_clear(&got);

  /* missing unit */
  dup.code = "3399220098";
  dup.unit_id = 777;
  CHECK_INT(gw_store_site_insert(st, &dup), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "site '重复': no unit with id 777");
  /* incomplete record */
  dup.unit_id = county;
  dup.code = NULL;
  CHECK_INT(gw_store_site_insert(st, &dup), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "网站标识码");
  dup.code = "3399220098";
  dup.status = (enum gw_site_status)0;
  CHECK_INT(gw_store_site_insert(st, &dup), GW_EINVAL);
  dup.status = GW_SITE_RUNNING;
  dup.url = "";
  CHECK_INT(gw_store_site_insert(st, &dup), GW_EINVAL);
  dup.url = "http://new.qingxi.gov.cn/";

  /* update: every field, keeping its own URL and code */
  set_now(T1);
  CHECK_INT(gw_store_site_get(st, dept.id, &got), GW_OK);
  free(got.name);
  got.name = gw_strdup("青溪县教育局（体育局）");
  got.unit_id = county;
  got.kind = GW_SITE_PORTAL;
  got.external_service = true;
  got.sponsor = gw_strdup("青溪县教育局");
  got.supervisor = gw_strdup("青溪县人民政府");
  got.status = GW_SITE_RUNNING;
  got.note = gw_strdup("2025年迁回");
  CHECK_INT(gw_store_site_update(st, &got), GW_OK);
  CHECK_INT(got.created_at, T0);
  CHECK_INT(got.updated_at, T1);
  struct gw_site again = {0};
  CHECK_INT(gw_store_site_get(st, dept.id, &again), GW_OK);
  check_site_eq(&again, &got);
  gw_site_clear(&again);
  got.id = 4321;
  CHECK_INT(gw_store_site_update(st, &got), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no site with id 4321");
  gw_site_clear(&got);

  /* list: by id, filtered by unit */
  struct gw_site_list sl = {0};
  CHECK_INT(gw_store_site_list(st, 0, &sl), GW_OK);
  CHECK_INT(sl.n, 3);
  if (sl.n == 3) {
    CHECK_INT(sl.v[0].id, portal.id);
    CHECK_INT(sl.v[1].id, dept.id);
    CHECK_INT(sl.v[2].id, closed.id);
    CHECK_STR(sl.v[1].name, "青溪县教育局（体育局）");
  }
  gw_site_list_free(&sl);
  int64_t s4 = add_site(st, edu, "青溪县招生网", "http://zs.qingxi.gov.cn/", "bm33000004");
  int64_t s5 = add_site(st, edu, "青溪县教研网", "http://jy.qingxi.gov.cn/", "bm33000005");
  CHECK_INT(gw_store_site_list(st, edu, &sl), GW_OK);
  CHECK_INT(sl.n, 2);
  if (sl.n == 2) {
    CHECK_INT(sl.v[0].id, s4);
    CHECK_INT(sl.v[1].id, s5);
  }
  gw_site_list_free(&sl);
  CHECK_INT(gw_store_site_list(st, county, &sl), GW_OK);
  CHECK_INT(sl.n, 3);
  gw_site_list_free(&sl);
  CHECK_INT(gw_store_site_list(st, 12345, &sl), GW_OK);
  CHECK_INT(sl.n, 0);

  /* delete */
  CHECK_INT(gw_store_site_delete(st, s4), GW_OK);
  CHECK_INT(gw_store_site_get(st, s4, &got), GW_ENOTFOUND);
  CHECK_INT(gw_store_site_delete(st, s4), GW_ENOTFOUND);
  snprintf(want, sizeof want, "no site with id %lld", (long long)s4);
  CHECK_STR(gw_err_msg(), want);
  /* its URL and code are free again */
  CHECK(add_site(st, edu, "青溪县招生网", "http://zs.qingxi.gov.cn/", "bm33000004") > s5);

  gw_store_close(&st);
}

/* ---- accounts ---- */

static void test_accounts(void)
{
  const char *path = tmp_path("accounts.db");
  set_now(T0);
  struct gw_store *st = open_ok(path);
  if (!st)
    return;
  int64_t county = add_unit(st, 0, "青溪县", GW_UNIT_REGION);
  int64_t edu = add_unit(st, county, "青溪县教育局", GW_UNIT_DEPARTMENT);

  struct gw_account a = {.name = "青溪发布", .platform = GW_PLATFORM_WECHAT_SUB, .unit_id = county,
                         .cert_subject = "青溪县人民政府办公室", .url = "https://mp.weixin.qq.com/qingxi",
                         .status = GW_ACCOUNT_RUNNING, .note = "县政府官方公众号"};
  CHECK_INT(gw_store_account_insert(st, &a), GW_OK);
  CHECK(a.id > 0);
  CHECK_INT(a.created_at, T0);
  CHECK_INT(a.updated_at, T0);

  struct gw_account got = {0};
  CHECK_INT(gw_store_account_get(st, a.id, &got), GW_OK);
  CHECK_INT(got.id, a.id);
  CHECK_STR(got.name, "青溪发布");
  CHECK_INT(got.platform, GW_PLATFORM_WECHAT_SUB);
  CHECK_INT(got.unit_id, county);
  CHECK_STR(got.cert_subject, "青溪县人民政府办公室");
  CHECK_STR(got.url, "https://mp.weixin.qq.com/qingxi");
  CHECK_INT(got.status, GW_ACCOUNT_RUNNING);
  CHECK_STR(got.note, "县政府官方公众号");
  CHECK_INT(got.created_at, T0);
  CHECK_INT(got.updated_at, T0);
  gw_account_clear(&got);

  /* every platform and status round-trips; optional fields NULL */
  int64_t ids[GW_PLATFORM_OTHER + 1] = {0};
  for (int p = GW_PLATFORM_WECHAT_SVC; p <= GW_PLATFORM_OTHER; p++) {
    struct gw_account b = {.name = "青溪教育", .platform = (enum gw_platform)p, .unit_id = edu,
                           .status = (enum gw_account_status)(1 + p % 3)};
    CHECK_INT(gw_store_account_insert(st, &b), GW_OK);
    ids[p] = b.id;
  }
  for (int p = GW_PLATFORM_WECHAT_SVC; p <= GW_PLATFORM_OTHER; p++) {
    CHECK_INT(gw_store_account_get(st, ids[p], &got), GW_OK);
    CHECK_INT(got.platform, p);
    CHECK_INT(got.status, 1 + p % 3);
    CHECK(got.cert_subject == NULL && got.url == NULL && got.note == NULL);
    gw_account_clear(&got);
    CHECK_INT(gw_store_account_find(st, (enum gw_platform)p, "青溪教育", &got), GW_OK);
    CHECK_INT(got.id, ids[p]);
    gw_account_clear(&got);
  }

  /* uniqueness per platform */
  struct gw_account dup = {.name = "青溪发布", .platform = GW_PLATFORM_WECHAT_SUB, .unit_id = edu,
                           .status = GW_ACCOUNT_RUNNING};
  CHECK_INT(gw_store_account_insert(st, &dup), GW_EEXIST);
  char want[256];
  snprintf(want, sizeof want, "an account '青溪发布' on 微信订阅号 already exists (id %lld)", (long long)a.id);
  CHECK_STR(gw_err_msg(), want);
  CHECK_INT(dup.id, 0);
  dup.platform = GW_PLATFORM_WEIBO;
  CHECK_INT(gw_store_account_insert(st, &dup), GW_OK); /* same name on 微博 is another account */
  /* renaming into a taken name */
  CHECK_INT(gw_store_account_get(st, ids[GW_PLATFORM_DOUYIN], &got), GW_OK);
  got.platform = GW_PLATFORM_WEIBO;
  free(got.name);
  got.name = gw_strdup("青溪发布");
  CHECK_INT(gw_store_account_update(st, &got), GW_EEXIST);
  snprintf(want, sizeof want, "an account '青溪发布' on 微博 already exists (id %lld)", (long long)dup.id);
  CHECK_STR(gw_err_msg(), want);
  gw_account_clear(&got);

  /* find misses, missing ids */
  got.id = 5;
  CHECK_INT(gw_store_account_find(st, GW_PLATFORM_DOUYIN, "青溪发布", &got), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no account '青溪发布' on 抖音");
  CHECK_INT(got.id, 5);
  CHECK_INT(gw_store_account_get(st, 999, &got), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no account with id 999");
  got.id = 0;
  CHECK_INT(gw_store_account_find(st, (enum gw_platform)42, "x", &got), GW_EINVAL);
  struct gw_account orphan = {.name = "孤号", .platform = GW_PLATFORM_APP, .unit_id = 31337,
                              .status = GW_ACCOUNT_RUNNING};
  CHECK_INT(gw_store_account_insert(st, &orphan), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "account '孤号': no unit with id 31337");

  /* update */
  set_now(T1);
  CHECK_INT(gw_store_account_get(st, a.id, &got), GW_OK);
  got.status = GW_ACCOUNT_SUSPENDED;
  GW_FREE(&got.url);
  free(got.cert_subject);
  got.cert_subject = gw_strdup("青溪县融媒体中心");
  got.unit_id = edu;
  CHECK_INT(gw_store_account_update(st, &got), GW_OK);
  CHECK_INT(got.created_at, T0);
  CHECK_INT(got.updated_at, T1);
  gw_account_clear(&got);
  CHECK_INT(gw_store_account_get(st, a.id, &got), GW_OK);
  CHECK_INT(got.status, GW_ACCOUNT_SUSPENDED);
  CHECK(got.url == NULL);
  CHECK_STR(got.cert_subject, "青溪县融媒体中心");
  CHECK_INT(got.unit_id, edu);
  CHECK_INT(got.updated_at, T1);
  got.id = 888;
  CHECK_INT(gw_store_account_update(st, &got), GW_ENOTFOUND);
  CHECK_STR(gw_err_msg(), "no account with id 888");
  gw_account_clear(&got);

  /* list by id, filtered by unit */
  struct gw_account_list al = {0};
  CHECK_INT(gw_store_account_list(st, 0, &al), GW_OK);
  CHECK_INT(al.n, 9);
  for (size_t i = 1; i < al.n; i++)
    CHECK(al.v[i - 1].id < al.v[i].id);
  gw_account_list_free(&al);
  CHECK_INT(gw_store_account_list(st, county, &al), GW_OK);
  CHECK_INT(al.n, 0);
  gw_account_list_free(&al);
  CHECK_INT(gw_store_account_list(st, edu, &al), GW_OK);
  CHECK_INT(al.n, 9);
  if (al.n == 9)
    CHECK_INT(al.v[0].id, a.id);
  gw_account_list_free(&al);

  /* delete */
  CHECK_INT(gw_store_account_delete(st, a.id), GW_OK);
  CHECK_INT(gw_store_account_get(st, a.id, &got), GW_ENOTFOUND);
  CHECK_INT(gw_store_account_delete(st, a.id), GW_ENOTFOUND);
  snprintf(want, sizeof want, "no account with id %lld", (long long)a.id);
  CHECK_STR(gw_err_msg(), want);
  gw_store_close(&st);
}

/* ---- transactions ---- */

static size_t unit_count(struct gw_store *st)
{
  struct gw_unit_list ul = {0};
  CHECK_INT(gw_store_unit_list(st, &ul), GW_OK);
  size_t n = ul.n;
  gw_unit_list_free(&ul);
  return n;
}

static void test_transactions(void)
{
  const char *path = tmp_path("tx.db");
  set_now(T0);
  struct gw_store *st = open_ok(path);
  struct gw_store *other = open_ok(path);
  if (!st || !other)
    return;
  int64_t county = add_unit(st, 0, "青溪县", GW_UNIT_REGION);

  /* rollback leaves nothing */
  CHECK_INT(gw_store_begin(st), GW_OK);
  int64_t u1 = add_unit(st, county, "甲局", GW_UNIT_DEPARTMENT);
  add_unit(st, county, "乙局", GW_UNIT_DEPARTMENT);
  add_site(st, u1, "甲局网站", "http://a.qingxi.gov.cn/", "bm33000011");
  CHECK_INT(unit_count(st), 3);
  CHECK_INT(unit_count(other), 1); /* not visible before commit */
  CHECK_INT(gw_store_begin(st), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "transactions do not nest");
  CHECK_INT(gw_store_rollback(st), GW_OK);
  CHECK_INT(unit_count(st), 1);
  struct gw_site s = {0};
  CHECK_INT(gw_store_site_get_by_code(st, "bm33000011", &s), GW_ENOTFOUND);

  CHECK_INT(gw_store_commit(st), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "no transaction is open");
  CHECK_INT(gw_store_rollback(st), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "no transaction is open");

  /* commit keeps all, including what came after a refused write, and a
   * refused multi-statement change (a unit move) undoes only itself */
  CHECK_INT(gw_store_begin(st), GW_OK);
  int64_t a = add_unit(st, county, "甲局", GW_UNIT_DEPARTMENT);
  struct gw_unit dup = {.parent_id = county, .name = "甲局", .kind = GW_UNIT_DEPARTMENT};
  CHECK_INT(gw_store_unit_insert(st, &dup), GW_EEXIST);
  int64_t b = add_unit(st, a, "甲局办公室", GW_UNIT_DEPARTMENT);
  struct gw_unit mv = {0};
  CHECK_INT(gw_store_unit_get(st, a, &mv), GW_OK);
  mv.parent_id = b;
  CHECK_INT(gw_store_unit_update(st, &mv), GW_EINVAL);
  free(mv.name);
  mv.name = gw_strdup("甲局（新）");
  mv.parent_id = county;
  CHECK_INT(gw_store_unit_update(st, &mv), GW_OK);
  gw_unit_clear(&mv);
  add_site(st, a, "甲局网站", "http://a.qingxi.gov.cn/", "bm33000011");
  CHECK_INT(gw_store_commit(st), GW_OK);
  CHECK_INT(unit_count(other), 3);
  CHECK_INT(gw_store_site_get_by_code(other, "bm33000011", &s), GW_OK);
  CHECK_INT(s.unit_id, a);
  gw_site_clear(&s);
  CHECK_INT(gw_store_unit_get(other, a, &mv), GW_OK);
  CHECK_STR(mv.name, "甲局（新）");
  gw_unit_clear(&mv);

  /* closing with an open transaction rolls it back */
  CHECK_INT(gw_store_begin(st), GW_OK);
  add_unit(st, county, "丙局", GW_UNIT_DEPARTMENT);
  gw_store_close(&st);
  CHECK_INT(unit_count(other), 3);
  gw_store_close(&other);
}

/* ---- crash safety ---- */

/* Child: commit n units one by one, then open a transaction, add m more,
 * report "T" and wait to be killed. Never returns. */
static void child_mid_tx(const char *path, int round, int n, int m, int fd)
{
  struct gw_store *st = NULL;
  char name[64];
  if (gw_store_open(&st, path, 0) != GW_OK)
    _exit(10);
  for (int i = 0; i < n; i++) {
    snprintf(name, sizeof name, "r%d-committed-%d", round, i);
    struct gw_unit u = {.name = name, .kind = GW_UNIT_REGION};
    if (gw_store_unit_insert(st, &u) != GW_OK)
      _exit(11);
  }
  if (gw_store_begin(st) != GW_OK)
    _exit(12);
  for (int i = 0; i < m; i++) {
    snprintf(name, sizeof name, "r%d-pending-%d", round, i);
    struct gw_unit u = {.name = name, .kind = GW_UNIT_REGION};
    if (gw_store_unit_insert(st, &u) != GW_OK)
      _exit(13);
  }
  if (write(fd, "T", 1) != 1)
    _exit(14);
  for (;;)
    pause();
}

/* Child: commit units "s<round>-<i>" one per statement for ever, reporting
 * each i after its commit returned. */
static void child_stream(const char *path, int round, int fd)
{
  struct gw_store *st = NULL;
  char name[64];
  if (gw_store_open(&st, path, 0) != GW_OK)
    _exit(10);
  for (int i = 0;; i++) {
    snprintf(name, sizeof name, "s%d-%d", round, i);
    struct gw_unit u = {.name = name, .kind = GW_UNIT_TOWN};
    if (gw_store_unit_insert(st, &u) != GW_OK)
      _exit(11);
    if (write(fd, &i, sizeof i) != (ssize_t)sizeof i)
      _exit(12);
  }
}

static bool read_full(int fd, void *buf, size_t n)
{
  char *p = buf;
  while (n > 0) {
    ssize_t k = read(fd, p, n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      return false;
    p += k;
    n -= (size_t)k;
  }
  return true;
}

static void kill_child(pid_t pid)
{
  CHECK_INT(kill(pid, SIGKILL), 0);
  int status = 0;
  CHECK_INT(waitpid(pid, &status, 0), pid);
  CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child ended by SIGKILL (status 0x%x)", status);
}

static void check_integrity(const char *path)
{
  sqlite3 *db = raw_open(path);
  if (db) {
    check_raw_text(db, "PRAGMA integrity_check", "ok");
    CHECK_INT(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    sqlite3_close(db);
  }
}

/* How many units have names starting with prefix, and is each of
 * prefix0 .. prefix(n-1) among them? */
static size_t count_prefix(struct gw_store *st, const char *prefix)
{
  struct gw_unit_list ul = {0};
  CHECK_INT(gw_store_unit_list(st, &ul), GW_OK);
  size_t n = 0, len = strlen(prefix);
  for (size_t i = 0; i < ul.n; i++)
    if (strncmp(ul.v[i].name, prefix, len) == 0)
      n++;
  gw_unit_list_free(&ul);
  return n;
}

static void test_crash(void)
{
  const char *path = tmp_path("crash.db");
  char wal[700], prefix[64], name[64];
  snprintf(wal, sizeof wal, "%s-wal", path);
  set_now(T0);
  struct gw_store *st = open_ok(path);
  gw_store_close(&st);
  fflush(NULL);

  /* Killed inside an open transaction. */
  for (int round = 0; round < 4; round++) {
    int n = 5 + round * 7, m = 40;
    int fds[2];
    CHECK_INT(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      child_mid_tx(path, round, n, m, fds[1]);
    }
    close(fds[1]);
    char c = 0;
    CHECK(read_full(fds[0], &c, 1) && c == 'T');
    kill_child(pid);
    close(fds[0]);
    CHECK_MSG(file_exists(wal), "round %d: the killed writer left its WAL for recovery", round);

    st = open_ok(path);
    if (!st)
      return;
    snprintf(prefix, sizeof prefix, "r%d-committed-", round);
    CHECK_INT(count_prefix(st, prefix), n);
    for (int i = 0; i < n; i++) {
      struct gw_unit u = {0};
      snprintf(name, sizeof name, "r%d-committed-%d", round, i);
      CHECK_MSG(gw_store_unit_find(st, 0, name, &u) == GW_OK, "round %d: committed %s survived", round, name);
      gw_unit_clear(&u);
    }
    snprintf(prefix, sizeof prefix, "r%d-pending-", round);
    CHECK_INT(count_prefix(st, prefix), 0);
    gw_store_close(&st);
    check_integrity(path);
  }

  /* Killed during a stream of single-statement commits. */
  for (int round = 0; round < 4; round++) {
    int fds[2];
    CHECK_INT(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      child_stream(path, round, fds[1]);
    }
    close(fds[1]);
    int want = 10 + 23 * round, last = -1, i;
    bool ok = true;
    for (int k = 0; k < want && (ok = read_full(fds[0], &i, sizeof i)); k++) {
      CHECK_INT(i, last + 1);
      last = i;
    }
    CHECK(ok);
    kill_child(pid);
    /* whatever the child reported before it died */
    while (read_full(fds[0], &i, sizeof i)) {
      CHECK_INT(i, last + 1);
      last = i;
    }
    close(fds[0]);

    st = open_ok(path);
    if (!st)
      return;
    snprintf(prefix, sizeof prefix, "s%d-", round);
    size_t found = count_prefix(st, prefix);
    /* every reported commit is there; at most one more committed unreported */
    CHECK_MSG(found == (size_t)last + 1 || found == (size_t)last + 2, "round %d: %zu rows, %d reported", round,
              found, last + 1);
    for (int j = 0; j < (int)found; j++) {
      struct gw_unit u = {0};
      snprintf(name, sizeof name, "s%d-%d", round, j);
      CHECK_MSG(gw_store_unit_find(st, 0, name, &u) == GW_OK, "round %d: %s present", round, name);
      gw_unit_clear(&u);
    }
    gw_store_close(&st);
    check_integrity(path);
  }
}

int main(void)
{
  test_migrate();
  test_newer_schema();
  test_foreign_files();
  test_open_errors();
  test_readonly();
  test_units();
  test_sites();
  test_accounts();
  test_transactions();
  test_crash();
  return gw_test_done();
}
