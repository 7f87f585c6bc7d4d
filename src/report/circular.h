/* The quarterly circular (季度检查情况通报): an in-memory model and its
 * renderers (Markdown, standalone HTML, DOCX in the GB/T 9704 layout).
 *
 * The model only borrows: every string and array stays owned by the caller
 * and must outlive the render call. Strings are UTF-8; invalid bytes are shown
 * as U+FFFD and control characters as spaces, so no input can break the XML
 * of a DOCX. NULL strings and zero counts mean "not stated": the sentence or
 * section that would carry them is left out, and sections are numbered
 * (一、二、三…) after the omissions, as an office would number them by hand.
 *
 * The wording follows the circulars in docs/circulars.md: 一、总体情况 (the
 * figures), 二、存在的主要问题 (problems grouped by kind, sites named),
 * 三、重点工作情况 (IPv6, annual reports), 四、下一步工作要求 (an editable
 * template), the 附件 note, the signature block, then 附件1 (websites) and
 * 附件2 (new-media accounts) as tables. */
#ifndef GW_REPORT_CIRCULAR_H
#define GW_REPORT_CIRCULAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gw_buf;

/* Inspection counts for websites or accounts. failed is stated separately
 * because circulars state it; gw_report_circular_check() demands
 * qualified + failed (+ undetermined) == inspected <= registered. registered 0 = unknown. */
struct gw_circ_tally {
  long registered; /* in the national reporting system */
  long inspected;
  long qualified;
  long failed;
  /* 待定: inspected but not decided (a veto item lacked data, e.g. too few
   * availability probes). 0 for a circular where every verdict is final;
   * then qualified + failed + undetermined == inspected and the pass rate
   * is of the decided ones. */
  long undetermined;
};

/* One new-media platform (微博, 微信, 客户端, 抖音, 其他). */
struct gw_circ_platform {
  const char *name;
  long inspected;
  long qualified;
  long undetermined; /* 待定: not judged; the pass rate is over the judged ones only */
};

/* Units praised (information items >= threshold) or criticised (< threshold). */
struct gw_circ_units {
  long threshold;
  const char *const *units;
  size_t n;
};

/* One kind of problem (e.g. 栏目更新不及时) with a short description and the
 * sites or accounts named, already worded as the circular names them
 * (“红色云阳”微信公众号, 市司法局网站). */
struct gw_circ_problem {
  const char *kind;
  const char *description;
  const char *const *subjects;
  size_t nsubjects;
};

/* IPv6 retrofit: sites total and done; pending names the laggards. total 0 = omitted. */
struct gw_circ_ipv6 {
  long total;
  long done;
  const char *const *pending;
  size_t npending;
};

/* An annual publication task (政府信息公开年报, 网站工作年度报表): how many
 * units had to publish, how many did by the deadline, who did not. */
struct gw_circ_annual {
  const char *what; /* "2024年度政府信息公开年报" */
  long total;
  long published;
  const char *const *late;
  size_t nlate;
};

/* 附件1 row: 序号 is the position. rectification: 已整改 / 截止通报前仍未整改到位. */
struct gw_circ_site_row {
  const char *name, *url, *code, *problems, *rectification;
};

/* 附件2 row. result: 合格 / 不合格. */
struct gw_circ_account_row {
  const char *name, *owner, *type, *result, *problems, *rectification;
};

struct gw_circular {
  const char *office;      /* 发文机关, required: "青溪县人民政府办公室" */
  const char *scope;       /* "全县" / "全市" / "全省"; NULL = "全县" */
  const char *addressees;  /* 主送机关 line, "各乡镇人民政府，县政府各部门：" */
  const char *doc_number;  /* 发文字号, optional: "青政办〔2025〕12号" */
  const char *title;       /* NULL = composed from year, quarter and scope */
  int year, quarter;       /* required, quarter 1..4 */
  int64_t as_of;           /* 监测时间点 (instant); 0 = not stated */
  int64_t issued;          /* 成文日期 (instant), required */
  int64_t deadline;        /* rectification report due; 0 = not stated */
  const char *report_to;   /* who receives the reports; NULL = office */

  struct gw_circ_tally sites, accounts;
  const struct gw_circ_platform *platforms;
  size_t nplatforms;

  /* Portal scores; portal_full <= 0 = not stated. */
  double portal_average, portal_full, portal_best;
  const char *portal_best_units; /* "青溪县人民政府门户网站" */

  long info_total;               /* information items submitted; < 0 or 0 = not stated */
  struct gw_circ_units praise;   /* >= threshold */
  struct gw_circ_units criticism;/* <  threshold */

  const struct gw_circ_problem *problems;
  size_t nproblems;

  struct gw_circ_ipv6 ipv6;
  const struct gw_circ_annual *annual;
  size_t nannual;

  /* The 下一步工作要求 template; NULL = gw_report_requirements_default().
   * Syntax in gw_report_fill_template(). */
  const char *requirements;

  const struct gw_circ_site_row *site_rows;
  size_t nsite_rows;
  const struct gw_circ_account_row *account_rows;
  size_t naccount_rows;
};

enum gw_report_format { GW_REPORT_MD = 1, GW_REPORT_HTML = 2, GW_REPORT_DOCX = 3 };

/* Parse a --format value: "md"/"markdown", "html", "docx" (ASCII case
 * ignored). GW_EUSAGE naming the value and the choices otherwise. */
int gw_report_format_parse(const char *s, enum gw_report_format *out);

/* Validate a model before rendering: office, issued date, quarter 1..4,
 * year 2000..2100, tallies consistent (no negatives, qualified + failed ==
 * inspected, inspected <= registered when registered is stated, platform
 * qualified <= inspected, ipv6 done <= total, annual published <= total).
 * GW_EINVAL naming the field and the values otherwise. */
int gw_report_circular_check(const struct gw_circular *c);

/* The default requirements template, the one docs/report.md shows. Static. */
const char *gw_report_requirements_default(void);

/* Fill a requirements template into `out` (appended). Syntax: one paragraph
 * per line, blank lines ignored; a line starting with "## " is a level-two
 * head, numbered （一）（二）… automatically; placeholders {{office}},
 * {{scope}}, {{quarter}} (2025年第一季度), {{deadline}} (2025年4月30日, needs
 * c->deadline), {{report_to}}. An unknown or unterminated placeholder, or
 * {{deadline}} without a deadline, is GW_EINVAL naming the line and the
 * placeholder; `out` is then unchanged. */
int gw_report_fill_template(const char *tmpl, const struct gw_circular *c, struct gw_buf *out);

/* A rate as circulars write it: num/den in percent to one decimal, half up,
 * "98.2%"; exactly "100%" and "0%" without a decimal; a rate that is not
 * 100 % never rounds to "100%" (it shows "99.9%"). den <= 0 gives "—". */
void gw_report_percent(long num, long den, char *buf, size_t size);

/* A score with at most one decimal: 124.9 -> "124.9", 99.0 -> "99". */
void gw_report_score(double v, char *buf, size_t size);

/* A Shanghai civil date in Chinese, "2025年4月10日". */
void gw_report_date_zh(int64_t t, char *buf, size_t size);

/* Render the circular as Markdown / standalone HTML (print CSS in the
 * official fonts) appended to `out`. Checks the model first; errors as
 * gw_report_circular_check() and gw_report_fill_template(). */
int gw_report_circular_markdown(const struct gw_circular *c, struct gw_buf *out);
int gw_report_circular_html(const struct gw_circular *c, struct gw_buf *out);

/* Write the circular as a DOCX package (OOXML, GB/T 9704 page layout) to
 * `path`, replacing it. Not atomic by itself: gw_report_circular_write()
 * calls it on a temporary file. GW_EIO naming the path if libzip fails. */
int gw_docx_circular_write(const struct gw_circular *c, const char *path);

/* Render the circular in `fmt` to `path` atomically (temporary file in the
 * same directory, fsync, rename; the mode of a replaced file is kept): on
 * any failure `path` is untouched and no temporary file is left. This is
 * what `govwatch report circular -o FILE` calls. */
int gw_report_circular_write(const struct gw_circular *c, enum gw_report_format fmt,
                             const char *path);

#endif
