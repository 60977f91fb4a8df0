# Two entry points for a fresh machine: `make demo` (the main job) and `make test`.
.PHONY: setup demo test bench
setup:
	./scripts/setup.sh

demo: setup
	.venv/bin/rpa demo

test: setup
	.venv/bin/python -m pytest -q -n 2 --dist loadgroup

bench: setup
	.venv/bin/python -m bench.run
