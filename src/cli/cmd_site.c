/* govwatch site: the register of government websites. */
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "core/alloc.h"
#include "core/error.h"
#include "register/register.h"

#define NOUN "网站"

/* Labels users read, in one place. */
static const char *const g_list_head[] = {"编号", "网站名称", "网址", "网站标识码", "类型", "所属单位", "状态"};
static const char *const g_show_fields[] = {"编号", "网站名称", "网址", "网站标识码", "网站类型",
                                            "所属单位", "主办单位", "主管单位", "有无对外服务功能",
                                            "运行状态", "备注", "创建时间", "更新时间"};

#define OPT_END {NULL, NULL, NULL, false, NULL, false}

/* The options that set a site's fields (add requires four of them). */
#define SITE_FIELD_OPTS(req)                                                                     \
  {"name", "NAME", "网站名称, the site's name", req, NULL, false},                               \
  {"url", "URL", "homepage URL (http:// or https://)", req, NULL, false},                         \
  {"code", "CODE", "网站标识码: 10 digits starting with a province code, or bm + 8 digits", req,  \
   NULL, false},                                                                                  \
  {"unit", "UNIT", "所属单位: a unit id, path (青溪县/青溪县教育局) or unique name", req, NULL,  \
   false},                                                                                        \
  {"kind", "KIND", "portal (政府门户网站) or department (部门网站); default department", false,  \
   NULL, false},                                                                                  \
  {"external-service", "yes|no", "有无对外服务功能 (also 有/无, 是/否); default yes", false, NULL, \
   false},                                                                                        \
  {"sponsor", "TEXT", "主办单位; default (or when empty) the unit's name", false, NULL, false},   \
  {"supervisor", "TEXT", "主管单位; empty to clear", false, NULL, false},                         \
  {"status", "STATUS", "running (运行中), closed (已关停) or migrated (已迁移); default running",  \
   false, NULL, false},                                                                           \
  {"note", "TEXT", "备注, free text; empty to clear", false, NULL, false}

static int load_units(struct gw_store *st, struct gw_unit_list *units)
{
  memset(units, 0, sizeof *units);
  return gw_store_unit_list(st, units);
}

static json_t *site_json(const struct gw_site *s, const struct gw_unit_list *units)
{
  json_t *j = json_object();
  char *unit = gw_reg_unit_path(units, s->unit_id);
  json_object_set_new(j, "id", json_integer((json_int_t)s->id));
  json_object_set_new(j, "name", gw_cli_jstr(s->name));
  json_object_set_new(j, "url", gw_cli_jstr(s->url));
  json_object_set_new(j, "code", gw_cli_jstr(s->code));
  json_object_set_new(j, "kind", gw_cli_jstr(gw_site_kind_key(s->kind)));
  json_object_set_new(j, "kind_label", gw_cli_jstr(gw_site_kind_label(s->kind)));
  json_object_set_new(j, "unit_id", gw_cli_jid(s->unit_id));
  json_object_set_new(j, "unit", gw_cli_jstr(unit));
  json_object_set_new(j, "external_service", json_boolean(s->external_service));
  json_object_set_new(j, "external_service_label", gw_cli_jstr(s->external_service ? "有" : "无"));
  json_object_set_new(j, "sponsor", gw_cli_jstr(s->sponsor));
  json_object_set_new(j, "supervisor", gw_cli_jstr(s->supervisor));
  json_object_set_new(j, "status", gw_cli_jstr(gw_site_status_key(s->status)));
  json_object_set_new(j, "status_label", gw_cli_jstr(gw_site_status_label(s->status)));
  json_object_set_new(j, "note", gw_cli_jstr(s->note));
  json_object_set_new(j, "created_at", gw_cli_jtime(s->created_at));
  json_object_set_new(j, "updated_at", gw_cli_jtime(s->updated_at));
  free(unit);
  return j;
}

static int site_print(struct gw_cli *cli, const struct gw_site *s, const struct gw_unit_list *units)
{
  if (cli->json)
    return gw_cli_json_print(site_json(s, units));
  char id[24], created[32], updated[32];
  snprintf(id, sizeof id, "%lld", (long long)s->id);
  char *unit = gw_reg_unit_path(units, s->unit_id);
  const char *values[] = {id, s->name, s->url, s->code, gw_site_kind_label(s->kind), unit,
                          s->sponsor, s->supervisor, s->external_service ? "有" : "无",
                          gw_site_status_label(s->status), s->note,
                          gw_cli_time(s->created_at, created, sizeof created),
                          gw_cli_time(s->updated_at, updated, sizeof updated)};
  gw_cli_record_print(stdout, g_show_fields, values, sizeof values / sizeof values[0]);
  free(unit);
  return GW_OK;
}

static void set_str(char **field, const char *v)
{
  free(*field);
  *field = *v ? gw_strdup(v) : NULL;
}

/* Apply the field options given to *s (validating each), for add or edit. */
static int apply_opts(const char *cmd, const struct gw_opt *opts, const struct gw_unit_list *units,
                      struct gw_site *s, bool adding)
{
  const char *v;
  int rc;
  if ((v = gw_cli_opt(opts, "name"))) {
    if ((rc = gw_reg_text_check(v, GW_REG_NAME_MAX, true, false)))
      return gw_cli_opt_err(rc, cmd, "name", v);
    set_str(&s->name, v);
  }
  if ((v = gw_cli_opt(opts, "url"))) {
    char *url;
    if ((rc = gw_reg_url_normalize(v, false, &url)))
      return gw_cli_opt_err(rc, cmd, "url", v);
    free(s->url);
    s->url = url;
  }
  if ((v = gw_cli_opt(opts, "code"))) {
    char *code;
    if ((rc = gw_reg_site_code_normalize(v, &code)))
      return gw_cli_opt_err(rc, cmd, "code", v);
    free(s->code);
    s->code = code;
  }
  if ((v = gw_cli_opt(opts, "unit"))) {
    size_t i;
    if ((rc = gw_reg_unit_lookup(units, v, &i)))
      return gw_cli_opt_err(rc, cmd, "unit", v);
    s->unit_id = units->v[i].id;
  }
  if ((v = gw_cli_opt(opts, "kind"))) {
    if ((rc = gw_site_kind_parse(v, &s->kind)))
      return gw_cli_opt_err(rc, cmd, "kind", NULL);
  } else if (adding) {
    s->kind = GW_SITE_DEPARTMENT;
  }
  if ((v = gw_cli_opt(opts, "external-service"))) {
    if ((rc = gw_reg_yesno_parse(v, &s->external_service)))
      return gw_cli_opt_err(rc, cmd, "external-service", NULL);
  } else if (adding) {
    s->external_service = true;
  }
  if ((v = gw_cli_opt(opts, "status"))) {
    if ((rc = gw_site_status_parse(v, &s->status)))
      return gw_cli_opt_err(rc, cmd, "status", NULL);
  } else if (adding) {
    s->status = GW_SITE_RUNNING;
  }
  v = gw_cli_opt(opts, "sponsor");
  if (v && *v) {
    if ((rc = gw_reg_text_check(v, GW_REG_NAME_MAX, false, false)))
      return gw_cli_opt_err(rc, cmd, "sponsor", v);
    set_str(&s->sponsor, v);
  } else if (v || adding) {
    long ui = gw_reg_unit_index(units, s->unit_id);
    set_str(&s->sponsor, ui >= 0 ? units->v[ui].name : "");
  }
  if ((v = gw_cli_opt(opts, "supervisor"))) {
    if ((rc = gw_reg_text_check(v, GW_REG_NAME_MAX, false, false)))
      return gw_cli_opt_err(rc, cmd, "supervisor", v);
    set_str(&s->supervisor, v);
  }
  if ((v = gw_cli_opt(opts, "note"))) {
    if ((rc = gw_reg_text_check(v, GW_REG_NOTE_MAX, false, true)))
      return gw_cli_opt_err(rc, cmd, "note", v);
    set_str(&s->note, v);
  }
  return GW_OK;
}

/* Refuse a URL or code that another site has (the http and https forms of
 * one address count as the same site). */
static int check_clash(struct gw_store *st, const char *cmd, const struct gw_opt *opts,
                       const struct gw_site *s)
{
  struct gw_site_list all = {0};
  int rc = gw_store_site_list(st, 0, &all);
  if (rc)
    return rc;
  const char *field = NULL;
  long i = gw_reg_site_clash(&all, s, &field);
  if (i >= 0) {
    bool url = strcmp(field, "url") == 0;
    gw_err_set(GW_EEXIST, "already registered (id %lld, %s%s%s)", (long long)all.v[i].id,
               all.v[i].name, url ? ", " : "", url ? all.v[i].url : "");
    rc = gw_cli_opt_err(GW_EEXIST, cmd, url ? "url" : "code",
                        gw_cli_opt(opts, url ? "url" : "code"));
  }
  gw_site_list_free(&all);
  return rc;
}

static int site_add(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "site add";
  struct gw_opt opts[] = {SITE_FIELD_OPTS(true), OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "", 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch site add --name NAME --url URL --code CODE --unit UNIT [options]",
                "Register a website. The URL is normalised (host lower-cased, fragment dropped);\n"
                "its http and https forms and the 网站标识码 must not belong to another site.",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct gw_unit_list units = {0};
  struct gw_site s;
  memset(&s, 0, sizeof s);
  if ((rc = gw_cli_store(cli, &st)) || (rc = load_units(st, &units)))
    goto done;
  if ((rc = apply_opts(cmd, opts, &units, &s, true)))
    goto done;
  if ((rc = check_clash(st, cmd, opts, &s)))
    goto done;
  if ((rc = gw_store_site_insert(st, &s))) {
    gw_err_prefix(rc, "%s", cmd);
    goto done;
  }
  if (cli->json)
    rc = site_print(cli, &s, &units);
  else
    printf("已添加网站 %lld：%s %s\n", (long long)s.id, s.name, s.url);
done:
  gw_site_clear(&s);
  gw_unit_list_free(&units);
  return rc;
}

static int site_edit(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "site edit";
  struct gw_opt opts[] = {SITE_FIELD_OPTS(false), OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch site edit SITE [options]",
                "Change a registered website. SITE is its id, 网站标识码 or URL. Only the fields\n"
                "given change; --sponsor '' sets the unit's name.",
                opts);
    return GW_OK;
  }
  if (!gw_cli_any_opt(opts))
    return gw_cli_usage(cmd, "nothing to change (give at least one option)");
  struct gw_store *st;
  struct gw_unit_list units = {0};
  struct gw_site s;
  memset(&s, 0, sizeof s);
  if ((rc = gw_cli_store(cli, &st)) || (rc = load_units(st, &units)))
    goto done;
  if ((rc = gw_reg_site_resolve(st, pos[0], &s))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  if ((rc = apply_opts(cmd, opts, &units, &s, false)))
    goto done;
  if ((rc = check_clash(st, cmd, opts, &s)))
    goto done;
  if ((rc = gw_store_site_update(st, &s))) {
    gw_err_prefix(rc, "%s", cmd);
    goto done;
  }
  if (cli->json) {
    struct gw_site fresh;
    if ((rc = gw_store_site_get(st, s.id, &fresh)) == GW_OK) {
      rc = site_print(cli, &fresh, &units);
      gw_site_clear(&fresh);
    }
  } else {
    printf("已更新网站 %lld：%s %s\n", (long long)s.id, s.name, s.url);
  }
done:
  gw_site_clear(&s);
  gw_unit_list_free(&units);
  return rc;
}

static int site_show(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "site show";
  struct gw_opt opts[] = {OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch site show SITE",
                "Print a registered website as 字段：值 lines (or a JSON object with --json).\n"
                "SITE is its id, 网站标识码 or URL (www.qx.gov.cn finds http:// and https://).",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct gw_unit_list units = {0};
  struct gw_site s;
  memset(&s, 0, sizeof s);
  if ((rc = gw_cli_store(cli, &st)) || (rc = load_units(st, &units)))
    goto done;
  if ((rc = gw_reg_site_resolve(st, pos[0], &s))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  rc = site_print(cli, &s, &units);
done:
  gw_site_clear(&s);
  gw_unit_list_free(&units);
  return rc;
}

static int site_remove(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "site remove";
  struct gw_opt opts[] = {OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch site remove SITE",
                "Remove a website from the register. SITE is its id, 网站标识码 or URL.", opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct gw_site s;
  memset(&s, 0, sizeof s);
  if ((rc = gw_cli_store(cli, &st)))
    goto done;
  if ((rc = gw_reg_site_resolve(st, pos[0], &s))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  if ((rc = gw_store_site_delete(st, s.id))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  if (cli->json) {
    json_t *j = json_object();
    json_object_set_new(j, "removed", json_integer((json_int_t)s.id));
    json_object_set_new(j, "name", gw_cli_jstr(s.name));
    rc = gw_cli_json_print(j);
  } else {
    printf("已删除网站 %lld：%s %s\n", (long long)s.id, s.name, s.url);
  }
done:
  gw_site_clear(&s);
  return rc;
}

static int site_list(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "site list";
  struct gw_opt opts[] = {
    {"unit", "UNIT", "only sites of this unit and the units under it", false, NULL, false},
    {"kind", "KIND", "only portal (政府门户网站) or department (部门网站) sites", false, NULL, false},
    {"status", "STATUS", "only running (运行中), closed (已关停) or migrated (已迁移) sites", false,
     NULL, false},
    OPT_END,
  };
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "", 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch site list [--unit UNIT] [--kind KIND] [--status STATUS]",
                "List registered websites by id as an aligned table (or a JSON array with --json).",
                opts);
    return GW_OK;
  }
  enum gw_site_kind kind = 0;
  enum gw_site_status status = 0;
  const char *v;
  if ((v = gw_cli_opt(opts, "kind")) && (rc = gw_site_kind_parse(v, &kind)))
    return gw_cli_opt_err(rc, cmd, "kind", NULL);
  if ((v = gw_cli_opt(opts, "status")) && (rc = gw_site_status_parse(v, &status)))
    return gw_cli_opt_err(rc, cmd, "status", NULL);
  struct gw_store *st;
  struct gw_unit_list units = {0};
  struct gw_site_list sites = {0};
  struct gw_cli_table t;
  memset(&t, 0, sizeof t);
  json_t *arr = NULL;
  int64_t unit_id = 0;
  if ((rc = gw_cli_store(cli, &st)) || (rc = load_units(st, &units)))
    goto done;
  if ((v = gw_cli_opt(opts, "unit"))) {
    size_t i;
    if ((rc = gw_reg_unit_lookup(&units, v, &i))) {
      gw_cli_opt_err(rc, cmd, "unit", v);
      goto done;
    }
    unit_id = units.v[i].id;
  }
  if ((rc = gw_store_site_list(st, 0, &sites)))
    goto done;
  if (cli->json)
    arr = json_array();
  else
    gw_cli_table_init(&t, g_list_head, sizeof g_list_head / sizeof g_list_head[0]);
  size_t shown = 0;
  for (size_t i = 0; i < sites.n; i++) {
    const struct gw_site *s = &sites.v[i];
    if ((kind && s->kind != kind) || (status && s->status != status) ||
        (unit_id && !gw_reg_unit_is_ancestor(&units, unit_id, s->unit_id)))
      continue;
    shown++;
    if (arr) {
      json_array_append_new(arr, site_json(s, &units));
      continue;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)s->id);
    char *unit = gw_reg_unit_ref(&units, s->unit_id);
    const char *row[] = {id, s->name, s->url, s->code, gw_site_kind_label(s->kind), unit,
                         gw_site_status_label(s->status)};
    gw_cli_table_add(&t, row);
    free(unit);
  }
  if (arr) {
    rc = gw_cli_json_print(arr);
    arr = NULL;
  } else if (shown == 0) {
    printf("（没有网站）\n");
  } else {
    gw_cli_table_print(stdout, &t);
  }
done:
  json_decref(arr);
  gw_cli_table_free(&t);
  gw_site_list_free(&sites);
  gw_unit_list_free(&units);
  return rc;
}

static int site_import(struct gw_cli *cli, int argc, char **argv)
{
  return gw_cli_import(cli, "site", GW_REG_SITES, NOUN, true, argc, argv);
}

static int site_export(struct gw_cli *cli, int argc, char **argv)
{
  return gw_cli_export(cli, "site", GW_REG_SITES, NOUN, "网站", argc, argv);
}

static const struct gw_verb g_verbs[] = {
  {"add", "register a website", site_add},
  {"list", "list websites (filter by unit, kind, status)", site_list},
  {"show", "show one website", site_show},
  {"edit", "change a website's fields", site_edit},
  {"remove", "remove a website", site_remove},
  {"import", "import websites from CSV or XLSX (all or nothing)", site_import},
  {"export", "export websites to CSV or XLSX", site_export},
  {NULL, NULL, NULL},
};

int gw_cmd_site(struct gw_cli *cli, int argc, char **argv)
{
  return gw_cli_dispatch(cli, "site",
                         "The register of government websites (网站): name, URL, 网站标识码, kind,\n"
                         "unit, 主办/主管单位, external service, status. SITE is an id, a 网站标识码\n"
                         "or a URL.",
                         g_verbs, argc, argv);
}
