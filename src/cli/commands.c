#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"

/* Sorted by name; `govwatch help` prints them in this order. */
const struct gw_command gw_commands[] = {
  {"account", "register of new-media accounts (政务新媒体)", gw_cmd_account},
  {"availability", "availability of sites from the monitor's probes: failure share, veto, outages", gw_cmd_availability},
  {"check", "run the checks on the latest crawl and store the findings", gw_cmd_check},
  {"crawl", "crawl registered websites: pages, links, redirects, robots.txt (抓取)", gw_cmd_crawl},
  {"findings", "list the findings of the latest check run, with evidence", gw_cmd_findings},
  {"links", "link results of the latest crawl: broken, unknown, redirected", gw_cmd_links},
  {"sample", "the sample government sites (generate, serve, manifest)", gw_cmd_sample},
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
