/* Shared helpers of the subcommands (see common.h) and gw_cli_store. */
#include "cli/common.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/utf8.h"

int gw_cli_store(struct gw_cli *cli, struct gw_store **out)
{
  if (!cli->store) {
    const char *uri = cli->db ? cli->db : cli->cfg.db;
    if (!uri || !*uri)
      uri = "govwatch.db";
    int rc = gw_store_open(&cli->store, uri, 0);
    if (rc)
      return rc;
  }
  *out = cli->store;
  return GW_OK;
}

/* ---- Options ---- */

static struct gw_opt *find_opt(struct gw_opt *opts, const char *name, size_t len)
{
  for (struct gw_opt *o = opts; o->name; o++)
    if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
      return o;
  return NULL;
}

int gw_cli_parse(const char *cmd, struct gw_opt *opts, int argc, char **argv, const char *posname,
                 int minpos, int maxpos, const char **pos, int *npos, bool *help)
{
  int np = 0;
  bool only_pos = false;
  *help = false;
  for (struct gw_opt *o = opts; o->name; o++) {
    o->value = NULL;
    o->seen = false;
  }
  /* help wins over every other problem on the line */
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0)
      break;
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      *help = true;
      return GW_OK;
    }
  }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!only_pos && strcmp(a, "--") == 0) {
      only_pos = true;
      continue;
    }
    if (only_pos || a[0] != '-' || a[1] == '\0') {
      if (np >= maxpos) {
        if (maxpos == 0)
          return gw_cli_usage(cmd, "unexpected argument '%s'", a);
        return gw_cli_usage(cmd, "unexpected argument '%s' (only one %s)", a, posname);
      }
      pos[np++] = a;
      continue;
    }
    /* a one-letter option may be written -o as well as --o */
    if (a[1] != '-' && (a[2] != '\0' || !find_opt(opts, a + 1, 1)))
      return gw_cli_usage(cmd, "unknown option '%s'", a);
    const char *name = a[1] == '-' ? a + 2 : a + 1;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    struct gw_opt *o = find_opt(opts, name, len);
    if (!o)
      return gw_cli_usage(cmd, "unknown option '--%.*s'", (int)len, name);
    if (o->seen)
      return gw_cli_usage(cmd, "option --%s given twice", o->name);
    o->seen = true;
    if (!o->metavar) {
      if (eq)
        return gw_cli_usage(cmd, "option --%s takes no value", o->name);
      o->value = "";
    } else if (eq) {
      o->value = eq + 1;
    } else {
      if (i + 1 >= argc)
        return gw_cli_usage(cmd, "option --%s needs a value (%s)", o->name, o->metavar);
      o->value = argv[++i];
    }
  }
  for (struct gw_opt *o = opts; o->name; o++)
    if (o->required && !o->seen)
      return gw_cli_usage(cmd, "missing required option --%s", o->name);
  if (np < minpos)
    return gw_cli_usage(cmd, "missing argument %s", posname);
  *npos = np;
  return GW_OK;
}

const char *gw_cli_opt(const struct gw_opt *opts, const char *name)
{
  for (const struct gw_opt *o = opts; o->name; o++)
    if (strcmp(o->name, name) == 0)
      return o->seen ? o->value : NULL;
  return NULL;
}

bool gw_cli_any_opt(const struct gw_opt *opts)
{
  for (const struct gw_opt *o = opts; o->name; o++)
    if (o->seen)
      return true;
  return false;
}

void gw_cli_help(FILE *f, const char *usage, const char *desc, const struct gw_opt *opts)
{
  fprintf(f, "usage: %s\n\n%s\n", usage, desc);
  if (opts && opts->name)
    fprintf(f, "\nOptions:\n");
  for (const struct gw_opt *o = opts; o && o->name; o++) {
    char left[64];
    if (o->metavar)
      snprintf(left, sizeof left, "%s%s %s", o->name[1] ? "--" : "-", o->name, o->metavar);
    else
      snprintf(left, sizeof left, "%s%s", o->name[1] ? "--" : "-", o->name);
    fprintf(f, "  %-26s %s%s\n", left, o->help, o->required ? " (required)" : "");
  }
  fprintf(f, "  %-26s %s\n", "-h, --help", "show this help");
  fprintf(f, "\nGlobal options such as --db PATH and --json may appear anywhere.\n");
}

int gw_cli_dispatch(struct gw_cli *cli, const char *cmd, const char *desc,
                    const struct gw_verb *verbs, int argc, char **argv)
{
  if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                    strcmp(argv[1], "help") == 0)) {
    printf("usage: govwatch %s <verb> [options]\n\n%s\n\nVerbs:\n", cmd, desc);
    for (const struct gw_verb *v = verbs; v->name; v++)
      printf("  %-8s %s\n", v->name, v->summary);
    printf("\nRun 'govwatch %s <verb> --help' for a verb's options.\n", cmd);
    return GW_OK;
  }
  struct gw_buf names = GW_BUF_INIT;
  for (const struct gw_verb *v = verbs; v->name; v++)
    gw_buf_printf(&names, "%s%s", v == verbs ? "" : ", ", v->name);
  int rc;
  if (argc < 2) {
    rc = gw_cli_usage(cmd, "missing verb (one of: %s)", gw_buf_cstr(&names));
  } else {
    const struct gw_verb *v = verbs;
    while (v->name && strcmp(v->name, argv[1]) != 0)
      v++;
    if (v->name)
      rc = v->run(cli, argc - 1, argv + 1);
    else
      rc = gw_cli_usage(cmd, "unknown verb '%s' (one of: %s)", argv[1], gw_buf_cstr(&names));
  }
  gw_buf_free(&names);
  return rc;
}

/* ---- Tables ---- */

void gw_cli_table_init(struct gw_cli_table *t, const char *const *head, size_t ncols)
{
  memset(t, 0, sizeof *t);
  t->ncols = ncols;
  gw_cli_table_add(t, head);
}

/* Line breaks and tabs inside a cell are stored as spaces, so widths and
 * output agree. */
void gw_cli_table_add(struct gw_cli_table *t, const char *const *cells)
{
  for (size_t i = 0; i < t->ncols; i++) {
    char *c = gw_strdup(cells[i] ? cells[i] : "");
    for (char *p = c; *p; p++)
      if (*p == '\n' || *p == '\r' || *p == '\t')
        *p = ' ';
    gw_strv_push_owned(&t->cells, c);
  }
}

static size_t cell_width(const char *s)
{
  return gw_utf8_width(s);
}

void gw_cli_table_print(FILE *f, const struct gw_cli_table *t)
{
  size_t nrows = t->ncols ? t->cells.n / t->ncols : 0;
  size_t *w = gw_calloc(t->ncols + 1, sizeof *w);
  for (size_t r = 0; r < nrows; r++) {
    for (size_t c = 0; c < t->ncols; c++) {
      size_t cw = cell_width(t->cells.v[r * t->ncols + c]);
      if (cw > w[c])
        w[c] = cw;
    }
  }
  struct gw_buf line = GW_BUF_INIT;
  for (size_t r = 0; r < nrows; r++) {
    gw_buf_reset(&line);
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = t->cells.v[r * t->ncols + c];
      gw_buf_puts(&line, s);
      if (c + 1 < t->ncols) {
        for (size_t k = cell_width(s); k < w[c] + 2; k++)
          gw_buf_putc(&line, ' ');
      }
    }
    /* no padding after the last non-empty cell */
    while (line.len > 0 && line.data[line.len - 1] == ' ')
      line.data[--line.len] = '\0';
    fprintf(f, "%s\n", gw_buf_cstr(&line));
  }
  gw_buf_free(&line);
  free(w);
}

void gw_cli_table_free(struct gw_cli_table *t)
{
  gw_strv_free(&t->cells);
  t->ncols = 0;
}

void gw_cli_record_print(FILE *f, const char *const *fields, const char *const *values, size_t n)
{
  for (size_t i = 0; i < n; i++)
    fprintf(f, "%s：%s\n", fields[i], values[i] ? values[i] : "");
}

/* ---- JSON ---- */

json_t *gw_cli_jstr(const char *s)
{
  if (!s)
    return json_null();
  json_t *j = json_string(s);
  if (j)
    return j;
  /* not UTF-8: keep the valid parts so the output stays parseable */
  struct gw_buf b = GW_BUF_INIT;
  size_t len = strlen(s);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = gw_utf8_decode(s + i, len - i, &cp);
    if (k == 0) {
      gw_buf_puts(&b, "\xEF\xBF\xBD");
      i++;
    } else {
      gw_buf_append(&b, s + i, k);
      i += k;
    }
  }
  j = json_string(gw_buf_cstr(&b));
  gw_buf_free(&b);
  return j ? j : json_null();
}

json_t *gw_cli_jid(int64_t id)
{
  return id ? json_integer((json_int_t)id) : json_null();
}

json_t *gw_cli_jtime(int64_t t)
{
  char buf[40];
  return t ? json_string(gw_time_format_iso(t, buf, sizeof buf)) : json_null();
}

int gw_cli_json_print(json_t *j)
{
  char *s = json_dumps(j, JSON_INDENT(2));
  json_decref(j);
  if (!s)
    return gw_err_set(GW_ENOMEM, "could not format JSON output");
  puts(s);
  free(s);
  return GW_OK;
}

const char *gw_cli_time(int64_t t, char *buf, size_t size)
{
  if (!t) {
    if (size)
      buf[0] = '\0';
    return buf;
  }
  return gw_time_format(t, buf, size);
}

int gw_cli_opt_err(int rc, const char *cmd, const char *opt, const char *value)
{
  if (value && *value)
    return gw_err_prefix(rc, "%s: --%s '%s'", cmd, opt, value);
  return gw_err_prefix(rc, "%s: --%s", cmd, opt);
}

/* ---- Import and export ---- */

static void columns_help(FILE *f, enum gw_reg_kind kind)
{
  const char *const *cols = gw_reg_columns(kind);
  fprintf(f, "\nColumns (header names exactly, any order; * = required):\n ");
  for (size_t i = 0; cols[i]; i++)
    fprintf(f, " %s%s", cols[i], gw_reg_column_required(kind, cols[i]) ? "*" : "");
  fprintf(f, "\n");
}

int gw_cli_import(struct gw_cli *cli, const char *cmd, enum gw_reg_kind kind, const char *noun,
                  bool allow_update, int argc, char **argv)
{
  struct gw_opt with_update[] = {
    {"update", NULL, "update registered rows (matched by 网站标识码, else URL; accounts by platform and name) instead of rejecting them", false, NULL, false},
    {NULL, NULL, NULL, false, NULL, false},
  };
  struct gw_opt none[] = {{NULL, NULL, NULL, false, NULL, false}};
  struct gw_opt *opts = allow_update ? with_update : none;
  char full[64];
  snprintf(full, sizeof full, "%s import", cmd);
  const char *pos[1];
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(full, opts, argc, argv, "FILE", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    char usage[128];
    snprintf(usage, sizeof usage, "govwatch %s import FILE%s", cmd, allow_update ? " [--update]" : "");
    gw_cli_help(stdout, usage,
                "Import a CSV or XLSX file (by its extension) in the layout of the national\n"
                "reporting systems. Every row is checked first; if any row has a problem, all\n"
                "problems are listed with their line and column and nothing is written.",
                opts);
    columns_help(stdout, kind);
    return GW_OK;
  }
  const char *file = pos[0];
  bool update = allow_update && gw_cli_opt(opts, "update");
  enum gw_table_format fmt;
  rc = gw_table_format_of(file, &fmt);
  if (rc)
    return gw_err_prefix(rc, "%s", full);
  struct gw_table t;
  memset(&t, 0, sizeof t);
  struct gw_store *st;
  struct gw_reg_import_result res;
  gw_reg_import_result_init(&res);
  rc = gw_table_read(file, &t);
  if (rc) {
    gw_err_prefix(rc, "%s", full);
    goto done;
  }
  rc = gw_cli_store(cli, &st);
  if (rc)
    goto done;
  rc = gw_reg_import(st, kind, &t, file, update, &res);
  for (size_t i = 0; i < res.problems.n; i++)
    fprintf(stderr, "%s\n", res.problems.v[i]);
  if (res.nproblems > res.problems.n)
    fprintf(stderr, "... and %zu more problems\n", res.nproblems - res.problems.n);
  if (rc)
    goto done;
  if (cli->json) {
    json_t *j = json_object();
    json_object_set_new(j, "file", gw_cli_jstr(file));
    json_object_set_new(j, "inserted", json_integer((json_int_t)res.inserted));
    json_object_set_new(j, "updated", json_integer((json_int_t)res.updated));
    rc = gw_cli_json_print(j);
  } else if (update) {
    printf("已导入 %zu 个%s，更新 %zu 个%s\n", res.inserted, noun, res.updated, noun);
  } else {
    printf("已导入 %zu 个%s\n", res.inserted, noun);
  }
done:
  gw_reg_import_result_clear(&res);
  gw_table_free(&t);
  return rc;
}

int gw_cli_export(struct gw_cli *cli, const char *cmd, enum gw_reg_kind kind, const char *noun,
                  const char *sheet, int argc, char **argv)
{
  struct gw_opt opts[] = {{NULL, NULL, NULL, false, NULL, false}};
  char full[64];
  snprintf(full, sizeof full, "%s export", cmd);
  const char *pos[1];
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(full, opts, argc, argv, "FILE", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    char usage[128];
    snprintf(usage, sizeof usage, "govwatch %s export FILE", cmd);
    gw_cli_help(stdout, usage,
                "Export to a CSV (UTF-8 with BOM) or XLSX file, by the file's extension, in the\n"
                "layout 'import' reads. The file is replaced atomically.",
                opts);
    columns_help(stdout, kind);
    return GW_OK;
  }
  const char *file = pos[0];
  enum gw_table_format fmt;
  rc = gw_table_format_of(file, &fmt);
  if (rc)
    return gw_err_prefix(rc, "%s", full);
  struct gw_store *st;
  rc = gw_cli_store(cli, &st);
  if (rc)
    return rc;
  struct gw_table t;
  memset(&t, 0, sizeof t);
  rc = gw_reg_export(st, kind, &t);
  if (rc == GW_OK)
    rc = gw_table_write(file, &t, sheet);
  if (rc == GW_OK) {
    if (cli->json) {
      json_t *j = json_object();
      json_object_set_new(j, "file", gw_cli_jstr(file));
      json_object_set_new(j, "rows", json_integer((json_int_t)t.nrows));
      rc = gw_cli_json_print(j);
    } else {
      printf("已导出 %zu 个%s到 %s\n", t.nrows, noun, file);
    }
  }
  gw_table_free(&t);
  return rc;
}
