#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"

/* Sorted by name; `govwatch help` prints them in this order. */
const struct gw_command gw_commands[] = {
  {"account", "register of new-media accounts (政务新媒体)", gw_cmd_account},
  {"availability", "availability of sites from the monitor's probes: failure share, veto, outages", gw_cmd_availability},
  {"baseline", "show or accept the homepage baseline of the defacement check", gw_cmd_baseline},
  {"check", "run the checks on the latest crawl and store the findings", gw_cmd_check},
  {"columns", "columns of the latest crawl: class, level, newest date, stale or empty (栏目)", gw_cmd_columns},
  {"crawl", "crawl registered websites: pages, links, redirects, robots.txt (抓取)", gw_cmd_crawl},
  {"export", "export an inspection's scores or problems as XLSX/CSV", gw_cmd_export},
  {"finding", "review findings: list, show, confirm, dismiss, add (复核)", gw_cmd_finding},
  {"findings", "list the findings of the latest check run, with evidence", gw_cmd_findings},
  {"inspect", "run a recorded, resumable inspection: crawl, checks, scoring (检查)", gw_cmd_inspect},
  {"links", "link results of the latest crawl: broken, unknown, redirected", gw_cmd_links},
  {"pubstats", "articles per source unit in a quarter (信息报送 figures)", gw_cmd_pubstats},
  {"report", "the quarterly circular and self-inspection reports of an inspection", gw_cmd_report},
  {"sample", "the sample government sites (generate, serve, manifest)", gw_cmd_sample},
  {"score", "a site's score in an inspection, explained point by point (评分)", gw_cmd_score},
  {"serve", "the monitoring service: probes, daily crawls and checks, alerts, /metrics", gw_cmd_serve},
  {"site", "register of government websites (网站)", gw_cmd_site},
  {"unit", "tree of units (地区/部门/乡镇) owning sites and accounts", gw_cmd_unit},
  {"version", "print the version and the schema version", gw_cmd_version},
};
const unsigned gw_command_count = sizeof gw_commands / sizeof gw_commands[0];

int gw_cmd_version(struct gw_cli *cli, int argc, char **argv)
{
  (void)cli;
  (void)argv;
  if (argc > 1)
    return gw_cli_usage("version", "takes no arguments");
  printf("govwatch %s (database schema %d)\n", GW_VERSION, gw_store_schema_latest());
  return GW_OK;
}
