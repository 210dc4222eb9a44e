"""Running the app as a service: one process on loopback for tests and benchmarks
(:mod:`.serve`), and several behind nginx, supervised (:mod:`.cluster`, with the site
configuration in :mod:`.nginx` and the tuned launcher in :mod:`.launch`)."""
