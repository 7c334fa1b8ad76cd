"""The course website (``make site``): Sphinx + myst-nb + sphinx-book-theme over the harness's executed notebooks.

``repository`` works out the public repository URL and the launch links (Binder, a JupyterHub through
nbgitpuller, the notebook itself); ``pages`` turns executed notebooks and the course's tables into the
site's source pages; ``build`` runs Sphinx for the student or the instructor audience; ``links`` checks
every link and anchor of a built folder. The Sphinx configuration is ``conf.py`` beside this file.
"""
