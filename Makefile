# distarch: `make demo` runs the bundled example, `make test` runs every test.
# Both install what is missing first (scripts/setup.sh) and build with CMake.

BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DISTARCH = $(BUILD)/distarch

.PHONY: all setup build demo demo-fixed test test-asan fuzz clean plugin

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

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DDISTARCH_SANITIZE=ON -DCMAKE_C_COMPILER=clang"

# Each fuzz target for FUZZ_SECONDS (default 60), from its seed corpus.
FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) build BUILD=build-fuzz CMAKE_FLAGS="-DDISTARCH_FUZZ=ON -DCMAKE_C_COMPILER=clang"
	@for t in build-fuzz/tests/fuzz_*; do \
		case $$t in *_replay) continue ;; esac; \
		name=$$(basename $$t); mkdir -p build-fuzz/corpus/$$name; \
		echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
		$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build-fuzz/corpus/$$name tests/fuzz/corpus/$$name || exit 1; \
	done

# The Claude Code plugin, installable: plugin/ plus the binary in bin/.
plugin: build
	@scripts/assemble-plugin.sh $(DISTARCH) $(BUILD)/plugin

clean:
	rm -rf $(BUILD) build-asan build-fuzz
