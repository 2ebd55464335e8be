# distarch: `make demo` runs the bundled example, `make test` runs every test.
# Both install what is missing first (scripts/setup.sh) and build with CMake.

BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DISTARCH = $(BUILD)/distarch

.PHONY: all setup build demo test test-asan clean

all: build

setup:
	@scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(DISTARCH) check --all examples/video-platform --fail-on never

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DDISTARCH_SANITIZE=ON -DCMAKE_C_COMPILER=clang"

clean:
	rm -rf $(BUILD) build-asan
