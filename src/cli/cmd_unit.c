/* govwatch unit: the tree of units (地区 → 部门/乡镇) that own sites and accounts. */
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "register/register.h"

#define NOUN "单位"

static const char *const g_list_head[] = {"编号", "单位名称", "类型", "行政区划代码", "网站数", "账号数", "联系人"};
static const char *const g_show_fields[] = {"编号", "单位名称", "单位路径", "上级单位", "单位类型",
                                            "行政区划代码", "联系人", "下级单位数", "网站数",
                                            "账号数", "创建时间", "更新时间"};

#define OPT_END {NULL, NULL, NULL, false, NULL, false}

/* The register around a unit: every unit, and how many children, sites and
 * accounts each has. */
struct census {
  struct gw_unit_list units;
  size_t *children, *sites, *accounts; /* by index into units */
};

static void census_free(struct census *c)
{
  gw_unit_list_free(&c->units);
  free(c->children);
  free(c->sites);
  free(c->accounts);
  memset(c, 0, sizeof *c);
}

static int census_load(struct gw_store *st, struct census *c, bool counts)
{
  memset(c, 0, sizeof *c);
  int rc = gw_store_unit_list(st, &c->units);
  if (rc || !counts)
    return rc;
  size_t n = c->units.n;
  c->children = gw_calloc(n + 1, sizeof *c->children);
  c->sites = gw_calloc(n + 1, sizeof *c->sites);
  c->accounts = gw_calloc(n + 1, sizeof *c->accounts);
  for (size_t i = 0; i < n; i++) {
    long p = gw_reg_unit_index(&c->units, c->units.v[i].parent_id);
    if (p >= 0)
      c->children[p]++;
  }
  struct gw_site_list sites = {0};
  struct gw_account_list accounts = {0};
  if ((rc = gw_store_site_list(st, 0, &sites)) == GW_OK &&
      (rc = gw_store_account_list(st, 0, &accounts)) == GW_OK) {
    for (size_t i = 0; i < sites.n; i++) {
      long k = gw_reg_unit_index(&c->units, sites.v[i].unit_id);
      if (k >= 0)
        c->sites[k]++;
    }
    for (size_t i = 0; i < accounts.n; i++) {
      long k = gw_reg_unit_index(&c->units, accounts.v[i].unit_id);
      if (k >= 0)
        c->accounts[k]++;
    }
  }
  gw_site_list_free(&sites);
  gw_account_list_free(&accounts);
  if (rc)
    census_free(c);
  return rc;
}

static json_t *unit_json(const struct census *c, size_t i)
{
  const struct gw_unit *u = &c->units.v[i];
  json_t *j = json_object();
  char *path = gw_reg_unit_path(&c->units, u->id);
  char *parent = u->parent_id ? gw_reg_unit_path(&c->units, u->parent_id) : NULL;
  json_object_set_new(j, "id", json_integer((json_int_t)u->id));
  json_object_set_new(j, "name", gw_cli_jstr(u->name));
  json_object_set_new(j, "path", gw_cli_jstr(path));
  json_object_set_new(j, "parent_id", gw_cli_jid(u->parent_id));
  json_object_set_new(j, "parent", gw_cli_jstr(parent));
  json_object_set_new(j, "kind", gw_cli_jstr(gw_unit_kind_key(u->kind)));
  json_object_set_new(j, "kind_label", gw_cli_jstr(gw_unit_kind_label(u->kind)));
  json_object_set_new(j, "region_code", gw_cli_jstr(u->region_code));
  json_object_set_new(j, "contact", gw_cli_jstr(u->contact));
  if (c->children) {
    json_object_set_new(j, "children", json_integer((json_int_t)c->children[i]));
    json_object_set_new(j, "sites", json_integer((json_int_t)c->sites[i]));
    json_object_set_new(j, "accounts", json_integer((json_int_t)c->accounts[i]));
  }
  json_object_set_new(j, "created_at", gw_cli_jtime(u->created_at));
  json_object_set_new(j, "updated_at", gw_cli_jtime(u->updated_at));
  free(path);
  free(parent);
  return j;
}

static int unit_print(struct gw_cli *cli, const struct census *c, size_t i)
{
  if (cli->json)
    return gw_cli_json_print(unit_json(c, i));
  const struct gw_unit *u = &c->units.v[i];
  char id[24], nch[24], ns[24], na[24], created[32], updated[32];
  snprintf(id, sizeof id, "%lld", (long long)u->id);
  snprintf(nch, sizeof nch, "%zu", c->children[i]);
  snprintf(ns, sizeof ns, "%zu", c->sites[i]);
  snprintf(na, sizeof na, "%zu", c->accounts[i]);
  char *path = gw_reg_unit_path(&c->units, u->id);
  char *parent = u->parent_id ? gw_reg_unit_path(&c->units, u->parent_id) : NULL;
  const char *values[] = {id, u->name, path, parent, gw_unit_kind_label(u->kind), u->region_code,
                          u->contact, nch, ns, na,
                          gw_cli_time(u->created_at, created, sizeof created),
                          gw_cli_time(u->updated_at, updated, sizeof updated)};
  gw_cli_record_print(stdout, g_show_fields, values, sizeof values / sizeof values[0]);
  free(path);
  free(parent);
  return GW_OK;
}

static void set_str(char **field, const char *v)
{
  free(*field);
  *field = *v ? gw_strdup(v) : NULL;
}

/* A sibling with the same name under the unit's parent (other than itself). */
static int check_sibling(const char *cmd, const struct gw_unit_list *units, const struct gw_unit *u)
{
  for (size_t i = 0; i < units->n; i++) {
    const struct gw_unit *o = &units->v[i];
    if (o->id != u->id && o->parent_id == u->parent_id && strcmp(o->name, u->name) == 0) {
      char *path = gw_reg_unit_path(units, o->id);
      gw_err_set(GW_EEXIST, "already registered (id %lld, %s)", (long long)o->id, path);
      free(path);
      return gw_cli_opt_err(GW_EEXIST, cmd, "name", u->name);
    }
  }
  return GW_OK;
}

static int apply_opts(const char *cmd, const struct gw_opt *opts, const struct gw_unit_list *units,
                      struct gw_unit *u, bool adding)
{
  const char *v;
  int rc;
  if ((v = gw_cli_opt(opts, "name"))) {
    if ((rc = gw_reg_unit_name_check(v)))
      return gw_cli_opt_err(rc, cmd, "name", v);
    set_str(&u->name, v);
  }
  if ((v = gw_cli_opt(opts, "parent"))) {
    if (!*v) {
      u->parent_id = 0;
    } else {
      size_t i;
      if ((rc = gw_reg_unit_lookup(units, v, &i)))
        return gw_cli_opt_err(rc, cmd, "parent", v);
      if (u->id && gw_reg_unit_is_ancestor(units, u->id, units->v[i].id)) {
        gw_err_set(GW_EINVAL, "would make a cycle (the unit cannot be under itself or a unit below it)");
        return gw_cli_opt_err(GW_EINVAL, cmd, "parent", v);
      }
      u->parent_id = units->v[i].id;
    }
  }
  if ((v = gw_cli_opt(opts, "kind"))) {
    if ((rc = gw_unit_kind_parse(v, &u->kind)))
      return gw_cli_opt_err(rc, cmd, "kind", NULL);
  } else if (adding) {
    u->kind = u->parent_id ? GW_UNIT_DEPARTMENT : GW_UNIT_REGION;
  }
  if ((v = gw_cli_opt(opts, "region-code"))) {
    if (*v && (rc = gw_reg_region_code_check(v)))
      return gw_cli_opt_err(rc, cmd, "region-code", v);
    set_str(&u->region_code, v);
  }
  if ((v = gw_cli_opt(opts, "contact"))) {
    if ((rc = gw_reg_text_check(v, GW_REG_NAME_MAX, false, false)))
      return gw_cli_opt_err(rc, cmd, "contact", v);
    set_str(&u->contact, v);
  }
  return check_sibling(cmd, units, u);
}

#define UNIT_FIELD_OPTS(req)                                                                    \
  {"name", "NAME", "单位名称 (no '/'); unique among the units under one parent", req, NULL,    \
   false},                                                                                       \
  {"parent", "UNIT", "上级单位: a unit id, path or unique name; '' for a top-level unit",       \
   false, NULL, false},                                                                          \
  {"kind", "KIND", "region (地区), department (部门) or town (乡镇); default region at the top, "  \
   "department below", false, NULL, false},                                                      \
  {"region-code", "CODE", "行政区划代码, 6 digits starting with a province code; '' to clear",    \
   false, NULL, false},                                                                          \
  {"contact", "TEXT", "联系人 (person, phone) for problem tickets; '' to clear", false, NULL,    \
   false}

static int unit_add(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "unit add";
  struct gw_opt opts[] = {UNIT_FIELD_OPTS(true), OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "", 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch unit add --name NAME [--parent UNIT] [options]",
                "Add a unit to the tree: a region (地区, e.g. 青溪县), a department (部门, e.g.\n"
                "青溪县教育局) or a town (乡镇/街道).",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct census c;
  memset(&c, 0, sizeof c);
  struct gw_unit u;
  memset(&u, 0, sizeof u);
  if ((rc = gw_cli_store(cli, &st)) || (rc = census_load(st, &c, false)))
    goto done;
  if ((rc = apply_opts(cmd, opts, &c.units, &u, true)))
    goto done;
  if ((rc = gw_store_unit_insert(st, &u))) {
    gw_err_prefix(rc, "%s", cmd);
    goto done;
  }
  if (cli->json) {
    census_free(&c);
    if ((rc = census_load(st, &c, true)) == GW_OK)
      rc = unit_print(cli, &c, (size_t)gw_reg_unit_index(&c.units, u.id));
  } else {
    gw_unit_list_free(&c.units);
    if ((rc = gw_store_unit_list(st, &c.units)) == GW_OK) {
      char *path = gw_reg_unit_path(&c.units, u.id);
      printf("已添加单位 %lld：%s\n", (long long)u.id, path ? path : u.name);
      free(path);
    }
  }
done:
  gw_unit_clear(&u);
  census_free(&c);
  return rc;
}

static int unit_edit(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "unit edit";
  struct gw_opt opts[] = {UNIT_FIELD_OPTS(false), OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "UNIT", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch unit edit UNIT [options]",
                "Change a unit. UNIT is its id, its path (青溪县/青溪县教育局) or a name only it\n"
                "has. A new parent may not be the unit itself or a unit below it.",
                opts);
    return GW_OK;
  }
  if (!gw_cli_any_opt(opts))
    return gw_cli_usage(cmd, "nothing to change (give at least one option)");
  struct gw_store *st;
  struct census c;
  memset(&c, 0, sizeof c);
  struct gw_unit u;
  memset(&u, 0, sizeof u);
  size_t i;
  if ((rc = gw_cli_store(cli, &st)) || (rc = census_load(st, &c, false)))
    goto done;
  if ((rc = gw_reg_unit_lookup(&c.units, pos[0], &i))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  gw_reg_unit_copy(&u, &c.units.v[i]);
  if ((rc = apply_opts(cmd, opts, &c.units, &u, false)))
    goto done;
  if ((rc = gw_store_unit_update(st, &u))) {
    gw_err_prefix(rc, "%s", cmd);
    goto done;
  }
  census_free(&c);
  if ((rc = census_load(st, &c, cli->json)))
    goto done;
  if (cli->json) {
    rc = unit_print(cli, &c, (size_t)gw_reg_unit_index(&c.units, u.id));
  } else {
    char *path = gw_reg_unit_path(&c.units, u.id);
    printf("已更新单位 %lld：%s\n", (long long)u.id, path ? path : u.name);
    free(path);
  }
done:
  gw_unit_clear(&u);
  census_free(&c);
  return rc;
}

static int unit_show(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "unit show";
  struct gw_opt opts[] = {OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "UNIT", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch unit show UNIT",
                "Print a unit as 字段：值 lines (or a JSON object with --json), with the numbers\n"
                "of its child units, sites and accounts.",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct census c;
  memset(&c, 0, sizeof c);
  size_t i;
  if ((rc = gw_cli_store(cli, &st)) || (rc = census_load(st, &c, true)))
    goto done;
  if ((rc = gw_reg_unit_lookup(&c.units, pos[0], &i))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  rc = unit_print(cli, &c, i);
done:
  census_free(&c);
  return rc;
}

static int unit_remove(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "unit remove";
  struct gw_opt opts[] = {OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "UNIT", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch unit remove UNIT",
                "Remove a unit. A unit that still has child units, sites or accounts is kept\n"
                "(exit status 3): move or remove those first.",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct census c;
  memset(&c, 0, sizeof c);
  size_t i;
  if ((rc = gw_cli_store(cli, &st)) || (rc = census_load(st, &c, false)))
    goto done;
  if ((rc = gw_reg_unit_lookup(&c.units, pos[0], &i))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  const struct gw_unit *u = &c.units.v[i];
  char *path = gw_reg_unit_path(&c.units, u->id);
  if ((rc = gw_store_unit_delete(st, u->id))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
  } else if (cli->json) {
    json_t *j = json_object();
    json_object_set_new(j, "removed", json_integer((json_int_t)u->id));
    json_object_set_new(j, "path", gw_cli_jstr(path));
    rc = gw_cli_json_print(j);
  } else {
    printf("已删除单位 %lld：%s\n", (long long)u->id, path);
  }
  free(path);
done:
  census_free(&c);
  return rc;
}

static int unit_list(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "unit list";
  struct gw_opt opts[] = {
    {"parent", "UNIT", "only the units below this unit", false, NULL, false},
    OPT_END,
  };
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "", 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch unit list [--parent UNIT]",
                "List units in tree order, indented under their parents, with the numbers of\n"
                "their sites and accounts (a JSON array with --json, each with its depth).",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct census c;
  memset(&c, 0, sizeof c);
  size_t *order = NULL, n = 0;
  int *depth = NULL;
  int64_t root = 0;
  if ((rc = gw_cli_store(cli, &st)) || (rc = census_load(st, &c, true)))
    goto done;
  const char *v = gw_cli_opt(opts, "parent");
  if (v) {
    size_t i;
    if ((rc = gw_reg_unit_lookup(&c.units, v, &i))) {
      gw_cli_opt_err(rc, cmd, "parent", v);
      goto done;
    }
    root = c.units.v[i].id;
  }
  if ((rc = gw_reg_unit_tree(&c.units, root, &order, &depth, &n)))
    goto done;
  if (cli->json) {
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
      json_t *j = unit_json(&c, order[k]);
      json_object_set_new(j, "depth", json_integer(depth[k]));
      json_array_append_new(arr, j);
    }
    rc = gw_cli_json_print(arr);
    goto done;
  }
  if (n == 0) {
    printf("（没有单位）\n");
    goto done;
  }
  struct gw_cli_table t;
  gw_cli_table_init(&t, g_list_head, sizeof g_list_head / sizeof g_list_head[0]);
  for (size_t k = 0; k < n; k++) {
    size_t i = order[k];
    const struct gw_unit *u = &c.units.v[i];
    char id[24], ns[24], na[24];
    snprintf(id, sizeof id, "%lld", (long long)u->id);
    snprintf(ns, sizeof ns, "%zu", c.sites[i]);
    snprintf(na, sizeof na, "%zu", c.accounts[i]);
    struct gw_buf name = GW_BUF_INIT;
    for (int d = 0; d < depth[k]; d++)
      gw_buf_puts(&name, "  ");
    gw_buf_puts(&name, u->name);
    const char *row[] = {id, gw_buf_cstr(&name), gw_unit_kind_label(u->kind), u->region_code, ns, na,
                         u->contact};
    gw_cli_table_add(&t, row);
    gw_buf_free(&name);
  }
  gw_cli_table_print(stdout, &t);
  gw_cli_table_free(&t);
done:
  free(order);
  free(depth);
  census_free(&c);
  return rc;
}

static int unit_import(struct gw_cli *cli, int argc, char **argv)
{
  return gw_cli_import(cli, "unit", GW_REG_UNITS, NOUN, false, argc, argv);
}

static int unit_export(struct gw_cli *cli, int argc, char **argv)
{
  return gw_cli_export(cli, "unit", GW_REG_UNITS, NOUN, "单位", argc, argv);
}

static const struct gw_verb g_verbs[] = {
  {"add", "add a unit", unit_add},
  {"list", "list the unit tree with site and account counts", unit_list},
  {"show", "show one unit", unit_show},
  {"edit", "change a unit (name, parent, kind, region code, contact)", unit_edit},
  {"remove", "remove a unit that nothing refers to", unit_remove},
  {"import", "import units from CSV or XLSX (all or nothing)", unit_import},
  {"export", "export units to CSV or XLSX", unit_export},
  {NULL, NULL, NULL},
};

int gw_cmd_unit(struct gw_cli *cli, int argc, char **argv)
{
  return gw_cli_dispatch(cli, "unit",
                         "The tree of units (单位): regions (地区), departments (部门) and towns\n"
                         "(乡镇) that run websites and new-media accounts. UNIT is an id, a path\n"
                         "such as 青溪县/青溪县教育局, or a name only one unit has.",
                         g_verbs, argc, argv);
}
