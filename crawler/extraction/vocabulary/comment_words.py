"""The words for reader comments: a thread's title ("Kommentare") and a counter ("12 comments")."""

from __future__ import annotations

# Plural words for a thread, in the languages of the news the project watches. Singular
# "Comment", "Kommentar", "Commentary" are opinion columns, not threads.
THREAD_WORDS = (
    r"comments|kommentare|leserkommentare|kommentarer|commentaires|comentarios|comentários|commenti|"
    r"reacties|komentarze|komentáře|kommentit|hozzászólások"
)
# What a counter counts ("1 comment", "12 Kommentare", "Kommentar (1)"): singular or plural.
COUNTED_WORDS = rf"(?:comment|kommentar|commentaire|comentario|{THREAD_WORDS})"
