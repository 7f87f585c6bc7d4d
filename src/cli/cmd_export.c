/* govwatch export: an inspection's score sheets or problem list as XLSX
 * (or CSV), safe against formula injection. */
#include <stdio.h>
#include <string.h>

#include "cli/common.h"
#include "cli/inspect_cli.h"
#include "core/error.h"
#include "inspect/circ.h"

#define CMD "export"
#define OPT_END {NULL, NULL, NULL, false, NULL, false}

int gw_cmd_export(struct gw_cli *cli, int argc, char **argv)
{
  struct gw_opt opts[] = {
    {"inspection", "ID", "the inspection (default: the latest, or the latest of --quarter)", false, NULL, false},
    {"quarter", "QUARTER", "the latest inspection of this quarter", false, NULL, false},
    {"o", "FILE", "the file to write: .xlsx or .csv (atomically)", true, NULL, false},
    OPT_END,
  };
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(CMD, opts, argc, argv, "scores|problems", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch export scores|problems [--inspection ID|--quarter Q] -o FILE.xlsx",
                "Export an inspection: 'scores' is one row per site (score, verdict, vetoes,\n"
                "deductions, bonus, findings counted, dismissed, pending, reason); 'problems' one\n"
                "row per finding (rule, status, deduction, page, object, position, snippet, detail,\n"
                "fingerprint, review), dismissed ones included. Cells that a spreadsheet would\n"
                "read as a formula are written as text.",
                opts);
    return GW_OK;
  }
  bool scores = strcmp(pos[0], "scores") == 0;
  if (!scores && strcmp(pos[0], "problems") != 0)
    return gw_cli_usage(CMD, "'%s' is neither scores nor problems", pos[0]);
  struct gw_store *st;
  struct gw_inspection in;
  memset(&in, 0, sizeof in);
  if ((rc = gw_cli_store(cli, &st)) ||
      (rc = gw_cli_inspection(cli, CMD, gw_cli_opt(opts, "inspection"), gw_cli_opt(opts, "quarter"), &in)))
    return rc;
  const char *o = gw_cli_opt(opts, "o");
  size_t n = 0;
  rc = scores ? gw_inspect_export_scores(st, &in, o, &n) : gw_inspect_export_problems(st, &in, o, &n);
  if (rc)
    rc = gw_err_prefix(rc, CMD " %s", pos[0]);
  else if (!cli->json)
    printf("已导出%s：%s（%zu 行，检查批次 #%lld）\n", scores ? "评分表" : "问题清单", o, n, (long long)in.id);
  else
    rc = gw_cli_json_print(json_pack("{sssssIsI}", "export", pos[0], "file", o, "rows", (json_int_t)n, "inspection",
                                     (json_int_t)in.id));
  gw_inspection_clear(&in);
  return rc;
}
