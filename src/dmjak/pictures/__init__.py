"""Pictures drawn by code as SVG, for what a student would rather look at than read.

One module per notebook, like ``charts/`` and ``widgets/``: each builder takes data and returns a
``Picture`` (SVG with a title and a text description, and the sources of every fact it shows), testable
without a kernel. A picture is plain inline SVG in HTML, so it shows the same in JupyterLab, Voilà, the
offline pages and a Sphinx site, and needs no JavaScript. Altair draws data; these draw anatomy and
mechanism, which have no axes.
"""
