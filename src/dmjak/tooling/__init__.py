"""Build tooling behind the course, not part of what it teaches.

The papermill harness, the offline exports, slides, handouts and website (``site``), the kernel's network
and memory guards, the shared Vega loader and the nbconvert/Voilà templates live here so that the package's
top level shows what a student would open. ``classroom`` holds what teaching on a JupyterHub takes: links,
sizing, the rehearsal hub and the load test's simulated students.
"""
