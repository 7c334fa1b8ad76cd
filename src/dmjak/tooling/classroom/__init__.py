"""Teaching the course on a JupyterHub: the classroom tooling, kept apart from the course's own code.

``links`` (nbgitpuller links) and ``sizing`` (memory per student) are what a lecturer needs for any hub
(``python -m dmjak.tooling.classroom link|sizing``). The rest rehearses a class on one machine: ``hub``
(``make classroom``: a real JupyterHub with ``rehearsal_login``, ``rehearsal_users`` and ``student_limits``)
and ``student``, the simulated student of the load test (``make classroom-bench``). Those need JupyterHub
itself: ``pip install "dmjak[classroom]"`` (the lock installs it).
"""
