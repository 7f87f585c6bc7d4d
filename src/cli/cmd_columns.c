/* govwatch columns: the columns of a site's latest finished crawl with their
 * class, level, items, newest date and state, the V4 (栏目不更新) counts
 * against the rule set's thresholds, and the inspector's class overrides
 * (set-class, unset-class). The same code as the columns.update check
 * (checks/columns.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checks/columns.h"
#include "cli/common.h"
#include "cli/inspect_cli.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "fetch/url.h"
#include "rules/rules.h"
#include "rules/score.h"
#include "store/column_store.h"

#define OPT_END {NULL, NULL, NULL, false, NULL, false}


static const char *day_text(bool has, int64_t day, char *buf, size_t size)
{
  if (!has) {
    snprintf(buf, size, "-");
    return buf;
  }
  int y, m, d;
  gw_civil_from_days(day, &y, &m, &d);
  snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
  return buf;
}

/* The V4 conditions of the rule set, counted over the report's stale and
 * empty columns as the scorer counts findings. */
static int v4_sheet(const struct gw_rules *rules, const struct gw_site *site, const struct gw_column_report *r,
                    struct gw_score_sheet **out)
{
  struct gw_finding *f = gw_calloc(r->n ? r->n : 1, sizeof *f);
  struct gw_buf *keys = gw_calloc(r->n ? r->n : 1, sizeof *keys);
  size_t n = 0;
  for (size_t i = 0; i < r->n; i++) {
    const struct gw_column *c = &r->v[i];
    if (!c->rule)
      continue;
    gw_buf_printf(&keys[n], "column|%s", c->url);
    f[n].check = "columns.update";
    f[n].rule = (char *)c->rule;
    f[n].severity = c->veto_v4_1 || c->state == GW_COLS_EMPTY ? GW_SEV_VETO : GW_SEV_DEDUCT;
    f[n].site_id = site->id;
    f[n].crawl_id = r->crawl_id;
    f[n].key = (char *)gw_buf_cstr(&keys[n]);
    f[n].url = c->url;
    f[n].target = c->url;
    f[n].title = c->title;
    f[n].observed_at = r->as_of;
    n++;
  }
  struct gw_site_facts facts;
  memset(&facts, 0, sizeof facts);
  facts.site_id = site->id;
  facts.name = site->name;
  facts.portal = site->kind == GW_SITE_PORTAL;
  facts.external_service = site->external_service;
  int rc = gw_score_site(rules, &facts, f, n, r->as_of, out);
  for (size_t i = 0; i < r->n; i++)
    gw_buf_free(&keys[i]);
  free(keys);
  free(f);
  return rc;
}

static const struct gw_sheet_veto *find_v4(const struct gw_score_sheet *s)
{
  for (size_t i = 0; i < s->n_vetoes; i++)
    if (strcmp(s->vetoes[i].id, "V4") == 0)
      return &s->vetoes[i];
  return NULL;
}

static json_t *v4_json(const struct gw_sheet_veto *v)
{
  if (!v)
    return json_null();
  json_t *j = json_object();
  json_object_set_new(j, "id", json_string(v->id));
  json_object_set_new(j, "name", gw_cli_jstr(v->name));
  json_object_set_new(j, "hit", json_boolean(v->hit));
  json_t *conds = json_array();
  for (size_t i = 0; i < v->n_conds; i++) {
    const struct gw_sheet_cond *c = &v->conds[i];
    json_t *jc = json_object();
    json_object_set_new(jc, "id", gw_cli_jstr(c->id));
    json_object_set_new(jc, "desc", gw_cli_jstr(c->desc));
    json_object_set_new(jc, "count", json_integer((json_int_t)c->count));
    json_object_set_new(jc, "at_least", json_integer((json_int_t)c->at_least));
    json_object_set_new(jc, "hit", json_boolean(c->hit));
    json_array_append_new(conds, jc);
  }
  json_object_set_new(j, "conditions", conds);
  return j;
}

static void print_text(const struct gw_site *site, const struct gw_column_report *r, const struct gw_sheet_veto *v4)
{
  char when[32];
  printf("%s  %s\n", site->name, site->url);
  printf("  抓取 #%lld，监测时间点 %s：栏目 %zu 个，超期未更新 %zu，空栏目 %zu\n", (long long)r->crawl_id,
         gw_cli_time(r->as_of, when, sizeof when), r->n, r->stale, r->empty);
  if (r->n) {
    static const char *const head[] = {"栏目", "级别", "类别", "信息数", "最新日期", "期限", "状态", "栏目地址"};
    struct gw_cli_table t;
    gw_cli_table_init(&t, head, 8);
    for (size_t i = 0; i < r->n; i++) {
      const struct gw_column *c = &r->v[i];
      char items[32], latest[16], w[16], cls[96], title[512];
      snprintf(items, sizeof items, "%zu", c->items);
      snprintf(cls, sizeof cls, "%s%s", gw_col_class_label(c->cls), c->overridden ? "（人工指定）" : "");
      snprintf(title, sizeof title, "%s%s", c->level > 1 ? "└ " : "", c->title);
      const char *cells[] = {title, c->level > 1 ? "二级" : "一级", cls, items,
                             day_text(c->has_latest, c->latest, latest, sizeof latest),
                             gw_col_window_text(&c->window, w, sizeof w), gw_col_state_label(c->state), c->url};
      gw_cli_table_add(&t, cells);
    }
    gw_cli_table_print(stdout, &t);
    gw_cli_table_free(&t);
  }
  if (v4) {
    printf("  %s %s：%s\n", v4->id, v4->name ? v4->name : "", v4->hit ? "触发单项否决" : "未触发");
    for (size_t i = 0; i < v4->n_conds; i++) {
      const struct gw_sheet_cond *c = &v4->conds[i];
      printf("    (%s) %s：%lld 个（阈值 %lld）%s\n", c->id, c->desc ? c->desc : "", (long long)c->count,
             (long long)c->at_least, c->hit ? " ← 达到" : "");
    }
  }
}

static json_t *report_json(const struct gw_site *site, const struct gw_column_report *r,
                           const struct gw_sheet_veto *v4)
{
  json_t *j = json_object();
  json_t *js = json_object();
  json_object_set_new(js, "id", json_integer((json_int_t)site->id));
  json_object_set_new(js, "name", gw_cli_jstr(site->name));
  json_object_set_new(js, "url", gw_cli_jstr(site->url));
  json_object_set_new(js, "code", gw_cli_jstr(site->code));
  json_object_set_new(j, "site", js);
  json_object_set_new(j, "crawl_id", json_integer((json_int_t)r->crawl_id));
  json_object_set_new(j, "as_of", gw_cli_jtime(r->as_of));
  json_object_set_new(j, "homepage", gw_cli_jstr(r->homepage));
  json_t *counts = json_object();
  json_object_set_new(counts, "columns", json_integer((json_int_t)r->n));
  json_object_set_new(counts, "stale", json_integer((json_int_t)r->stale));
  json_object_set_new(counts, "empty", json_integer((json_int_t)r->empty));
  static const char *const keys[5] = {GW_RULE_COLUMN_STALE_DYNAMIC, GW_RULE_COLUMN_STALE_NOTICE_L1,
                                      GW_RULE_COLUMN_STALE_POLICY_L1, GW_RULE_COLUMN_STALE_LONG, GW_RULE_COLUMN_EMPTY};
  for (int i = 0; i < 5; i++)
    json_object_set_new(counts, keys[i], json_integer((json_int_t)r->by_rule[i]));
  json_object_set_new(j, "counts", counts);
  json_object_set_new(j, "v4", v4_json(v4));
  json_t *cols = json_array();
  for (size_t i = 0; i < r->n; i++)
    json_array_append_new(cols, gw_column_json(&r->v[i]));
  json_object_set_new(j, "columns", cols);
  return j;
}

static int list_columns(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "columns";
  struct gw_opt opts[] = {
    {"as-of", "DATE", "the as-of time 监测时间点 (YYYY-MM-DD [HH:MM[:SS]], Shanghai); default: the crawl's",
     false, NULL, false},
    {"rules", "FILE", "the rule set giving the V4 thresholds; default rules/national-2019.yaml", false, NULL,
     false},
    OPT_END,
  };
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch columns SITE [--as-of DATE] [--rules FILE]\n"
                        "       govwatch columns set-class SITE URL CLASS --reason TEXT\n"
                        "       govwatch columns unset-class SITE URL",
                "List the columns (栏目) found in the latest finished crawl of a site: title,\n"
                "level (一级/二级), class (动态要闻, 通知公告, 政策文件, ...; an inspector's class\n"
                "marked 人工指定), items over all list pages, newest item date, update window\n"
                "and state (正常, 超期未更新, 空栏目, 不按时间判断, 栏目导航), then the V4 栏目不更新\n"
                "counts against the rule set's thresholds. The same judgement as the\n"
                "columns.update check. Keywords and windows: dict/columns/ (GW_DICT_DIR).\n"
                "Classes: news notice policy personnel plan finance leaders organization\n"
                "interpretation annual_report site_report mailbox interview survey topic other.",
                opts);
    return GW_OK;
  }
  int64_t as_of = 0;
  const char *v;
  if ((v = gw_cli_opt(opts, "as-of")) && gw_time_parse(v, &as_of))
    return gw_cli_opt_err(GW_EUSAGE, cmd, "as-of", v);
  struct gw_site_list sites = {0};
  struct gw_store *st;
  struct gw_col_dict *dict = NULL;
  struct gw_rules *rules = NULL;
  if ((rc = gw_cli_pick_sites(cli, cmd, pos[0], false, &sites)) || (rc = gw_cli_store(cli, &st)))
    goto done;
  if ((rc = gw_col_dict_load(gw_col_dict_default_dir(), &dict)))
    goto done;
  char *rpath = gw_cli_rules_path(gw_cli_opt(opts, "rules"), NULL);
  rc = gw_rules_load(rpath, NULL, &rules);
  free(rpath);
  if (rc)
    goto done;
  const struct gw_site *s = &sites.v[0];
  struct gw_crawl crawl = {0};
  int crc = gw_store_crawl_last(st, s->id, true, &crawl);
  if (crc == GW_ENOTFOUND) {
    rc = gw_err_set(GW_ENOTFOUND, "%s: %s (%s) has no finished crawl; crawl it first (govwatch crawl %s)", cmd,
                    s->name, s->url, s->code);
    goto done;
  }
  if ((rc = crc))
    goto done;
  struct gw_check_view *view = NULL;
  struct gw_column_report r;
  memset(&r, 0, sizeof r);
  struct gw_score_sheet *sheet = NULL;
  if ((rc = gw_check_view_open(&view, st, crawl.id, as_of)) == GW_OK &&
      (rc = gw_columns_site_report(view, s->id, dict, &r)) == GW_OK && (rc = v4_sheet(rules, s, &r, &sheet)) == GW_OK) {
    const struct gw_sheet_veto *v4 = find_v4(sheet);
    if (cli->json)
      rc = gw_cli_json_print(report_json(s, &r, v4));
    else
      print_text(s, &r, v4);
  }
  gw_score_sheet_free(&sheet);
  gw_column_report_free(&r);
  gw_check_view_free(&view);
  gw_crawl_clear(&crawl);
done:
  gw_rules_free(&rules);
  gw_col_dict_free(&dict);
  gw_site_list_free(&sites);
  return rc;
}

/* The column URL as the crawler and the check write it. */
static int column_url(const char *cmd, const char *in, char **out)
{
  int rc = gw_url_normalize(NULL, in, out);
  if (rc != GW_OK) {
    char why[512];
    gw_strlcpy(why, gw_err_msg(), sizeof why);
    return gw_cli_usage(cmd, "URL '%s' is not an absolute http(s) URL: %s", in, why);
  }
  return GW_OK;
}

static int set_class(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "columns set-class";
  struct gw_opt opts[] = {
    {"reason", "TEXT", "why the title's class is wrong (kept with the override)", true, NULL, false},
    OPT_END,
  };
  const char *pos[3] = {NULL, NULL, NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE URL CLASS", 3, 3, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch columns set-class SITE URL CLASS --reason TEXT",
                "Set the class of a column (its first list page URL, as 'govwatch columns' shows\n"
                "it) when its title misleads the keyword classification. The next check run\n"
                "(govwatch check) and 'govwatch columns' use it. Setting it again replaces it.\n"
                "Classes: news notice policy personnel plan finance leaders organization\n"
                "interpretation annual_report site_report mailbox interview survey topic other.",
                opts);
    return GW_OK;
  }
  enum gw_col_class cls;
  if (gw_col_class_parse(pos[2], &cls) != GW_OK) {
    char why[512];
    gw_strlcpy(why, gw_err_msg(), sizeof why);
    return gw_cli_usage(cmd, "CLASS: %s", why);
  }
  const char *reason = gw_cli_opt(opts, "reason");
  if (!reason || !*reason)
    return gw_cli_usage(cmd, "--reason must not be empty");
  char *url = NULL;
  if ((rc = column_url(cmd, pos[1], &url)))
    return rc;
  struct gw_site_list sites = {0};
  struct gw_store *st;
  if ((rc = gw_cli_pick_sites(cli, cmd, pos[0], false, &sites)) || (rc = gw_cli_store(cli, &st)))
    goto done;
  struct gw_column_override o;
  memset(&o, 0, sizeof o);
  o.site_id = sites.v[0].id;
  o.url = url;
  o.cls = (char *)gw_col_class_key(cls);
  o.reason = (char *)reason;
  o.created_at = gw_now();
  if ((rc = gw_store_column_override_set(st, &o)))
    goto done;
  if (cli->json) {
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer((json_int_t)o.id));
    json_object_set_new(j, "site_id", json_integer((json_int_t)o.site_id));
    json_object_set_new(j, "url", json_string(url));
    json_object_set_new(j, "class", json_string(o.cls));
    json_object_set_new(j, "reason", json_string(reason));
    json_object_set_new(j, "created_at", gw_cli_jtime(o.created_at));
    rc = gw_cli_json_print(j);
  } else {
    printf("已将 %s 的栏目 %s 指定为 %s（%s）；下次检查生效\n", sites.v[0].name, url, gw_col_class_label(cls),
           o.cls);
  }
done:
  free(url);
  gw_site_list_free(&sites);
  return rc;
}

static int unset_class(struct gw_cli *cli, int argc, char **argv)
{
  const char *cmd = "columns unset-class";
  struct gw_opt opts[] = {OPT_END};
  const char *pos[2] = {NULL, NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(cmd, opts, argc, argv, "SITE URL", 2, 2, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch columns unset-class SITE URL",
                "Remove an inspector's class of a column: the title's keywords decide again\n"
                "from the next check run on.",
                opts);
    return GW_OK;
  }
  char *url = NULL;
  if ((rc = column_url(cmd, pos[1], &url)))
    return rc;
  struct gw_site_list sites = {0};
  struct gw_store *st;
  if ((rc = gw_cli_pick_sites(cli, cmd, pos[0], false, &sites)) || (rc = gw_cli_store(cli, &st)))
    goto done;
  if ((rc = gw_store_column_override_unset(st, sites.v[0].id, url)))
    goto done;
  if (!cli->json)
    printf("已取消 %s 的栏目 %s 的人工类别\n", sites.v[0].name, url);
  else
    rc = gw_cli_json_print(json_pack("{s:s, s:b}", "url", url, "removed", 1));
done:
  free(url);
  gw_site_list_free(&sites);
  return rc;
}

int gw_cmd_columns(struct gw_cli *cli, int argc, char **argv)
{
  if (argc > 1 && strcmp(argv[1], "set-class") == 0)
    return set_class(cli, argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "unset-class") == 0)
    return unset_class(cli, argc - 1, argv + 1);
  return list_columns(cli, argc, argv);
}
