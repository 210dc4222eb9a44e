"""Running the app as a service: one process for tests and benchmarks (:mod:`.serve`), and
several behind a reverse proxy."""
