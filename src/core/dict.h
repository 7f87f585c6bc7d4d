/* Where GovWatch's data files are: dict/ (word lists, the holiday calendar,
 * report deadlines) and rules/ (the indicator rule sets). */
#ifndef GW_CORE_DICT_H
#define GW_CORE_DICT_H

/* The data directory: $GW_DICT_DIR when set and non-empty, else ./dict
 * when it exists (running from a source tree), else the dict/ of the source
 * tree GovWatch was built from (GW_DICT_DEFAULT, set by CMake). Never NULL;
 * the directory may still be missing (loaders say so, naming it). */
const char *gw_dict_dir(void);

/* The rule sets' directory (national-2019.yaml, profiles/): $GW_RULES_DIR
 * when set and non-empty, else ./rules when it exists, else the rules/ of
 * the source tree GovWatch was built from (GW_RULES_DEFAULT). Never NULL. */
const char *gw_rules_dir(void);

#endif
