# distarch: `make demo` runs the bundled example, `make test` runs every test.
# Both install what is missing first (scripts/setup.sh) and build with CMake.

BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DISTARCH = $(BUILD)/distarch

.PHONY: all setup build demo demo-fixed test suite test-asan fuzz fuzz-smoke fuzz-build clean plugin

all: build

setup:
	@scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(DISTARCH) check --all examples/video-platform --fail-on never

# The example with the six mistakes fixed: a copy of it with the patch applied.
FIXED = $(BUILD)/video-platform-fixed
$(FIXED): examples/video-platform-fixed.patch $(shell find examples/video-platform -type f)
	rm -rf $@ && cp -r examples/video-platform $@
	cd $@ && git apply -p1 $(CURDIR)/examples/video-platform-fixed.patch

demo-fixed: build $(FIXED)
	$(DISTARCH) check --all $(FIXED) --fail-on never

# Every test: the whole suite (unit, e2e, fuzz corpus replays), then a short
# real fuzz run of every fuzz target.
test: suite
	@$(MAKE) --no-print-directory fuzz-smoke

suite: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer, UBSan and LeakSanitizer.
test-asan:
	$(MAKE) suite BUILD=build-asan CMAKE_FLAGS="-DDISTARCH_SANITIZE=ON -DCMAKE_C_COMPILER=clang"

# The libFuzzer binaries (clang; ASan + UBSan), and nothing else, in FUZZ_BUILD.
FUZZ_BUILD ?= build-fuzz
FUZZ_SMOKE_SECONDS ?= 10
fuzz-build: setup
	@cmake -S . -B $(FUZZ_BUILD) -DDISTARCH_FUZZ=ON -DCMAKE_C_COMPILER=clang \
		-DDISTARCH_FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) >/dev/null
	@cmake --build $(FUZZ_BUILD) --target fuzzers -j $(JOBS)

# Each fuzz target for FUZZ_SMOKE_SECONDS, two at a time (CTest label fuzz-run):
# a crash, hang, leak or UBSan report fails it, the input lands in
# $(FUZZ_BUILD)/tests/fuzz-artifacts/.
fuzz-smoke: fuzz-build
	ctest --test-dir $(FUZZ_BUILD) -L fuzz-run --output-on-failure -j 2

# Each fuzz target for FUZZ_SECONDS (default 60), one after the other, from its seed corpus.
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 65536
fuzz: fuzz-build
	@for t in $(FUZZ_BUILD)/tests/fuzz_*; do \
		case $$t in *_replay) continue ;; esac; \
		name=$$(basename $$t); mkdir -p $(FUZZ_BUILD)/corpus/$$name; \
		case $$name in \
		fuzz_python) seeds="tests/fixtures/python tests/fixtures/mixed" ;; \
		fuzz_go) seeds="tests/fixtures/go tests/fixtures/mixed" ;; \
		fuzz_java) seeds=tests/fixtures/java ;; \
		fuzz_js) seeds="tests/fixtures/javascript tests/fixtures/typescript tests/fixtures/mixed" ;; \
		*) seeds= ;; esac; \
		echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
		$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=$(FUZZ_BUILD)/$$name- \
			$(FUZZ_BUILD)/corpus/$$name tests/fuzz/corpus/$$name $$seeds || exit 1; \
	done

# The Claude Code plugin, installable: plugin/ plus the binary in bin/.
plugin: build
	@scripts/assemble-plugin.sh $(DISTARCH) $(BUILD)/plugin

clean:
	rm -rf $(BUILD) build-asan $(FUZZ_BUILD)
