/* The command-line front end: global options and the table of subcommands.
 *
 * main() strips the global options (--db, --config, --json, -v, -q) from
 * anywhere on the command line, loads the configuration, and calls the
 * subcommand with the remaining arguments (argv[0] = the subcommand name).
 * A subcommand returns a gw_err code; main() prints gw_err_msg() for a
 * failure and exits with gw_err_exit_status(). */
#ifndef GW_CLI_CLI_H
#define GW_CLI_CLI_H

#include <stdbool.h>

#include "core/config.h"
#include "store/store.h"

struct gw_cli {
  const char *db;          /* --db, else config db */
  const char *config_path; /* --config */
  bool json;               /* --json */
  struct gw_config cfg;
  struct gw_store *store;  /* opened on first use by gw_cli_store */
};

struct gw_command {
  const char *name;
  const char *summary;
  int (*run)(struct gw_cli *cli, int argc, char **argv);
};

/* The store named by --db or the config, opened (and migrated) on first use. */
int gw_cli_store(struct gw_cli *cli, struct gw_store **out);

/* A usage error: sets the message "CMD: MSG (see 'govwatch CMD --help')". */
int gw_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Subcommands, each in its own file. */
int gw_cmd_unit(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_site(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_account(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_baseline(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_check(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_columns(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_findings(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_links(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_pubstats(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_crawl(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_sample(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_serve(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_availability(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_version(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_inspect(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_score(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_finding(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_report(struct gw_cli *cli, int argc, char **argv);
int gw_cmd_export(struct gw_cli *cli, int argc, char **argv);

/* The sites a "CMD SITE|--all" command works on: the one SITE names (an
 * id, 网站标识码 or URL; the error names CMD and the reference) or, with
 * `all`, every registered site (GW_ENOTFOUND when there is none). Giving
 * both or neither is a usage error. Free *out with gw_site_list_free. */
int gw_cli_pick_sites(struct gw_cli *cli, const char *cmd, const char *ref, bool all, struct gw_site_list *out);

extern const struct gw_command gw_commands[];
extern const unsigned gw_command_count;

#endif
