/* Helpers shared by the subcommands: option parsing, help text, verb
 * dispatch, aligned tables, "字段：值" records and JSON output.
 *
 * Every subcommand parses its options the same way: "--opt VALUE" or
 * "--opt=VALUE", "--" ends the options, -h/--help anywhere asks for help,
 * and an unknown option, a missing required option or value, a repeated
 * option and a stray argument are usage errors (GW_EUSAGE, exit 2). */
#ifndef GW_CLI_COMMON_H
#define GW_CLI_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/str.h"
#include "register/register.h"

/* One option of a verb. The parser fills `value` and `seen`. */
struct gw_opt {
  const char *name;     /* "url" for --url */
  const char *metavar;  /* "URL"; NULL for a flag without a value */
  const char *help;     /* one line, English */
  bool required;
  const char *value;    /* borrowed from argv; "" for a flag that was given */
  bool seen;
};

/* Parse argv[1..argc) of `cmd` ("site add") against the NULL-name
 * terminated `opts`, collecting positional arguments into pos[0..maxpos).
 * `posname` names the positional argument for messages ("SITE"); at least
 * `minpos` must be given. Sets *help (and skips the other checks) when
 * -h/--help is given. GW_EUSAGE with a message via gw_cli_usage otherwise. */
int gw_cli_parse(const char *cmd, struct gw_opt *opts, int argc, char **argv, const char *posname,
                 int minpos, int maxpos, const char **pos, int *npos, bool *help);

/* The option's value when it was given, else NULL. */
const char *gw_cli_opt(const struct gw_opt *opts, const char *name);

/* True if any option other than those flagged required was given (for
 * "edit", which needs at least one change). */
bool gw_cli_any_opt(const struct gw_opt *opts);

/* Print the help of a verb: usage line, description, the options. */
void gw_cli_help(FILE *f, const char *usage, const char *desc, const struct gw_opt *opts);

/* A verb of a subcommand and the dispatcher for "govwatch CMD VERB ...":
 * no verb or an unknown one is a usage error; "CMD --help" (or "help")
 * prints the list of verbs. argv[0] is the subcommand name; the verb gets
 * argv starting at the verb. */
struct gw_verb {
  const char *name;
  const char *summary;
  int (*run)(struct gw_cli *cli, int argc, char **argv);
};
int gw_cli_dispatch(struct gw_cli *cli, const char *cmd, const char *desc,
                    const struct gw_verb *verbs, int argc, char **argv);

/* An aligned text table. Cells are copied. Columns are padded by display
 * width (a Chinese character takes two columns) and separated by two
 * spaces; the last column is not padded. */
struct gw_cli_table {
  size_t ncols;
  struct gw_strv cells; /* header then rows, row-major */
};
void gw_cli_table_init(struct gw_cli_table *t, const char *const *head, size_t ncols);
void gw_cli_table_add(struct gw_cli_table *t, const char *const *cells);
void gw_cli_table_print(FILE *f, const struct gw_cli_table *t);
void gw_cli_table_free(struct gw_cli_table *t);

/* Print "字段：值" lines (a full-width colon); NULL values print empty. */
void gw_cli_record_print(FILE *f, const char *const *fields, const char *const *values, size_t n);

/* JSON helpers: a string (NULL -> null; invalid UTF-8 is replaced by
 * U+FFFD so output never fails), an id (0 -> null), a time (0 -> null, else
 * RFC 3339 in +08:00). gw_cli_json_print writes `j` indented with a
 * newline to stdout and releases it. */
json_t *gw_cli_jstr(const char *s);
json_t *gw_cli_jid(int64_t id);
json_t *gw_cli_jtime(int64_t t);
int gw_cli_json_print(json_t *j);

/* Prefix the current error message with the command, the option and its
 * value: "site add: --code '123': <message>" (no quotes for an empty value).
 * Returns rc. */
int gw_cli_opt_err(int rc, const char *cmd, const char *opt, const char *value);

/* "CMD import FILE [--update]" and "CMD export FILE" for a kind of register
 * record; `noun` is the Chinese word in the result line (网站, 单位, 账号),
 * `sheet` the XLSX worksheet name. An import prints every problem (the
 * first GW_REG_PROBLEMS_KEPT, then a count) to stderr and writes nothing if
 * there is any. */
int gw_cli_import(struct gw_cli *cli, const char *cmd, enum gw_reg_kind kind, const char *noun,
                  bool allow_update, int argc, char **argv);
int gw_cli_export(struct gw_cli *cli, const char *cmd, enum gw_reg_kind kind, const char *noun,
                  const char *sheet, int argc, char **argv);

/* A time as "YYYY-MM-DD HH:MM:SS" (Shanghai), "" for 0; returns buf. */
const char *gw_cli_time(int64_t t, char *buf, size_t size);

#endif
