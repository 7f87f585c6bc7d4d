/* Where GovWatch's data files (dict/: word lists, the holiday calendar,
 * report deadlines) are. */
#ifndef GW_CORE_DICT_H
#define GW_CORE_DICT_H

/* The data directory: $GW_DICT_DIR when set and non-empty, else ./dict
 * when it exists (running from a source tree), else the dict/ of the source
 * tree GovWatch was built from (GW_DICT_DEFAULT, set by CMake). Never NULL;
 * the directory may still be missing (loaders say so, naming it). */
const char *gw_dict_dir(void);

#endif
