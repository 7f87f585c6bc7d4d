/* govwatch score: a site's score in an inspection, explained point by
 * point, each deduction with its finding and evidence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common.h"
#include "cli/inspect_cli.h"
#include "core/error.h"
#include "inspect/accounts.h"
#include "inspect/inspect.h"
#include "register/register.h"

#define CMD "score"
#define OPT_END {NULL, NULL, NULL, false, NULL, false}

int gw_cmd_score(struct gw_cli *cli, int argc, char **argv)
{
  struct gw_opt opts[] = {
    {"inspection", "ID", "the inspection (default: the latest, or the latest of --quarter)", false, NULL, false},
    {"quarter", "QUARTER", "the latest inspection of this quarter", false, NULL, false},
    {"account", NULL, "SUBJECT is a new-media account (id or 平台:名称 / name), not a site", false, NULL, false},
    OPT_END,
  };
  const char *pos[1] = {NULL};
  int npos = 0;
  bool help;
  int rc = gw_cli_parse(CMD, opts, argc, argv, "SITE|ACCOUNT", 1, 1, pos, &npos, &help);
  if (rc)
    return rc;
  if (help) {
    gw_cli_help(stdout, "govwatch score SITE|ACCOUNT [--account] [--inspection ID|--quarter 2025Q1] [--json]",
                "Explain a site's score in an inspection point by point: the veto items, every\n"
                "indicator and item with each deduction and the finding behind it (fingerprint,\n"
                "URL, evidence), caps, scaling, bonus, the findings not scored and why, and the\n"
                "findings a reviewer dismissed. The score is computed from what is stored now, so\n"
                "it reflects reviews made since the inspection ran. SITE is an id, a 网站标识码 or\n"
                "a URL. --json gives the sheet as JSON with the evidence of every finding.\n"
                "With --account, explain a new-media account's verdict instead: the media veto\n"
                "items, its findings (register check, manual ones) and why it is 待定 when no\n"
                "check could judge a veto item.",
                opts);
    return GW_OK;
  }
  struct gw_store *st;
  struct gw_inspection in;
  struct gw_site site;
  struct gw_account acct;
  struct gw_rules *rules = NULL;
  struct gw_inspect_sheet sh;
  memset(&in, 0, sizeof in);
  memset(&site, 0, sizeof site);
  memset(&acct, 0, sizeof acct);
  memset(&sh, 0, sizeof sh);
  if ((rc = gw_cli_store(cli, &st)) ||
      (rc = gw_cli_inspection(cli, CMD, gw_cli_opt(opts, "inspection"), gw_cli_opt(opts, "quarter"), &in)))
    goto done;
  bool account = gw_cli_opt(opts, "account") != NULL;
  if (account ? (rc = gw_reg_account_resolve(st, pos[0], &acct)) : (rc = gw_reg_site_resolve(st, pos[0], &site))) {
    rc = gw_err_prefix(rc, CMD ": '%s'", pos[0]);
    goto done;
  }
  if ((rc = gw_inspect_rules_load(in.rules_path, &rules, NULL))) {
    rc = gw_err_prefix(rc, CMD ": inspection #%lld", (long long)in.id);
    goto done;
  }
  struct gw_avail_thresholds t;
  gw_avail_thresholds_default(&t);
  if (account ? (rc = gw_inspect_score_account(st, rules, &in, &acct, &sh))
              : (rc = gw_inspect_score_site(st, rules, &in, &site, &t, &sh))) {
    rc = gw_err_prefix(rc, CMD);
    goto done;
  }
  char *text = cli->json ? gw_inspect_sheet_json(&sh, &in) : gw_inspect_sheet_text(&sh, &in);
  fputs(text, stdout);
  if (cli->json)
    fputc('\n', stdout);
  free(text);
done:
  gw_inspect_sheet_clear(&sh);
  gw_rules_free(&rules);
  gw_site_clear(&site);
  gw_account_clear(&acct);
  gw_inspection_clear(&in);
  return rc;
}
