/* The quarterly circular, the self-inspection report and the XLSX exports,
 * gathered from a recorded inspection (docs/inspect.md).
 *
 * Everything is computed from what the store holds now: the inspection's
 * sites, their findings with review decisions applied, and the scores as
 * gw_inspect_score_site gives them (so a review after the inspection shows
 * in the circular). An inspection with a site that is not scored yet is
 * refused: a circular states final figures. */
#ifndef GW_INSPECT_CIRC_H
#define GW_INSPECT_CIRC_H

#include <stddef.h>
#include <stdint.h>

#include "report/circular.h"
#include "store/inspect_store.h"
#include "store/store.h"

/* Information items each unit published in the quarter (信息报送), for the
 * praise and criticism lists. The publication statistics of the checks
 * (checks/pubstats.h) fill this at merge; until then callers pass NULL and
 * the circular leaves the paragraph out. */
struct gw_pub_count {
  const char *unit;
  long items;
};
struct gw_pub_counts {
  const struct gw_pub_count *v;
  size_t n;
  long praise_at_least; /* units with items >= this are praised; 0 = no praise list */
  long criticise_below; /* units with items < this are criticised; 0 = no criticism list */
};

/* What the office fills in: the parts of a circular no inspection knows. */
struct gw_circ_settings {
  const char *office;       /* NULL = "<root region unit>人民政府办公室" */
  const char *scope;        /* NULL = from the root region's name: 全县 / 全市 / 全省 */
  const char *addressees;   /* NULL = the renderer's default */
  const char *doc_number;
  const char *report_to;
  int64_t issued;           /* required */
  int64_t deadline;         /* 0 = two weeks after issued */
  const char *requirements; /* template text (gw_report_fill_template syntax); NULL = the default */
  const struct gw_pub_counts *pub; /* NULL = not stated */
};

struct gw_circ_build;

/* Gather the circular of inspection `insp` (it must have a quarter and
 * every site scored): the tallies (registered running sites and accounts,
 * inspected, qualified, failed, 待定), portal average and best, problems by
 * rule key with the sites named, IPv6 and annual-report tasks when their
 * checks are in the registry, 附件1 rows for every site with a counted
 * problem or a failing verdict. On success *out owns the model (free with
 * gw_circ_build_free). GW_EINVAL for an inspection without a quarter or
 * with unscored sites (naming them); rules, scoring and store errors. */
int gw_inspect_circular(struct gw_store *st, const struct gw_inspection *insp, const struct gw_circ_settings *set,
                        struct gw_circ_build **out);
const struct gw_circular *gw_circ_build_model(const struct gw_circ_build *b);
void gw_circ_build_free(struct gw_circ_build **b);

/* The per-unit self-inspection report (自查自评报告) of `unit_id` for the
 * inspection, as Markdown appended to `out`: introduction, overall
 * situation (its sites with scores and verdicts, findings counted,
 * confirmed, dismissed), problems found (each with its page), next steps
 * and conclusion, after the outline of the seed report. GW_ENOTFOUND when
 * the unit has no site in the inspection. */
int gw_inspect_self_report(struct gw_store *st, const struct gw_inspection *insp, int64_t unit_id, int64_t issued,
                           struct gw_buf *out);

/* Export the inspection's score sheets (one row per site) or its problem
 * list (one row per finding, with its status, deduction and evidence) to
 * `path` (.xlsx or .csv, atomically). Text that a spreadsheet would take
 * as a formula (starting with = + - @, tab or CR) is written as text: in
 * XLSX every cell is a string cell, in CSV such a cell gets a leading
 * apostrophe. *rows receives the number of data rows. */
int gw_inspect_export_scores(struct gw_store *st, const struct gw_inspection *insp, const char *path, size_t *rows);
int gw_inspect_export_problems(struct gw_store *st, const struct gw_inspection *insp, const char *path,
                               size_t *rows);

/* The CSV formula-injection guard: s itself, or a malloc'd "'" + s when s
 * starts with = + - @, tab or CR (then *owned is set). */
const char *gw_inspect_csv_safe(const char *s, char **owned);

#endif
