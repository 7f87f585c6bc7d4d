/* The configuration file (YAML) with defaults.
 *
 * gw_config_load reads the file when a path is given, else the first of
 * $GOVWATCH_CONFIG and ./govwatch.yaml that exists, else defaults only.
 * Unknown keys and wrong types are errors naming the file, line and key, so
 * a typo never silently falls back to a default. */
#ifndef GW_CORE_CONFIG_H
#define GW_CORE_CONFIG_H

#include "core/log.h"
#include "core/str.h"

struct gw_config {
  char *path;              /* the file read, or NULL for defaults only */
  char *db;                /* store URI; default "govwatch.db" */
  enum gw_log_level log_level; /* default warn */
  /* Host mappings in curl's --connect-to form "HOST:PORT:CONNECT_HOST:CONNECT_PORT"
   * (empty HOST or PORT = any), used to point site host names at the sample
   * sites on loopback or at a test host. Key: network.connect_to (a list). */
  struct gw_strv connect_to;
  char *user_agent;        /* network.user_agent */
  long timeout_s;          /* network.timeout, seconds; default 15 */
};

/* The largest configuration accepted, in bytes; a bigger one is GW_ELIMIT. */
#define GW_CONFIG_MAX_BYTES (1u << 20)

/* Load the configuration: the file at `path` if given, else $GOVWATCH_CONFIG
 * if set and non-empty, else ./govwatch.yaml if it exists, else defaults
 * only (out->path NULL). A file that is named but missing is GW_ENOTFOUND,
 * unreadable GW_EIO, over GW_CONFIG_MAX_BYTES GW_ELIMIT; contents are checked
 * as gw_config_parse does. On success *out owns its strings (free with
 * gw_config_clear) and out->path is the file read; on failure *out is not
 * touched and gw_err_msg() names the file, line, column and key. */
int gw_config_load(const char *path, struct gw_config *out);
/* Parse a configuration from data[0..len) (YAML, need not be NUL-terminated)
 * on top of the defaults. `name` (a file name, or NULL for "configuration")
 * only prefixes messages; out->path stays NULL. An empty document or only
 * comments gives the defaults. Errors: GW_EPARSE for YAML syntax
 * ("name:line:column: YAML syntax error: ..."), unknown keys, duplicate keys,
 * wrong types, bad values and a second YAML document; GW_ELIMIT when len is
 * over GW_CONFIG_MAX_BYTES. *out is written only on success. */
int gw_config_parse(const char *name, const char *data, size_t len, struct gw_config *out);
/* Fill *out with the defaults only (no file); free with gw_config_clear. */
void gw_config_defaults(struct gw_config *out);
/* Free what a gw_config owns and zero it; safe on a zeroed struct. */
void gw_config_clear(struct gw_config *c);

#endif
