/* govwatch: the command-line entry point. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/log.h"
#include "core/str.h"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: govwatch [--db PATH] [--config FILE] [--json] [-v|-q] <command> [options]\n"
          "\n"
          "GovWatch keeps the register of government websites and new-media accounts,\n"
          "watches and inspects them under the national indicators, and reports.\n"
          "\n"
          "Commands:\n");
  for (unsigned i = 0; i < gw_command_count; i++)
    fprintf(f, "  %-10s %s\n", gw_commands[i].name, gw_commands[i].summary);
  fprintf(f,
          "\n"
          "Global options (anywhere on the line):\n"
          "  --db PATH       the store (default: config 'db', else ./govwatch.db)\n"
          "  --config FILE   the YAML configuration (default: $GOVWATCH_CONFIG, ./govwatch.yaml)\n"
          "  --json          print lists and records as JSON\n"
          "  -v, --verbose   more log output (repeat for debug)\n"
          "  -q, --quiet     errors only\n"
          "\n"
          "Run 'govwatch <command> --help' for a command's options.\n");
}

int gw_cli_usage(const char *cmd, const char *fmt, ...)
{
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return gw_err_set(GW_EUSAGE, "%s: %s (see 'govwatch %s --help')", cmd, msg, cmd);
}

/* Remove global options from argv wherever they stand; "--" ends scanning. */
static int take_globals(struct gw_cli *cli, int *argc, char **argv, int *verbosity)
{
  int w = 1;
  int n = *argc;
  for (int r = 1; r < n; r++) {
    const char *a = argv[r];
    if (strcmp(a, "--") == 0) {
      while (r < n)
        argv[w++] = argv[r++];
      break;
    }
    const char *val = NULL;
    if (strcmp(a, "--db") == 0 || strcmp(a, "--config") == 0) {
      if (r + 1 >= n)
        return gw_err_set(GW_EUSAGE, "option %s needs a value", a);
      val = argv[++r];
    } else if (strncmp(a, "--db=", 5) == 0) {
      val = a + 5;
    } else if (strncmp(a, "--config=", 9) == 0) {
      val = a + 9;
    }
    if (val) {
      if (strncmp(a, "--db", 4) == 0)
        cli->db = val;
      else
        cli->config_path = val;
    } else if (strcmp(a, "--json") == 0) {
      cli->json = true;
    } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
      (*verbosity)++;
    } else if (strcmp(a, "-vv") == 0) {
      *verbosity += 2;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      *verbosity = -1;
    } else {
      argv[w++] = argv[r];
    }
  }
  argv[w] = NULL;
  *argc = w;
  return GW_OK;
}

int main(int argc, char **argv)
{
  struct gw_cli cli;
  memset(&cli, 0, sizeof cli);
  int verbosity = 0;
  int rc = take_globals(&cli, &argc, argv, &verbosity);
  if (rc) {
    fprintf(stderr, "govwatch: %s\n", gw_err_msg());
    usage(stderr);
    return gw_err_exit_status(rc);
  }
  if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
      strcmp(argv[1], "-h") == 0) {
    if (argc >= 3 && strcmp(argv[1], "help") == 0) {
      /* "govwatch help site" = "govwatch site --help" */
      argv[1] = argv[2];
      argv[2] = "--help";
      argv[3] = NULL;
      argc = 3;
    } else {
      usage(argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  }
  if (strcmp(argv[1], "--version") == 0)
    argv[1] = "version";

  const struct gw_command *cmd = NULL;
  for (unsigned i = 0; i < gw_command_count; i++)
    if (strcmp(gw_commands[i].name, argv[1]) == 0)
      cmd = &gw_commands[i];
  if (!cmd) {
    fprintf(stderr, "govwatch: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
  }

  rc = gw_config_load(cli.config_path, &cli.cfg);
  if (rc) {
    fprintf(stderr, "govwatch: %s\n", gw_err_msg());
    return gw_err_exit_status(rc);
  }
  enum gw_log_level level = cli.cfg.log_level;
  if (verbosity < 0)
    level = GW_LOG_ERROR;
  else if (verbosity == 1)
    level = GW_LOG_INFO;
  else if (verbosity >= 2)
    level = GW_LOG_DEBUG;
  gw_log_set_level(level);

  gw_err_clear();
  rc = cmd->run(&cli, argc - 1, argv + 1);
  if (rc)
    fprintf(stderr, "govwatch: %s\n", gw_err_msg());
  gw_store_close(&cli.store);
  gw_config_clear(&cli.cfg);
  return gw_err_exit_status(rc);
}
