"""`checkpoint_published`: sent after a new checkpoint is signed (kwargs: `checkpoint`).

What a reader fetches first (`/log/checkpoint`, partial tiles) changes then:
the edge purges them (edge.receivers). A later change to the served note
(a witness's cosignature added, publiclog.witnesses) sends it again.
"""

from django.dispatch import Signal

checkpoint_published = Signal()
