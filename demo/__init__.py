"""Demo and benchmark data: the fictional municipalities of `make demo` and the benchmark's
scaled dataset. The top floor: it may import every app, and no app imports it. Nothing the
product needs lives here, so a production install could leave it out of INSTALLED_APPS."""
