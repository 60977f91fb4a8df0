# Two entry points for a fresh machine: `make demo` (the main job) and `make test`.
.PHONY: setup demo test lint bench
setup:
	./scripts/setup.sh

demo: setup
	.venv/bin/rpa demo

# The architecture is checked by the project's own tools before any test runs.
lint: setup
	.venv/bin/lint-imports
	.venv/bin/ruff check rpa pages fakesite tests bench
	.venv/bin/mypy

test: lint
	.venv/bin/python -m pytest -q -n 2 --dist loadgroup

bench: setup
	.venv/bin/python -m bench.run
