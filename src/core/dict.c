/* The data directory (dict.h). */
#include "core/dict.h"

#include <stdlib.h>
#include <sys/stat.h>

#ifndef GW_DICT_DEFAULT
#define GW_DICT_DEFAULT "dict"
#endif

const char *gw_dict_dir(void)
{
  const char *d = getenv("GW_DICT_DIR");
  if (d && *d)
    return d;
  struct stat st;
  if (stat("dict", &st) == 0 && S_ISDIR(st.st_mode))
    return "dict";
  return GW_DICT_DEFAULT;
}
