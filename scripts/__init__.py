"""Developer tools: fault drills, catalogue and dashboard benchmarks, pictures."""
