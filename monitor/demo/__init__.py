"""A small local news site with realistic pages and volatile chrome, for the demo, tests and benchmarks."""
