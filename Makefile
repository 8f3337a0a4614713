# Thin wrapper around CMake: the two commands a newcomer needs are `make demo` and `make check`.
BUILD ?= build
JOBS  ?= 2
MONTH ?=

.PHONY: all build deps demo check check-sanitize gallery bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

check: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

check-sanitize:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKITH_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

demo: deps build
	./$(BUILD)/kith report monthly --out out sample-data

bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD) build-asan out
