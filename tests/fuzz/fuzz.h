/* The libFuzzer entry point every tests/fuzz/fuzz_<name>.c defines.
 *
 * It is called with data[0..size) (not NUL-terminated; copy it if the code
 * under test wants a C string), must not keep pointers into it, must free
 * everything it allocates, and returns 0. A bug shows as a crash or a
 * sanitizer report; targets also abort() when an invariant of the parser's
 * contract is broken, so the fuzzer finds wrong answers and not only
 * crashes. Built into fuzz_replay_<name> (with replay.c, in every build) and,
 * with -DGW_FUZZ=ON and clang, into the libFuzzer binary fuzzer_<name>. */
#ifndef GW_TEST_FUZZ_H
#define GW_TEST_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
