/* Helpers shared by the inspection commands (inspect, score, finding,
 * report, export): picking the inspection a command works on, the default
 * rule file, the reviewer's name. */
#ifndef GW_CLI_INSPECT_CLI_H
#define GW_CLI_INSPECT_CLI_H

#include "cli/cli.h"
#include "store/inspect_store.h"

/* The inspection `id_opt` names (an id), else the latest of `quarter_opt`
 * ("2025Q1"), else the latest of all. Errors name the command and option. */
int gw_cli_inspection(struct gw_cli *cli, const char *cmd, const char *id_opt, const char *quarter_opt,
                      struct gw_inspection *out);

/* The rule file: --rules FILE as given, else --profile NAME as
 * RULES_DIR/profiles/NAME.yaml, else RULES_DIR/national-2019.yaml, where
 * RULES_DIR is $GW_RULES_DIR or "rules". Malloc'd. */
char *gw_cli_rules_path(const char *rules_opt, const char *profile_opt);

/* Who reviews: --by NAME, else $USER, else "unknown". Borrowed. */
const char *gw_cli_reviewer(const char *by_opt);

#endif
