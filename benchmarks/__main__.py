"""`python -m benchmarks [--full]`: every figure with its goal (see benchmarks/README.md)."""

from benchmarks.run_all import main

main()
