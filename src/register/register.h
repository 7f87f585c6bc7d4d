/* The register: validation of units, websites and new-media accounts, the
 * references users type for them, and import/export in the column layout of
 * the national reporting systems.
 *
 * Everything that decides whether a register record or a reference is valid
 * lives here, so the CLI, the web front end and the importers agree. The
 * checks that need only data (a URL, a 网站标识码, a unit list) are pure
 * functions over records.h types; the *_resolve and gw_reg_import/export
 * functions add the store. Messages set by the validators name the problem
 * but not the input or its place: the caller knows whether the value came
 * from "--code" or "sites.csv:12: column 网站标识码" and prefixes that. */
#ifndef GW_REGISTER_REGISTER_H
#define GW_REGISTER_REGISTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "store/records.h"
#include "store/store.h"
#include "tab/table.h"

/* Size caps on register text, in bytes of UTF-8. */
#define GW_REG_NAME_MAX 600   /* names, 主办/主管单位, 认证主体, 联系人 */
#define GW_REG_URL_MAX 2048
#define GW_REG_NOTE_MAX 4000

/* Normalise a website or account URL with libcurl's URL API: only http and
 * https, a host is required, the scheme and the ASCII letters of the host are
 * lower-cased (an IDN host is otherwise kept as given, not punycoded), an
 * empty path becomes "/", dot segments are resolved, a default port is
 * dropped, the fragment is dropped, and userinfo (user:password@) is
 * rejected. Surrounding white space is trimmed. Without a scheme the input is
 * an error unless `assume_http` is set; that is only for resolving a typed
 * SITE reference ("www.qx.gov.cn"), never for registering a URL. On success
 * *out is a malloc'd string; otherwise GW_EINVAL with a message saying what
 * is wrong (not repeating the input). */
int gw_reg_url_normalize(const char *in, bool assume_http, char **out);

/* The part of a normalised URL after "scheme://", used to treat the http and
 * https forms of one address as the same site. Borrowed from `url`. */
const char *gw_reg_url_key(const char *url);

/* True if the two digits are the province-level part of a 行政区划代码:
 * 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82. */
bool gw_reg_province_ok(int two_digits);

/* Check a 6-digit 行政区划代码 (a unit's region code): six ASCII digits, a
 * valid province prefix, and no county part under a missing city part (if
 * digits 3–4 are "00", digits 5–6 must be "00" too). GW_EINVAL otherwise,
 * with a message stating the rule. */
int gw_reg_region_code_check(const char *code);

/* Check and normalise a 网站标识码: either ten digits whose first six form a
 * region code accepted by gw_reg_region_code_check (the last four are a
 * sequence number), or "bm" + eight digits (a State Council department's
 * site; "BM" is accepted and lower-cased). White space around it is trimmed.
 * *out is malloc'd on success; GW_EINVAL with a message stating the rule
 * otherwise. */
int gw_reg_site_code_normalize(const char *in, char **out);

/* Parse 有对外服务功能: 有/是/yes/y/true/1 and 无/否/no/n/false/0
 * (ASCII case-insensitive). GW_EINVAL listing the accepted values otherwise. */
int gw_reg_yesno_parse(const char *s, bool *out);

/* Check a text field: valid UTF-8, at most `max` bytes, no control
 * characters (tab and newline are allowed when `multiline`), and not empty
 * when `required`. GW_EINVAL (or GW_ELIMIT for the size) with a message
 * such as "must not be empty" otherwise. */
int gw_reg_text_check(const char *s, size_t max, bool required, bool multiline);

/* Check a unit name: a required single-line text that contains no '/'
 * (the separator of unit paths). */
int gw_reg_unit_name_check(const char *name);

/* ---- The unit tree over a list of units (as gw_store_unit_list gives). ---- */

/* Index in `all` of the unit with this id, or -1. */
long gw_reg_unit_index(const struct gw_unit_list *all, int64_t id);

/* The path of a unit from its root, names joined by '/': "青溪县/青溪县教育局".
 * A dangling parent or a cycle ends the walk. malloc'd; NULL if the id is not
 * in the list. */
char *gw_reg_unit_path(const struct gw_unit_list *all, int64_t id);

/* How to name a unit so gw_reg_unit_lookup finds it again: its name when no
 * other unit has that name, else its path. malloc'd; NULL if not in the list. */
char *gw_reg_unit_ref(const struct gw_unit_list *all, int64_t id);

/* True if `ancestor` is `id` itself or above it in the tree; used to refuse
 * a new parent that would make a cycle. */
bool gw_reg_unit_is_ancestor(const struct gw_unit_list *all, int64_t ancestor, int64_t id);

/* The tree in display order: a pre-order walk with siblings by id, starting
 * at the roots (root 0) or at the children of `root`. order[i] is an index
 * into `all`, depth[i] its depth (0 for the first level shown). Units whose
 * parent is missing from the list are appended at depth 0 when listing the
 * whole tree, so nothing is hidden. *order and *depth are malloc'd;
 * GW_ENOTFOUND if root is not 0 and not in the list. */
int gw_reg_unit_tree(const struct gw_unit_list *all, int64_t root, size_t **order, int **depth,
                     size_t *n);

/* ---- References typed by users, over lists. ----
 * Each sets *idx to the index in `all` of the one record meant, or returns
 * GW_ENOTFOUND ("no such unit") or GW_EINVAL (ambiguous, listing the
 * candidates and how to name one exactly). */

/* UNIT: a numeric id, a path "青溪县/青溪县教育局" from a root, or a name
 * that only one unit has. A number that is no unit's id is tried as a name. */
int gw_reg_unit_lookup(const struct gw_unit_list *all, const char *ref, size_t *idx);

/* SITE: a 网站标识码, a numeric id (fewer than 10 digits), or a URL,
 * normalised with assume_http and matched with either scheme (an exact
 * match wins over the other scheme). */
int gw_reg_site_lookup(const struct gw_site_list *all, const char *ref, size_t *idx);

/* ACCOUNT: a numeric id, "平台:名称" / "platform:name" (the platform as
 * gw_platform_parse accepts it; a full-width colon works too), or a name
 * that only one account has. */
int gw_reg_account_lookup(const struct gw_account_list *all, const char *ref, size_t *idx);

/* The same against the store: load the list, look up, and copy the record
 * into *out (the caller clears it with the matching *_clear). */
int gw_reg_unit_resolve(struct gw_store *st, const char *ref, struct gw_unit *out);
int gw_reg_site_resolve(struct gw_store *st, const char *ref, struct gw_site *out);
int gw_reg_account_resolve(struct gw_store *st, const char *ref, struct gw_account *out);

/* Deep copies of records (strings duplicated). */
void gw_reg_unit_copy(struct gw_unit *dst, const struct gw_unit *src);
void gw_reg_site_copy(struct gw_site *dst, const struct gw_site *src);
void gw_reg_account_copy(struct gw_account *dst, const struct gw_account *src);

/* Another registered site with the same URL (either scheme) or the same
 * 网站标识码 as `s`, ignoring the record with s->id: its index in `all`, or -1.
 * *field is set to "url" or "code" for the clash found first (URL first). */
long gw_reg_site_clash(const struct gw_site_list *all, const struct gw_site *s, const char **field);

/* ---- Import and export (CSV/XLSX through tab/table.h). ---- */

enum gw_reg_kind { GW_REG_UNITS = 1, GW_REG_SITES = 2, GW_REG_ACCOUNTS = 3 };

/* The report of an import. Problems are messages "FILE:LINE: column C: ...";
 * the first GW_REG_PROBLEMS_KEPT are kept, `nproblems` counts them all.
 * Initialise with gw_reg_import_result_init, free with ..._clear. */
#define GW_REG_PROBLEMS_KEPT 200
struct gw_reg_import_result {
  size_t inserted, updated;
  struct gw_strv problems;
  size_t nproblems;
};
void gw_reg_import_result_init(struct gw_reg_import_result *r);
void gw_reg_import_result_clear(struct gw_reg_import_result *r);

/* The header of the layout of a kind (Chinese column names, export order),
 * NULL-terminated, and which of them an import requires. */
const char *const *gw_reg_columns(enum gw_reg_kind kind);
bool gw_reg_column_required(enum gw_reg_kind kind, const char *column);

/* Validate every row of `t` (read from the file called `name`) against the
 * register given as lists, without writing: the header (unknown, repeated
 * and missing required columns), every cell, references to units, and
 * duplicates inside the file and against the register. With `update`
 * (sites: matched by 网站标识码, else by URL; accounts: by platform and
 * name; not for units) a row that matches a registered record is counted
 * as an update instead of a clash. Fills `res` (problems, and the counts
 * that an import would give) and returns GW_OK when there is no problem,
 * else GW_EINVAL with a summary message. */
int gw_reg_import_check(enum gw_reg_kind kind, const struct gw_table *t, const char *name,
                        bool update, const struct gw_unit_list *units,
                        const struct gw_site_list *sites, const struct gw_account_list *accounts,
                        struct gw_reg_import_result *res);

/* gw_reg_import_check against the store, then, if there is no problem,
 * write every row in one transaction (rolled back on any store error, so an
 * import is all or nothing). `res` is filled as by gw_reg_import_check. */
int gw_reg_import(struct gw_store *st, enum gw_reg_kind kind, const struct gw_table *t,
                  const char *name, bool update, struct gw_reg_import_result *res);

/* Build the export table of a kind from lists (units in tree order, sites
 * and accounts by id; units named as gw_reg_unit_ref does), in the layout
 * gw_reg_import reads, so an export imported into an empty register and
 * exported again gives the same table. *out is initialised here. */
void gw_reg_export_table(enum gw_reg_kind kind, const struct gw_unit_list *units,
                         const struct gw_site_list *sites, const struct gw_account_list *accounts,
                         struct gw_table *out);

/* Load the lists from the store and build the export table. */
int gw_reg_export(struct gw_store *st, enum gw_reg_kind kind, struct gw_table *out);

#endif
