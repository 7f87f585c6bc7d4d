/* The data directories (dict.h). */
#include "core/dict.h"

#include <stdlib.h>
#include <sys/stat.h>

#ifndef GW_DICT_DEFAULT
#define GW_DICT_DEFAULT "dict"
#endif
#ifndef GW_RULES_DEFAULT
#define GW_RULES_DEFAULT "rules"
#endif

/* $VAR when set and non-empty, else ./LOCAL when it is a directory, else
 * the build's default. */
static const char *find_dir(const char *var, const char *local, const char *fallback)
{
  const char *d = getenv(var);
  if (d && *d)
    return d;
  struct stat st;
  if (stat(local, &st) == 0 && S_ISDIR(st.st_mode))
    return local;
  return fallback;
}

const char *gw_dict_dir(void)
{
  return find_dir("GW_DICT_DIR", "dict", GW_DICT_DEFAULT);
}

const char *gw_rules_dir(void)
{
  return find_dir("GW_RULES_DIR", "rules", GW_RULES_DEFAULT);
}
