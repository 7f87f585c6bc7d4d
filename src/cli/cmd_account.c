/* govwatch account: the register of government new-media accounts. */
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "core/alloc.h"
#include "core/error.h"
#include "register/register.h"

#define NOUN "账号"

static const char *const g_list_head[] = {"编号", "账号名称", "账号类型", "开设主体", "认证主体", "状态"};
static const char *const g_show_fields[] = {"编号", "账号名称", "账号类型", "开设主体", "认证主体",
                                            "账号地址", "运行状态", "备注", "创建时间", "更新时间"};

#define OPT_END {NULL, NULL, NULL, false, NULL, false}

#define ACCOUNT_FIELD_OPTS(req)                                                                  \
  {"name", "NAME", "账号名称, as shown on the platform", req, NULL, false},                      \
  {"platform", "PLATFORM", "账号类型: wechat-sub (微信订阅号), wechat-svc (微信服务号), weibo "   \
   "(微博), douyin (抖音), toutiao (今日头条), kuaishou (快手), app (客户端), other (其他)", req,  \
   NULL, false},                                                                                  \
  {"unit", "UNIT", "开设主体: the unit that runs it (id, path or unique name)", req, NULL, false}, \
  {"cert-subject", "TEXT", "认证主体 as the platform shows it; '' to clear", false, NULL, false},  \
  {"url", "URL", "homepage or feed URL (http:// or https://); '' to clear", false, NULL, false},  \
  {"status", "STATUS", "running (运行中), suspended (已停更) or closed (已注销); default running", \
   false, NULL, false},                                                                           \
  {"note", "TEXT", "备注; '' to clear", false, NULL, false}

static json_t *account_json(const struct gw_account *a, const struct gw_unit_list *units)
{
  json_t *j = json_object();
  char *unit = gw_reg_unit_path(units, a->unit_id);
  json_object_set_new(j, "id", json_integer((json_int_t)a->id));
  json_object_set_new(j, "name", gw_cli_jstr(a->name));
  json_object_set_new(j, "platform", gw_cli_jstr(gw_platform_key(a->platform)));
  json_object_set_new(j, "platform_label", gw_cli_jstr(gw_platform_label(a->platform)));
  json_object_set_new(j, "unit_id", gw_cli_jid(a->unit_id));
  json_object_set_new(j, "unit", gw_cli_jstr(unit));
  json_object_set_new(j, "cert_subject", gw_cli_jstr(a->cert_subject));
  json_object_set_new(j, "url", gw_cli_jstr(a->url));
  json_object_set_new(j, "status", gw_cli_jstr(gw_account_status_key(a->status)));
  json_object_set_new(j, "status_label", gw_cli_jstr(gw_account_status_label(a->status)));
  json_object_set_new(j, "note", gw_cli_jstr(a->note));
  json_object_set_new(j, "created_at", gw_cli_jtime(a->created_at));
  json_object_set_new(j, "updated_at", gw_cli_jtime(a->updated_at));
  free(unit);
  return j;
}

static int account_print(struct gw_cli *cli, const struct gw_account *a,
                         const struct gw_unit_list *units)
{
  if (cli->json)
    return gw_cli_json_print(account_json(a, units));
  char id[24], created[32], updated[32];
  snprintf(id, sizeof id, "%lld", (long long)a->id);
  char *unit = gw_reg_unit_path(units, a->unit_id);
  const char *values[] = {id, a->name, gw_platform_label(a->platform), unit, a->cert_subject, a->url,
                          gw_account_status_label(a->status), a->note,
                          gw_cli_time(a->created_at, created, sizeof created),
                          gw_cli_time(a->updated_at, updated, sizeof updated)};
  gw_cli_record_print(stdout, g_show_fields, values, sizeof values / sizeof values[0]);
  free(unit);
  return GW_OK;
}

static void set_str(char **field, const char *v)
{
  free(*field);
  *field = *v ? gw_strdup(v) : NULL;
}

static int apply_opts(const char *cmd, const struct gw_opt *opts, const struct gw_unit_list *units,
                      struct gw_account *a, bool adding)
{
  const char *v;
  int rc;
  if ((v = gw_cli_opt(opts, "name"))) {
    if ((rc = gw_reg_text_check(v, GW_REG_NAME_MAX, true, false)))
      return gw_cli_opt_err(rc, cmd, "name", v);
    set_str(&a->name, v);
  }
  if ((v = gw_cli_opt(opts, "platform"))) {
    if ((rc = gw_platform_parse(v, &a->platform)))
      return gw_cli_opt_err(rc, cmd, "platform", NULL);
  }
  if ((v = gw_cli_opt(opts, "unit"))) {
    size_t i;
    if ((rc = gw_reg_unit_lookup(units, v, &i)))
      return gw_cli_opt_err(rc, cmd, "unit", v);
    a->unit_id = units->v[i].id;
  }
  if ((v = gw_cli_opt(opts, "cert-subject"))) {
    if ((rc = gw_reg_text_check(v, GW_REG_NAME_MAX, false, false)))
      return gw_cli_opt_err(rc, cmd, "cert-subject", v);
    set_str(&a->cert_subject, v);
  }
  if ((v = gw_cli_opt(opts, "url"))) {
    char *url = NULL;
    if (*v && (rc = gw_reg_url_normalize(v, false, &url)))
      return gw_cli_opt_err(rc, cmd, "url", v);
    free(a->url);
    a->url = url;
  }
  if ((v = gw_cli_opt(opts, "status"))) {
    if ((rc = gw_account_status_parse(v, &a->status)))
      return gw_cli_opt_err(rc, cmd, "status", NULL);
  } else if (adding) {
    a->status = GW_ACCOUNT_RUNNING;
  }
  if ((v = gw_cli_opt(opts, "note"))) {
    if ((rc = gw_reg_text_check(v, GW_REG_NOTE_MAX, false, true)))
      return gw_cli_opt_err(rc, cmd, "note", v);
    set_str(&a->note, v);
  }
  return GW_OK;
}

/* (platform, name) is unique. */
static int check_clash(struct gw_store *st, const char *cmd, const struct gw_account *a)
{
  struct gw_account_list all = {0};
  int rc = gw_store_account_list(st, 0, &all);
  if (rc)
    return rc;
  for (size_t i = 0; i < all.n; i++) {
    if (all.v[i].id != a->id && all.v[i].platform == a->platform &&
        strcmp(all.v[i].name, a->name) == 0) {
      gw_err_set(GW_EEXIST, "%s:%s already registered (id %lld)", gw_platform_label(a->platform),
                 a->name, (long long)all.v[i].id);
      rc = gw_cli_opt_err(GW_EEXIST, cmd, "name", a->name);
      break;
    }
  }
  gw_account_list_free(&all);
  return rc;
}

static int account_add(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "account add";
  struct gw_opt opts[] = {ACCOUNT_FIELD_OPTS(true), OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "", 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch account add --name NAME --platform PLATFORM --unit UNIT [options]",
                "Register a new-media account (政务新媒体). The platform and the name together\n"
                "must be unique.",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct gw_unit_list units = {0};
  struct gw_account a;
  memset(&a, 0, sizeof a);
  if ((rc = gw_cli_store(cli, &st)) || (rc = gw_store_unit_list(st, &units)))
    goto done;
  if ((rc = apply_opts(cmd, opts, &units, &a, true)) || (rc = check_clash(st, cmd, &a)))
    goto done;
  if ((rc = gw_store_account_insert(st, &a))) {
    gw_err_prefix(rc, "%s", cmd);
    goto done;
  }
  if (cli->json)
    rc = account_print(cli, &a, &units);
  else
    printf("已添加账号 %lld：%s:%s\n", (long long)a.id, gw_platform_label(a.platform), a.name);
done:
  gw_account_clear(&a);
  gw_unit_list_free(&units);
  return rc;
}

static int account_edit(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "account edit";
  struct gw_opt opts[] = {ACCOUNT_FIELD_OPTS(false), OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "ACCOUNT", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch account edit ACCOUNT [options]",
                "Change a registered account. ACCOUNT is its id, 平台:名称 (微博:青溪发布,\n"
                "weibo:青溪发布) or a name only one account has.",
                opts);
    return GW_OK;
  }
  if (!gw_cli_any_opt(opts))
    return gw_cli_usage(cmd, "nothing to change (give at least one option)");
  struct gw_store *st;
  struct gw_unit_list units = {0};
  struct gw_account a;
  memset(&a, 0, sizeof a);
  if ((rc = gw_cli_store(cli, &st)) || (rc = gw_store_unit_list(st, &units)))
    goto done;
  if ((rc = gw_reg_account_resolve(st, pos[0], &a))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  if ((rc = apply_opts(cmd, opts, &units, &a, false)) || (rc = check_clash(st, cmd, &a)))
    goto done;
  if ((rc = gw_store_account_update(st, &a))) {
    gw_err_prefix(rc, "%s", cmd);
    goto done;
  }
  if (cli->json) {
    struct gw_account fresh;
    if ((rc = gw_store_account_get(st, a.id, &fresh)) == GW_OK) {
      rc = account_print(cli, &fresh, &units);
      gw_account_clear(&fresh);
    }
  } else {
    printf("已更新账号 %lld：%s:%s\n", (long long)a.id, gw_platform_label(a.platform), a.name);
  }
done:
  gw_account_clear(&a);
  gw_unit_list_free(&units);
  return rc;
}

static int account_show(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "account show";
  struct gw_opt opts[] = {OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "ACCOUNT", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch account show ACCOUNT",
                "Print a registered account as 字段：值 lines (or a JSON object with --json).\n"
                "ACCOUNT is its id, 平台:名称 or a name only one account has.",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct gw_unit_list units = {0};
  struct gw_account a;
  memset(&a, 0, sizeof a);
  if ((rc = gw_cli_store(cli, &st)) || (rc = gw_store_unit_list(st, &units)))
    goto done;
  if ((rc = gw_reg_account_resolve(st, pos[0], &a))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  rc = account_print(cli, &a, &units);
done:
  gw_account_clear(&a);
  gw_unit_list_free(&units);
  return rc;
}

static int account_remove(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "account remove";
  struct gw_opt opts[] = {OPT_END};
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "ACCOUNT", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch account remove ACCOUNT",
                "Remove an account from the register. ACCOUNT is its id, 平台:名称 or a name\n"
                "only one account has.",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct gw_account a;
  memset(&a, 0, sizeof a);
  if ((rc = gw_cli_store(cli, &st)))
    goto done;
  if ((rc = gw_reg_account_resolve(st, pos[0], &a))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  if ((rc = gw_store_account_delete(st, a.id))) {
    gw_err_prefix(rc, "%s: '%s'", cmd, pos[0]);
    goto done;
  }
  if (cli->json) {
    json_t *j = json_object();
    json_object_set_new(j, "removed", json_integer((json_int_t)a.id));
    json_object_set_new(j, "name", gw_cli_jstr(a.name));
    rc = gw_cli_json_print(j);
  } else {
    printf("已删除账号 %lld：%s:%s\n", (long long)a.id, gw_platform_label(a.platform), a.name);
  }
done:
  gw_account_clear(&a);
  return rc;
}

static int account_list(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "account list";
  struct gw_opt opts[] = {
    {"unit", "UNIT", "only accounts of this unit and the units under it", false, NULL, false},
    {"platform", "PLATFORM", "only accounts on this platform (微博, weibo, ...)", false, NULL, false},
    {"status", "STATUS", "only running (运行中), suspended (已停更) or closed (已注销) accounts",
     false, NULL, false},
    OPT_END,
  };
  const char *pos[1];
  int npos;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "", 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch account list [--unit UNIT] [--platform PLATFORM] [--status STATUS]",
                "List registered accounts by id as an aligned table (or a JSON array with --json).",
                opts);
    return GW_OK;
  }
  enum gw_platform platform = 0;
  enum gw_account_status status = 0;
  const char *v;
  if ((v = gw_cli_opt(opts, "platform")) && (rc = gw_platform_parse(v, &platform)))
    return gw_cli_opt_err(rc, cmd, "platform", NULL);
  if ((v = gw_cli_opt(opts, "status")) && (rc = gw_account_status_parse(v, &status)))
    return gw_cli_opt_err(rc, cmd, "status", NULL);
  struct gw_store *st;
  struct gw_unit_list units = {0};
  struct gw_account_list accounts = {0};
  struct gw_cli_table t;
  memset(&t, 0, sizeof t);
  json_t *arr = NULL;
  int64_t unit_id = 0;
  if ((rc = gw_cli_store(cli, &st)) || (rc = gw_store_unit_list(st, &units)))
    goto done;
  if ((v = gw_cli_opt(opts, "unit"))) {
    size_t i;
    if ((rc = gw_reg_unit_lookup(&units, v, &i))) {
      gw_cli_opt_err(rc, cmd, "unit", v);
      goto done;
    }
    unit_id = units.v[i].id;
  }
  if ((rc = gw_store_account_list(st, 0, &accounts)))
    goto done;
  if (cli->json)
    arr = json_array();
  else
    gw_cli_table_init(&t, g_list_head, sizeof g_list_head / sizeof g_list_head[0]);
  size_t shown = 0;
  for (size_t i = 0; i < accounts.n; i++) {
    const struct gw_account *a = &accounts.v[i];
    if ((platform && a->platform != platform) || (status && a->status != status) ||
        (unit_id && !gw_reg_unit_is_ancestor(&units, unit_id, a->unit_id)))
      continue;
    shown++;
    if (arr) {
      json_array_append_new(arr, account_json(a, &units));
      continue;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    char *unit = gw_reg_unit_ref(&units, a->unit_id);
    const char *row[] = {id, a->name, gw_platform_label(a->platform), unit, a->cert_subject,
                         gw_account_status_label(a->status)};
    gw_cli_table_add(&t, row);
    free(unit);
  }
  if (arr) {
    rc = gw_cli_json_print(arr);
    arr = NULL;
  } else if (shown == 0) {
    printf("（没有账号）\n");
  } else {
    gw_cli_table_print(stdout, &t);
  }
done:
  json_decref(arr);
  gw_cli_table_free(&t);
  gw_account_list_free(&accounts);
  gw_unit_list_free(&units);
  return rc;
}

static int account_import(struct gw_cli *cli, int argc, char **argv)
{
  return gw_cli_import(cli, "account", GW_REG_ACCOUNTS, NOUN, true, argc, argv);
}

static int account_export(struct gw_cli *cli, int argc, char **argv)
{
  return gw_cli_export(cli, "account", GW_REG_ACCOUNTS, NOUN, "新媒体账号", argc, argv);
}

static const struct gw_verb g_verbs[] = {
  {"add", "register a new-media account", account_add},
  {"list", "list accounts (filter by unit, platform, status)", account_list},
  {"show", "show one account", account_show},
  {"edit", "change an account's fields", account_edit},
  {"remove", "remove an account", account_remove},
  {"import", "import accounts from CSV or XLSX (all or nothing)", account_import},
  {"export", "export accounts to CSV or XLSX", account_export},
  {NULL, NULL, NULL},
};

int gw_cmd_account(struct gw_cli *cli, int argc, char **argv)
{
  return gw_cli_dispatch(cli, "account",
                         "The register of government new-media accounts (政务新媒体): name,\n"
                         "platform, 开设主体, 认证主体, homepage or feed URL, status. ACCOUNT is an\n"
                         "id, 平台:名称 or a name only one account has.",
                         g_verbs, argc, argv);
}
