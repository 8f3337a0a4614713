# Thin wrapper around CMake: the two commands a newcomer needs are `make demo` and `make check`.
BUILD ?= build
JOBS  ?= 2
MONTH ?=

.PHONY: all build deps demo check check-sanitize check-valgrind fuzz gallery bench clean

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
	cd build-asan && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

# memcheck over a whole report on sample-data (slow: minutes); library caches suppressed.
check-valgrind: build
	valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
	  --suppressions=tests/valgrind.supp ./$(BUILD)/kith report monthly --quiet --out $(BUILD)/vg-out sample-data

FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
fuzz:
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKITH_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS) --target fuzz_all
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) fuzz/run build-fuzz

demo: deps build
	./$(BUILD)/kith report monthly --out out sample-data

# The README's gallery: the monthly report's charts for sample-data/, month fixed so the
# committed PNGs only change when the charts do.
gallery: build
	rm -rf $(BUILD)/gallery
	./$(BUILD)/kith report monthly --quiet --month 2026-10 --out $(BUILD)/gallery sample-data
	mkdir -p reports/examples
	cp $(BUILD)/gallery/*.png reports/examples/
	chmod 644 reports/examples/*.png

bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz out
