"""The words and patterns extraction rules are built from, each kept in one place.

One module per kind of knowledge: :mod:`.times` (dates, clocks, relative times, the
words that start a dateline), :mod:`.bylines` (the words that open a byline),
:mod:`.sites` (whether a text names a web site), :mod:`.scripts` (East Asian
scripts), :mod:`.consent` (consent walls) and :mod:`.comment_words` (reader
comments and their counters). Every module that needs one of these rules imports
it from here, so that the extractor, the comparison form and the monitor agree.

These modules import nothing but :mod:`re`: the comparison form (:mod:`..canonical`)
and the monitor's diff use them without loading the extractor.
"""
