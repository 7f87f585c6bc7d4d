# Thin wrapper around CMake. Every target first makes sure the Debian
# packages the build needs are installed (scripts/install-deps.sh).
MAKEFLAGS += --no-print-directory
BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
DEMO_DIR ?= demo-out
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all deps build check demo bench clean fuzz

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

check: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD)/govwatch $(DEMO_DIR)

bench: build
	@bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD) $(DEMO_DIR)

# libFuzzer run of every tests/fuzz/fuzz_<name>.c for FUZZ_SECONDS each, on a
# copy of its seed corpus (in $(FUZZ_BUILD)/corpus/<name>, kept between runs)
# with tests/fuzz/<name>.dict when present. Needs clang with libFuzzer
# (Debian: apt-get install clang libclang-rt-14-dev); `make check` does not.
# A crash leaves $(FUZZ_BUILD)/crash-<name>-*; copy it into
# tests/fuzz/corpus/<name>/ once fixed so `make check` replays it.
fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DGW_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	@set -e; for f in $(FUZZ_BUILD)/fuzzer_*; do \
	  name=$${f##*/fuzzer_}; work=$(FUZZ_BUILD)/corpus/$$name; \
	  mkdir -p $$work; cp tests/fuzz/corpus/$$name/* $$work/; \
	  dict=; [ -f tests/fuzz/$$name.dict ] && dict=-dict=tests/fuzz/$$name.dict; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/crash-$$name- $$dict $$work; \
	done
