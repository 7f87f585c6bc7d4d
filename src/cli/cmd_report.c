/* govwatch report: the quarterly circular (通报) and a unit's
 * self-inspection report (自查自评报告), gathered from an inspection. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/pubstats.h"
#include "cli/common.h"
#include "cli/inspect_cli.h"
#include "core/alloc.h"
#include "core/atomic.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "inspect/circ.h"
#include "register/register.h"

#define CMD "report"
#define OPT_END {NULL, NULL, NULL, false, NULL, false}

/* The largest requirements template accepted. */
#define TEMPLATE_MAX (256u * 1024u)

static int read_template(const char *path, char **out)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return gw_err_set(GW_EIO, "%s: cannot open the requirements template", path);
  struct gw_buf b;
  gw_buf_init(&b, TEMPLATE_MAX);
  char chunk[4096];
  size_t n;
  int rc = GW_OK;
  while (rc == GW_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (gw_buf_append(&b, chunk, n))
      rc = gw_err_set(GW_ELIMIT, "%s: the requirements template is over %u bytes", path, TEMPLATE_MAX);
  if (rc == GW_OK && ferror(f))
    rc = gw_err_set(GW_EIO, "%s: read error", path);
  fclose(f);
  if (rc) {
    gw_buf_free(&b);
    return rc;
  }
  *out = gw_buf_steal(&b);
  return GW_OK;
}

static int date_opt(const struct gw_opt *opts, const char *verb, const char *name, int64_t *out)
{
  const char *v = gw_cli_opt(opts, name);
  if (v && gw_time_parse(v, out))
    return gw_cli_opt_err(GW_EUSAGE, verb, name, v);
  return GW_OK;
}

/* 信息报送: the articles each unit published in the inspection's quarter on
 * the running portals (checks/pubstats.h over each portal's latest finished
 * crawl), summed per unit. A portal without a finished crawl is left out;
 * no portal at all leaves the paragraph out (out->n stays 0). The names
 * point into *stats, which the caller frees. */
struct pub_gather {
  struct gw_pubstats *stats;
  size_t n_stats;
  struct gw_pub_count *v;
  size_t n;
};

static void pub_gather_free(struct pub_gather *g)
{
  for (size_t i = 0; i < g->n_stats; i++)
    gw_pubstats_free(&g->stats[i]);
  free(g->stats);
  free(g->v);
  memset(g, 0, sizeof *g);
}

static int pub_gather(struct gw_store *st, const struct gw_inspection *in, const struct gw_pubstats_opts *po,
                      struct pub_gather *g)
{
  int year, q;
  if (!in->quarter || gw_quarter_parse(in->quarter, &year, &q))
    return GW_OK;
  struct gw_site_list sites = {0};
  int rc = gw_store_site_list(st, 0, &sites);
  if (rc)
    return rc;
  g->stats = gw_calloc(sites.n ? sites.n : 1, sizeof *g->stats);
  for (size_t i = 0; i < sites.n && rc == GW_OK; i++) {
    if (sites.v[i].kind != GW_SITE_PORTAL || sites.v[i].status != GW_SITE_RUNNING)
      continue;
    int prc = gw_pubstats_compute(st, sites.v[i].id, year, q, po, &g->stats[g->n_stats]);
    if (prc == GW_ENOTFOUND)
      continue; /* no finished crawl of this portal */
    if (prc) {
      rc = prc;
      break;
    }
    const struct gw_pubstats *ps = &g->stats[g->n_stats++];
    for (size_t u = 0; u < ps->n_units; u++) {
      size_t k = 0;
      while (k < g->n && strcmp(g->v[k].unit, ps->units[u].name) != 0)
        k++;
      if (k == g->n) {
        g->v = gw_realloc(g->v, (g->n + 1) * sizeof *g->v);
        g->v[g->n++] = (struct gw_pub_count){ps->units[u].name, 0};
      }
      g->v[k].items += (long)ps->units[u].articles;
    }
  }
  gw_site_list_free(&sites);
  return rc;
}

static int int_opt(struct gw_opt *opts, const char *verb, const char *name, int *out)
{
  const char *v = gw_cli_opt(opts, name);
  int64_t n;
  if (!v)
    return GW_OK;
  if (gw_parse_i64(v, &n) || n < 0 || n > 100000)
    return gw_cli_usage(verb, "--%s '%s' must be a whole number from 0 to 100000", name, v);
  *out = (int)n;
  return GW_OK;
}

static int verb_circular(struct gw_cli *cli, int argc, char **argv)
{
  const char *verb = CMD " circular";
  struct gw_opt opts[] = {
    {"quarter", "QUARTER", "the quarter, e.g. 2025Q1 (its latest inspection)", false, NULL, false},
    {"inspection", "ID", "the inspection (default: the latest of --quarter)", false, NULL, false},
    {"format", "FMT", "docx, html or md (default: from -o's extension, else md)", false, NULL, false},
    {"o", "FILE", "write to FILE (atomically); default: Markdown/HTML to standard output", false, NULL, false},
    {"office", "NAME", "发文机关 (default: <root region>人民政府办公室)", false, NULL, false},
    {"scope", "TEXT", "全县 / 全市 / 全省 (default: from the root region's name)", false, NULL, false},
    {"addressees", "TEXT", "主送机关 line", false, NULL, false},
    {"doc-number", "TEXT", "发文字号, e.g. 青政办〔2025〕12号", false, NULL, false},
    {"issued", "DATE", "成文日期 (default: today)", false, NULL, false},
    {"deadline", "DATE", "rectification reports due (default: two weeks after --issued)", false, NULL, false},
    {"report-to", "TEXT", "who receives the reports", false, NULL, false},
    {"info-target", "N", "信息报送: units with at least N articles in the quarter are praised (default 24)", false,
     NULL, false},
    {"info-floor", "N", "信息报送: units with fewer than N articles are criticised (default 5)", false, NULL, false},
    {"requirements", "FILE", "the 下一步工作要求 template (e.g. templates/circular-requirements.txt)", false, NULL,
     false},
    OPT_END,
  };
  const char *pos[1];
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(verb, opts, argc, argv, NULL, 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout,
                "govwatch report circular --quarter 2025Q1 [--inspection ID] [--format docx|html|md] [-o FILE] "
                "[--requirements FILE] [--issued DATE] [--deadline DATE] ...",
                "Write the quarterly circular (季度检查情况通报) of an inspection: the overall figures\n"
                "(sites inspected out of those registered, qualified, failed, 待定, pass rate, portal\n"
                "average and best), the main problems grouped by kind with the sites named, the key\n"
                "tasks whose checks exist (IPv6, annual reports), the requirements from an editable\n"
                "template, and 附件1 (网站). Every figure is computed from the stored inspection with\n"
                "reviews applied. DOCX is in the GB/T 9704 layout. The inspection must be finished.",
                opts);
    return GW_OK;
  }
  if (!gw_cli_opt(opts, "quarter") && !gw_cli_opt(opts, "inspection"))
    return gw_cli_usage(verb, "give --quarter or --inspection");
  const char *outp = gw_cli_opt(opts, "o");
  enum gw_report_format fmt = GW_REPORT_MD;
  const char *v;
  if ((v = gw_cli_opt(opts, "format"))) {
    if ((rc = gw_report_format_parse(v, &fmt)))
      return gw_cli_opt_err(rc, verb, "format", v);
  } else if (outp && (gw_str_ends(outp, ".docx") || gw_str_ends(outp, ".DOCX"))) {
    fmt = GW_REPORT_DOCX;
  } else if (outp && (gw_str_ends(outp, ".html") || gw_str_ends(outp, ".htm"))) {
    fmt = GW_REPORT_HTML;
  }
  if (fmt == GW_REPORT_DOCX && !outp)
    return gw_cli_usage(verb, "DOCX needs -o FILE");
  struct gw_circ_settings set = {
    .office = gw_cli_opt(opts, "office"),
    .scope = gw_cli_opt(opts, "scope"),
    .addressees = gw_cli_opt(opts, "addressees"),
    .doc_number = gw_cli_opt(opts, "doc-number"),
    .report_to = gw_cli_opt(opts, "report-to"),
  };
  if ((rc = date_opt(opts, verb, "issued", &set.issued)) || (rc = date_opt(opts, verb, "deadline", &set.deadline)))
    return rc;
  if (!set.issued)
    set.issued = gw_now();
  struct gw_pubstats_opts popts = {0, 0};
  if ((rc = int_opt(opts, verb, "info-target", &popts.target)) || (rc = int_opt(opts, verb, "info-floor", &popts.floor)))
    return rc;
  struct pub_gather pg;
  memset(&pg, 0, sizeof pg);
  struct gw_pub_counts pub;
  memset(&pub, 0, sizeof pub);
  char *tmpl = NULL;
  struct gw_inspection in;
  struct gw_circ_build *b = NULL;
  struct gw_store *st;
  memset(&in, 0, sizeof in);
  if ((v = gw_cli_opt(opts, "requirements")) && (rc = read_template(v, &tmpl)))
    return gw_err_prefix(rc, "%s: --requirements", verb);
  set.requirements = tmpl;
  if ((rc = gw_cli_store(cli, &st)) ||
      (rc = gw_cli_inspection(cli, verb, gw_cli_opt(opts, "inspection"), gw_cli_opt(opts, "quarter"), &in)))
    goto done;
  if ((rc = pub_gather(st, &in, &popts, &pg)))
    goto done;
  if (pg.n_stats) {
    pub.v = pg.v;
    pub.n = pg.n;
    pub.praise_at_least = pg.stats[0].target;
    pub.criticise_below = pg.stats[0].floor;
    set.pub = &pub;
  }
  if ((rc = gw_inspect_circular(st, &in, &set, &b))) {
    rc = gw_err_prefix(rc, "%s", verb);
    goto done;
  }
  const struct gw_circular *c = gw_circ_build_model(b);
  if (outp) {
    if ((rc = gw_report_circular_write(c, fmt, outp)))
      goto done;
    if (!cli->json)
      printf("已写出通报：%s（检查批次 #%lld，网站 %ld 个：合格 %ld，不合格 %ld，待定 %ld）\n", outp, (long long)in.id,
             c->sites.inspected, c->sites.qualified, c->sites.failed, c->sites.undetermined);
  } else {
    struct gw_buf out = GW_BUF_INIT;
    rc = fmt == GW_REPORT_HTML ? gw_report_circular_html(c, &out) : gw_report_circular_markdown(c, &out);
    if (rc == GW_OK)
      fwrite(gw_buf_cstr(&out), 1, strlen(gw_buf_cstr(&out)), stdout);
    gw_buf_free(&out);
  }
done:
  gw_circ_build_free(&b);
  gw_inspection_clear(&in);
  pub_gather_free(&pg);
  free(tmpl);
  return rc;
}

/* Write text to path atomically. */
static int write_file(const char *path, const char *text)
{
  struct gw_atomic a;
  int rc = gw_atomic_begin(&a, path);
  if (rc)
    return rc;
  size_t len = strlen(text), off = 0;
  while (off < len) {
    ssize_t n = write(a.fd, text + off, len - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      gw_atomic_abort(&a);
      return gw_err_set(GW_EIO, "%s: write failed: %s", path, strerror(errno));
    }
    off += (size_t)n;
  }
  return gw_atomic_commit(&a);
}

static int verb_self(struct gw_cli *cli, int argc, char **argv)
{
  const char *verb = CMD " self";
  struct gw_opt opts[] = {
    {"unit", "UNIT", "the unit (id, name or path)", true, NULL, false},
    {"quarter", "QUARTER", "the quarter (its latest inspection)", false, NULL, false},
    {"inspection", "ID", "the inspection (default: the latest)", false, NULL, false},
    {"issued", "DATE", "the report's date (default: today)", false, NULL, false},
    {"o", "FILE", "write Markdown to FILE (atomically); default: standard output", false, NULL, false},
    OPT_END,
  };
  const char *pos[1];
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(verb, opts, argc, argv, NULL, 0, 0, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch report self --unit UNIT [--quarter 2025Q1|--inspection ID] [-o FILE.md]",
                "Write a unit's self-inspection report (自查自评报告) from an inspection: its sites\n"
                "with score and verdict, the problems found with their pages, what reviewers\n"
                "dismissed, next steps - as Markdown, in the outline of the seed report.",
                opts);
    return GW_OK;
  }
  int64_t issued = 0;
  if ((rc = date_opt(opts, verb, "issued", &issued)))
    return rc;
  if (!issued)
    issued = gw_now();
  struct gw_store *st;
  struct gw_inspection in;
  struct gw_unit u;
  struct gw_buf out = GW_BUF_INIT;
  memset(&in, 0, sizeof in);
  memset(&u, 0, sizeof u);
  if ((rc = gw_cli_store(cli, &st)) ||
      (rc = gw_cli_inspection(cli, verb, gw_cli_opt(opts, "inspection"), gw_cli_opt(opts, "quarter"), &in)))
    goto done;
  const char *v = gw_cli_opt(opts, "unit");
  if ((rc = gw_reg_unit_resolve(st, v, &u))) {
    rc = gw_err_prefix(rc, "%s: --unit '%s'", verb, v);
    goto done;
  }
  if ((rc = gw_inspect_self_report(st, &in, u.id, issued, &out)))
    goto done;
  const char *o = gw_cli_opt(opts, "o");
  if (o) {
    if ((rc = write_file(o, gw_buf_cstr(&out))))
      goto done;
    printf("已写出自查自评报告：%s\n", o);
  } else {
    fputs(gw_buf_cstr(&out), stdout);
  }
done:
  gw_buf_free(&out);
  gw_unit_clear(&u);
  gw_inspection_clear(&in);
  return rc;
}

int gw_cmd_report(struct gw_cli *cli, int argc, char **argv)
{
  static const struct gw_verb verbs[] = {
    {"circular", "the quarterly circular (通报) of an inspection: docx, html, md", verb_circular},
    {"self", "a unit's self-inspection report (自查自评报告)", verb_self},
    {NULL, NULL, NULL},
  };
  return gw_cli_dispatch(cli, CMD, "reports from an inspection (通报, 自查自评报告)", verbs, argc, argv);
}
