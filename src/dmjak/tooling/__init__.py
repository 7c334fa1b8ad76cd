"""Build tooling behind the course, not part of what it teaches.

The papermill harness, the offline exports, the kernel's network guard, the shared Vega loader and the
nbconvert/Voilà templates live here so that the package's top level shows what a student would open.
"""
