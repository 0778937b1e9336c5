# The two commands of the README, and a few more. Each installs what it needs.
.PHONY: run test build bench clean

run:
	./scripts/run.sh

test:
	./scripts/test.sh

build:
	./scripts/build.sh

bench:
	./scripts/bench.sh

clean:
	rm -rf build
