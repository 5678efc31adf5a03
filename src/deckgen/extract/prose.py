"""Definitions written in running prose, and acronyms introduced with their expansion.

A teacher picks many definitions that carry no bold: "A pod is the smallest deployable unit
...", "Docker Compose is a tool for ...", "Retrieval-augmented generation (RAG) grounds ...".
`ProseFinder` finds two shapes in a lesson's paragraphs and list items, as `Found`s for the
definitions' usual decision (`definition_signals.judge`):

- `prose-sentence`: a sentence that opens with a term and goes on with a defining predicate
  (`is a/an/the ...`, `refers to`, `stands for`, `lets you`, ...). Prose defines far less
  often than a bold lead, so the shape starts below the threshold (`in-running-prose`) and is
  kept on evidence: the term is a name, recurs, or titles a section. The first sentence under
  a heading that opens with the heading's subject may go on with any verb (`## Block
  Storage` / `Block storage provides ...`: `names-its-section`).
- `acronym-expansion`: `Full Name (FN)` or `FN (Full Name)` whose initials spell the acronym,
  at its first such place in the lesson.
- `acronym-pair`: such a pair that opens its sentence (`Full Name (FN) does ...`) or that
  `called` / `known as` precedes: the author introduces the term, and the sentence is its card.

`in_summary` lets a summary's bullet that defines a term through (summaries hold no other
definitions). `once_per_term` then keeps one item per term: a term defined by a bold lead, a
heading or a glossary keeps that card; a prose sentence beats an acronym's bare expansion, and
both beat a summary's bullet; otherwise the first place wins (GUIDE.md: "recorded at its first
real definition").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cached_property, lru_cache

from deckgen.defaults import alternatives, defaults
from deckgen.extract.callouts import IN_CALLOUT, without_markers
from deckgen.extract.common import NAME_SHAPE, singular, source_ref, within
from deckgen.extract.definition_signals import (
    BODY_DEFINES,
    FIELD_LISTS_NAMES,
    TERM_IS_NAME,
    TERM_RECURS,
    VETO,
    Found,
    LessonFacts,
    body_defines,
    is_name,
)
from deckgen.extract.evidence import Candidate, Signal, drop
from deckgen.identity import normalize_key
from deckgen.items import Definition, SourceRef
from deckgen.lesson import Lesson, Section, plain_text

_WORDS = defaults()

PROSE = "prose-sentence"
ACRONYM = "acronym-expansion"
ACRONYM_PAIR = "acronym-pair"
INTRODUCES_PAIR = "introduces-pair"
IN_SUMMARY = "in-summary"
HEADING_DESCRIPTION = "heading-description"  # definitions.py's shape: `### Data Parallelism`
HEADING_GLOSS = "heading-gloss"  # definitions.py's shape: `### DVC: Data Version Control`
COMMAND_ASIDE = "command-aside-bullet"  # definitions.py's: `- Adding files (`git add`)`
GLOSSED_NAME = "glossed-name-list"  # definitions.py's: `- GitKraken (graphical Git client)`
EXPANDED_ASIDE = "expanded-aside"
TERM_EMPHASISED_SIGNAL = "term-emphasised"
MARKED_AS_CALLED = "marked-as-called"  # `a method called **X**`: `_CALLED_MARKED`
EMPHASISED_SUBJECT = "emphasised-subject"  # `A **distro** (distribution) packages ...`
MARKED_IN_SENTENCE = "marked-in-sentence"  # `... use a **self-attention** mechanism, ...`
SAID_AFTER = "said-after"  # `... of **Ontology**. It refers to ...`: `_SAID_AFTER`
NAMED_BY_GLOSS = "named-by-gloss"  # `... states (**exploration**)`: `_GLOSSES`
REFERS_BACK = "refers-back"  # `... one unit. This is called X.`: `_REFERS_BACK`
KIND_LEFT_OFF = "kind-left-off"  # ``The `.show()` command allows ...``: the card shows `.show()`
CODE_SUBJECT = "code-subject"  # `` `$(...)` tells Make to replace ...``
LINKS_GLOSSARY = "links-glossary"  # `a Make [variable](../reference#variable) to hold ...`
IN_RUNNING_PROSE_SIGNAL = "in-running-prose"  # the prior, its detail the predicate
_GLOSSARY_LINK_VERB = "glossary link"  # the predicate of a term found by its glossary link alone
CODE_KIND = "code-kind"  # ``we can use the `hist` function to ...``
_BOLD_TERM_SENTENCE = "bold-term-sentence"  # `**Models** are ...`: definitions.py's shape
# A sentence in running prose needs evidence beyond its shape: a name (+2) or a term that
# recurs (+1) and titles a section (+1), with a defining body (+2).
IN_RUNNING_PROSE = -3
TERM_IN_HEADING = 1
SAYS_WHAT_IT_DOES = 2
EVALUATIVE = -3
TERM_EMPHASISED = 2
# The first sentence under a heading, about the heading's own subject, says what it is whatever
# its verb (`## Block Storage` / `Block storage provides ...`).
NAMES_ITS_SECTION = 2
# The author links the word to its entry in the lesson's glossary: that alone keeps it.
LINKS_GLOSSARY_WEIGHT = 4
# A code span as the subject, a verb in -s after it: with `term-is-name` (code) it is kept.
CODE_SUBJECT_WEIGHT = 2
# A code span the sentence calls a function or a method: with `term-is-name` (code) it is kept,
# unless the lesson's own code defines it (`code-defined-here`): an example the lesson writes.
CODE_KIND_WEIGHT = 2
DEFINED_HERE = -3
# `A variable is a name for a value.` opening a paragraph: the generic singular subject is how a
# textbook introduces a term, and with a defining body it is kept though said once (`A
# low-priority instance means that ...`): the shape names the term in general, a thing to learn.
GENERIC_SUBJECT = "generic-subject"
GENERIC_SUBJECT_WEIGHT = 2
# `TTL stands for ...`, `... is known as X`: a predicate about the word itself (`meaning_verbs`,
# or a term named last); on the tune sets 75 of the 83 such candidates are annotated.
SAYS_WHAT_IT_MEANS = "says-what-it-means"
SAYS_WHAT_IT_MEANS_WEIGHT = 1

_MAX_TERM_WORDS = 5
_MAX_PLAIN_TERM_WORDS = 3  # a lower-case noun phrase longer than this is a clause
# `Most teams are ...`: a ranking word opens no term either.
_OPENERS = (
    frozenset(_WORDS.sentence_openers)
    | frozenset(_WORDS.stopwords)
    | frozenset(_WORDS.ranking_words)
)
_EVALUATIVE = frozenset(_WORDS.evaluative_words)
# Inside a title-case name: `Infrastructure as Code`, `Quality of Service`.
_RELATIVIZERS = frozenset(_WORDS.relativizers)
_CLAUSE_REACH = 8  # a relative clause this close to the verb describes the term
_PLAIN_WORD = re.compile(r"[\w'-]+")
_CONNECTORS = frozenset({"as", "of", "and", "for", "in", "on", "to", "the"})

# A sentence ends at `.`, `!` or `?` before a space and a capital, a code span or a mark.
# `*Compare to an oracle.* A test oracle is ...`: a stop inside closing italics ends a sentence
# too (an italic lead-in is no part of the definition after it). Not inside bold: `**Label.**
# Text` is a bold lead and its body, the bold shapes' item.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[^*_][.!?][*_]))\s+(?=[A-Z`*_\[\"“(])")
# `e.g. Docker`, `vs. Podman`: an abbreviation's dot ends no sentence.
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|vs|etc|cf|approx|incl|Dr|Mr|Ms|No)\.)$", re.I)
_ARTICLE = re.compile(r"^(?:(?P<article>A|An|The)\s+)?", re.I)
# A link is one word of a term: `[Key-value](https://...) databases store ...`.
_TERM_WORD = re.compile(
    r"\s*(?:`[^`\n]+`|\[[^\[\]\n]{1,60}\]\([^()\s]*\)|[A-Za-z](?:[\w.+#/-]*[\w+#])?)"
)
# `A *container*`, `The **kubelet**`, `In Kubernetes, a **pod**`: an emphasised term that opens
# the sentence (after an article) or a clause after a comma (with one); a bold lead without an
# article is the bold shapes' candidate.
_EMPHASISED = re.compile(
    r"(?:^(?:(?:A|An|The)\s+)?|,\s+(?:a|an|the)\s+)"
    r"(?P<mark>\*\*|__|\*|_)(?P<term>[^*_\s](?:[^*_\n]{0,58}[^*_\s])?)(?P=mark)"
)
_BARE_COPULA = re.compile(
    r"\s+(?:is|are)\s+(?P<next>[A-Za-z][\w-]*)(?:[\s,]+[A-Za-z][\w-]*){0,5}?[\s,]+"
    rf"(?P<relative>{alternatives(_WORDS.relativizers)})\b"
    # `... measured by the distance to that centroid.`: a word that ends the sentence after
    # `that` is its noun, a pointer, not the verb of a clause that says which kind of thing.
    r"(?!\s+[\w-]+[.!?]?\s*$)",
    re.I,
)
_CALLED_ADVERBS = r"(?:often|commonly|also|usually|sometimes)"  # `is also called`, `Also called`
# `This is called *containerization*.`, `... are known as sidecars.`, `(which is called X)`:
# the term closes the clause.
_CALLED = re.compile(
    rf"\b(?:is|are)\s+(?:{_CALLED_ADVERBS}\s+)?"
    r"(?P<verb>called|known as|termed|referred to as)\s+"
    # `known as **the law of large numbers**`: an article inside the marks is no part of the
    # name, as one before them is not.
    r"(?:(?P<mark>\*\*|__|\*|_)(?:(?:[Aa]n?|[Tt]he)\s+)?(?P<emphasised>[^*_\n]{1,60}?)(?P=mark)"
    r"|(?:(?:a|an|the)\s+)?\[(?P<linked>[^\[\]\n]{1,60})\]\([^()\s]*\)"
    r"|(?:(?:a|an|the)\s+)?(?P<plain>`?[A-Za-z](?:[\w.+#-]*[\w+#])?`?(?:\s+[A-Za-z][\w+#-]*){0,3}))"
    r"(?=\s*(?:[.,;:!()]|$))"
)
# `a method called **gradient ascent**.`, `so-called **drift** - a change ...`, `was called
# *X*,`: no copula before the verb, so only a term the author marks (bold or italics) counts,
# closing its clause or before a dash that explains it. A symbol (an HTML entity) right after
# the term is its notation and closes the name as a full stop would: `... are called
# **parameters** &theta;`, `the so called **policy** &pi; - which ...`.
_CALLED_MARKED = re.compile(
    r"(?P<verb>\bso[- ]called|(?<=[a-z] )called)\s+(?:(?:a|an|the)\s+)?"
    r"(?:(?:(?P<mark>\*\*|__|\*|_)(?:(?:[Aa]n?|[Tt]he)\s+)?(?P<emphasised>[^*_\n]{1,60}?)(?P=mark)"
    # `a library called [NumPy](http://... "NumPy Documentation")`: a link marks it too.
    r"|\[(?P<linked>[^\[\]\n]{1,60})\](?:\([^()\n]*\)|\[[\w .-]*\]))"
    # `(so-called **bins**)`: a closing parenthesis ends the name, as it does after `is called`.
    r"(?=\s*(?:[.,;:!()]|$)|\s+[-\u2013\u2014]\s|\s+&[A-Za-z]+;)"
    # `sections called "cells" that ...`: quotes close the name themselves.
    r"|[\"'\u201c\u2018](?P<quoted>[A-Za-z][^\"'\u201d\u2019\n]{0,58}?)[\"'\u201d\u2019](?!\w))"
)
# One of these words is in every sentence `_CALLED` matches.
_CALLED_VERBS = ("called", "known", "termed", "referred")
_CALLED_PHRASES = frozenset({"called", "known as", "termed", "referred to as"})
# `This is called X.`, `Such variables are called X.`, `The latter is known as X.`: a sentence
# that opens by pointing back (a pronoun or a demonstrative) says what `this` is only with the
# sentence before it. `Also called X.` has no subject at all: it goes on with the sentence
# before. Any other opening (`The mean, also called X, ...`, `As we grow the sample, ...`) is a
# sentence that stands alone, and the one before it is a lead-in, no part of the card. A
# sentence that goes on (in lower case, after a colon) is never split off its start.
_REFERS_BACK = re.compile(
    r"(?:(?P<pointer>this|these|that|those|it|its|they|their|such|here|the\s+(?:latter|former))\b"
    rf"|(?P<no_subject>(?:{_CALLED_ADVERBS}\s+)*(?:called|known as|termed|referred to as)\b))",
    re.I,
)
_TERM_MARKED = r"(?P<mark>\*\*|__|\*|_)(?P<term>[^*_\s](?:[^*_\n]{0,58}[^*_\s])?)(?P=mark)"
# `... diagrams called [Voronoi diagrams](https://...), which ...`: a link marks the thing it
# names as bold would, itself in bold or not, written inline or as a reference.
_TERM_LINKED = (
    r"(?P<bold>\*\*)?\[(?P<linked>[^\[\]\n]{1,60})\](?:\([^()\s]*\)|\[[\w .-]*\])(?(bold)\*\*)"
)
_TERM_GLOSSED = rf"(?:{_TERM_LINKED}|{_TERM_MARKED})"  # a bold link is a link
# Not the sentence's first words, nor a word right after a copula: `The queue is **empty**, which
# means ...` stresses a state, it names no thing.
_NOT_PREDICATIVE = r"(?<=\S)(?<!\bis)(?<!\bare)(?<!\bwas)(?<!\bwere)(?<!\bbe)"
# A term the sentence names after describing it, or glosses where it names it; only a term the
# author marks (bold, italics or a link) counts, never the sentence's first words (its subject's
# shapes). Each pattern's name is the candidate's `named-by-gloss` detail; before it, the text
# each of its matches holds (one of), tested first: the engine tries a pattern's look-behinds
# at every character, and most sentences hold none of these.
_GLOSSES = (
    # `... following the strategy learned so far (**exploitation**)`: the name in parentheses
    # right after the noun phrase or clause it names.
    ("parenthesised", (" (",), re.compile(rf"(?<=[a-z]{{2}}) \({_TERM_GLOSSED}\)")),
    # `one network, the **encoder**, collapses ...`: an appositive between commas, a verb after.
    (
        "apposition",
        (", ",),
        re.compile(rf"(?<=\w), (?:the|a|an) {_TERM_GLOSSED}, (?!(?:and|or|but) )[a-z]"),
    ),
    # `we start with some **prompt**, which is passed ...`, `the **decoder**, whose goal is
    # ...`, `using a **shell**, i.e. a system ...`: a relative clause or a gloss describes it.
    # A term that itself glosses a name before it (`[Gym](...) - a **simulator**, which ...`)
    # is that name's description, not a term.
    (
        "which",
        (", which ", ", whose ", ", i.e."),
        re.compile(
            rf"(?<![-\u2013\u2014] a)(?<![-\u2013\u2014] an)(?<![-\u2013\u2014] the)"
            rf"{_NOT_PREDICATIVE} {_TERM_GLOSSED}, (?:which (?!is why\b)|whose |i\.e\.,? )"
        ),
    ),
    # `driven by the **goal** - the attribute value that ...`: a dash, then a noun phrase.
    (
        "dash",
        (" - ", " \u2013 ", " \u2014 "),
        re.compile(rf"{_NOT_PREDICATIVE} {_TERM_GLOSSED} [-\u2013\u2014] (?:the|a|an) [a-z]"),
    ),
    # `familiarise yourself with [Scikit-learn](https://...), a set of ML libraries ...`: an
    # appositive after the name a link marks says what kind of thing it is (two words at least
    # after the article: `[X](...), a lot` is no noun phrase). Not after bold: `in the presence
    # of a **partition**, a distributed system must ...` opens a clause, and `a **tree** or
    # **grass**, a place ...` glosses both words.
    (
        "appositive",
        (", a ", ", an "),
        re.compile(rf"{_NOT_PREDICATIVE} {_TERM_LINKED}, (?:a|an) [a-z][\w-]* [a-z]"),
    ),
    # `An excellent library for plots is [Matplotlib](https://...).`: the sentence describes a
    # thing of a kind, then names it by a link that closes the clause. Not `is a [flexbox]`,
    # which says what kind the subject is; nor bold after a copula, which stresses (`is
    # **empty**`).
    (
        "described",
        ("[",),
        re.compile(
            r"^(?:A|An|One|The)\s[^.;:!?]*?\s(?:is|are)\s(?:the\s)?"
            rf"{_TERM_LINKED}(?=\s*(?:[.,;(]|$)|\s[-\u2013\u2014]\s)"
        ),
    ),
)
# `A core concept ... is **Ontology**. It refers to a specification ...`: a sentence that opens with
# a pronoun and a verb goes on about what the sentence before it has just named.
_SAID_AFTER = re.compile(r"(?P<pointer>It|This|These|They)\s+(?:is|are|refers?|means?|[a-z]+s)\b")
# `... transformers use a **self-attention** mechanism`: bold after a word of the sentence (a
# bold lead, or bold right after a stop, opens its own sentence: the bold shapes'), closed
# without a colon (`... | **Difficulty**: Beginner` is a field).
_MARKED_INSIDE = re.compile(
    r"(?<=[a-z,] )(?P<mark>\*\*|__)(?P<term>[^*_\s](?:[^*_\n]{0,58}[^*_\s])?)(?P=mark)(?![\w:*])"
)
# `[Spyder][spyder-ide] is an ...`: a reference link (its address at the page's foot) too.
_LINKED = re.compile(
    r"^(?:(?:A|An|The)\s+)?\[(?P<term>[^\[\]\n]{1,60})\](?:\([^()\s]*\)|\[[\w .-]*\])"
)
_NEXT_WORD = re.compile(r"\s+[`A-Za-z]")
_OBJECT = re.compile(r"\s+[\w`'\"\[]")  # a verb's object or complement: `takes 3 ...`, `sets "x"`
# Between the term and its predicate: `(RAG)`, `, which runs on every node,`.
_ASIDE = re.compile(
    r"\s*\([^()]{1,80}\)|\s*,\s+(?:which|who|also called|also known as)\b[^,]{1,80},"
)
# `A tensor is simply an array ...`: a hedging adverb between the copula and its article still
# opens a definition.
_COPULA = re.compile(
    r"\s+(?:is|are)\s+(?:(?:simply|essentially|basically|just|really)\s+)?"
    r"(?P<article>a|an|the|one of the)\s+(?P<next>[\w-]+)",
    re.I,
)
# `refers to`, `stands for`, ...: the defining verbs but the copulas, which need an article.
_MEANING_VERBS = frozenset(_WORDS.meaning_verbs)
_NOT_COPULAS = tuple(verb for verb in _WORDS.defining_verbs if verb not in ("is", "are", "was"))
_DEFINING = re.compile(rf"\s+(?P<verb>{alternatives(_NOT_COPULAS)})\s+\S", re.I)
_DOES = re.compile(rf"\s+(?P<verb>{alternatives(_WORDS.prose_action_verbs)})\s+\S", re.I)
_LETTER = re.compile(r"[A-Za-z]")
# A word in lower case, not part of a path, a file or an address (`grafana/provisioning`).
_LOWER_WORD = re.compile(r"(?<![\w/.@-])[a-z][a-z0-9-]*(?![\w/@-]|\.\w)")

# `Retrieval-Augmented Generation (RAG)` and `RAG (Retrieval-Augmented Generation)`.
_ACRONYM = r"(?P<acronym>[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*)"
# `PromQL`, `KServe`: three lower-case letters in a row make a name, not an acronym.
_LOWER_RUN = re.compile(r"[a-z]{3}")
# `GPUs`, `APIs`: a plural of capitals; `MLOps` keeps its `s`.
_PLURAL = re.compile(r"^(?P<singular>[A-Z0-9]{2,})s$")
# `[Google Kubernetes Engine (GKE)](https://...)`: a link's title names a resource to visit.
_LINK = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
_DOCUMENTS = frozenset(_WORDS.document_words)
_LINK_TEXT = re.compile(r"(?<!!)\[([^\]]*)\]\([^)]*\)")
# An expansion's words may join parts with a hyphen, an en dash or a slash (`Read–Eval–Print`).
_EXPANSION_FIRST = re.compile(
    rf"(?P<expansion>[A-Za-z][\w/\u2013-]*(?:\s+[A-Za-z][\w/\u2013-]*){{0,7}})\s+\({_ACRONYM}\)"
)
_IN_PARENS = re.compile(rf"\({_ACRONYM}\)")
_ACRONYM_FIRST = re.compile(rf"\b{_ACRONYM}\s+\((?P<expansion>[A-Za-z][\w\s/\u2013-]{{3,80}}?)\)")
# What may stand before a pair that introduces its term: nothing but an article (`The
# Horizontal Pod Autoscaler (HPA) scales ...`), or a word that names it (`what is called Read–
# Eval–Print Loop (REPL)`, `also known as ...`).
_PAIR_OPENS = re.compile(r"^\s*(?:(?:A|An|The)\s+)?$")
_PAIR_CALLED = re.compile(r"\b(?:called|known\s+as)\s+(?:(?:a|an|the)\s+)?$", re.I)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
# `` `X` ``, ``The `X` ``, ``The function `X` ``: a code span opening the sentence, after an
# article and one lower-case word (its kind) at most.
_CODE_SUBJECT = re.compile(r"(?:The\s+(?:(?P<kind>[a-z]+)\s+)?)?(?P<code>`[^`\n]+`)")
# ``the `hist` function``, ``the method `.count()` ``: a code span and the kind of code it is,
# a function or a method (`functions` after two spans lists them, and names no one term).
_CODE_KIND = re.compile(
    r"(?P<code>`[^`\n]+`)\s+(?P<kind>function|method)\b(?!s)"
    r"|\b(?P<kind_before>function|method)\s+(?P<code_after>`[^`\n]+`)"
)
# ``The `.show()` command allows ...``: a code span and the kind of code it is, as the subject
# of a defining sentence. The kind is no part of the name: the card's front is the code alone.
_CODE_AND_KIND = re.compile(
    r"(?P<code>`[^`\n]+`)\s+(?P<kind>command|function|method|option|flag|keyword|module)"
)
# `numpy.diff()`, `.fillna()`, `rescale(data)`: the name called, its last dotted part.
_CALLABLE_NAME = re.compile(r"^(?:[\w.]*\.)?(?P<name>[A-Za-z_]\w*)")
# `def rescale(`, `function f(`, `fn f(`, `func f(`, `f <- function(`: a function the code
# defines; a Ruby method with no parameters (`def mark_done`, `def self.build`), or a function
# bound to a name (`const double = (n) => ...`, `let f = function (...)`). Not after a modifier
# (`async function startX(`): blind4's annotators card such a helper of a browser app.
_CODE_DEFINITION = re.compile(
    r"^\s*(?:def|function|fn|func)\s+(?:self\.)?(?P<name>[A-Za-z_]\w*)\s*[(\n;{]"
    r"|^\s*(?:export\s+)?(?:const|let|var)\s+(?P<bound>[A-Za-z_]\w*)\s*=\s*(?:async\s+)?"
    r"(?:function\b|\([^()\n]*\)\s*=>|[A-Za-z_]\w*\s*=>)"
    r"|(?P<r_name>[A-Za-z_]\w*)\s*<-\s*function\b",
    re.M,
)
# Names the lesson's example code binds besides its functions, matched whole (not by their
# last dotted part, so a library's `np.mean` stays when the code assigns `mean = ...`):
# - an assignment opening a line (`word_counts = {}`, `total <- 0`, `let count = 0`, `a, b =
#   pair`, shell's `name=value`), not a keyword argument on a line of its own (`task="x",`);
# - a loop's variable (`for word in words`, `for (i in 1:10)`, `for (const row of rows)`) or a
#   name after `as` of a `with` or an `except` (`with open(p) as handle:`);
# - a relative file or folder the code creates, writes, runs or enters (`touch notes.txt`,
#   `nano draft.md`, `python fetch_pages.py`, `mkdir thesis`, `cd bin-linux64`, `ls -F data`,
#   `> out.csv`, `open("out.txt", "w")`): not a system path (`/etc`, `~`), a flag or `..`.
_CODE_BINDINGS = (
    re.compile(
        r"^[ \t]*(?:(?:let|const|var|my|local|export)\s+)?"
        r"(?P<name>[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)[ \t]*(?:=(?![=>~])|<-|:=)"
        r"(?![^\n]*,[ \t]*$)",
        re.M,
    ),
    re.compile(
        r"\bfor[ \t]*\(?[ \t]*(?:(?:let|const|var|my)\s+)?"
        r"(?P<name>[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)[ \t]+(?:in|of)\b"
    ),
    re.compile(r"^[ \t]*(?:with|except)\b[^\n]*\bas[ \t]+(?P<name>[A-Za-z_]\w*)[ \t]*:", re.M),
    re.compile(
        r"(?:^|[\s;|&(])(?:touch|nano|vim?|emacs|mkdir(?:[ \t]+-p)?|cd|ls(?:[ \t]+-\w+)*"
        r"|python3?|bash|sh|Rscript|node|ruby)[ \t]+(?P<name>\w[\w.-]*)(?=[\s;|&)/]|$)"
        r"|(?:^|\s)>>?[ \t]*(?P<written>\w[\w-]*\.\w+)\b"
        r"|\bopen\(\s*['\"](?P<opened>\w[\w.-]*)['\"]\s*,\s*['\"][wax]",
        re.M,
    ),
)
_SETTINGS_FENCES = frozenset(_WORDS.settings_languages)  # a settings file binds no name
# A link to an entry of the lesson's own glossary page: a relative address (not `https://`)
# whose last part is the page, then an anchor (`{{ page.root }}/reference/#member`).
_GLOSSARY_LINK = re.compile(
    rf"(?<!!)\[(?P<term>[^\[\]\n]{{1,60}})\]\((?P<target>(?:(?!://)[^()\n])*?(?<![^\s/(])"
    rf"(?:{alternatives(_WORDS.glossary_pages)})(?:\.html|\.md)?/?#(?P<anchor>[\w-]+))\)",
    re.I,
)


# (the defining verb, the weight of `says-what-it-does`, the word after an article)
_Predicate = tuple[str, int, str]
# A term marked inside a sentence needs bold; an acronym's expansion, a parenthesis (or an
# entity that may write one).
_BOLD_MARKS, _ACRONYM_MARKS = ("**", "__"), ("(", "&")


class ProseFinder:
    """The prose shapes of one lesson: which acronyms were already introduced is kept, so that
    only an acronym's first expansion becomes a candidate."""

    def __init__(self, lesson: Lesson, facts: LessonFacts) -> None:
        self.lesson, self.facts = lesson, facts
        self._acronyms: set[str] = set()
        self._marked: set[str] = set()
        self._heading_text = " | ".join(section.title.lower() for section in lesson.sections)

    @cached_property
    def _lower_words(self) -> frozenset[str]:
        """The words the lesson writes in lower case somewhere: `cloud` is no name of its own,
        even where `Google Cloud` capitalises it."""
        tokens = self.lesson.tokens
        words: set[str] = set()
        for index in self.lesson.positions("inline"):
            # Prose only: code and addresses write every name in lower case.
            words.update(
                _LOWER_WORD.findall(_CODE_SPAN.sub(" ", _LINK.sub(" ", tokens[index].content)))
            )
        return frozenset(words)

    def shapes(
        self, index: int, callout: bool = False, every: bool = True, acronyms: bool = True
    ) -> Iterator[Found]:
        """The prose definitions and acronyms of the paragraph opened at token `index`; in a
        `callout`, its markers (`[!NOTE]`, a leading `✅`) are no part of a sentence; nor, in
        any paragraph, a block's marker lines (`{: .callout}`, `:::`). Not `every` shape, for
        a section that keeps none of them (`definitions._finds`): only the `acronyms`, if
        asked; the terms marked inside its sentences are recorded all the same, since only a
        term's first marked mention in the lesson introduces it."""
        tokens = self.lesson.tokens
        content = tokens[index + 1].content
        marks = _BOLD_MARKS + _ACRONYM_MARKS if acronyms else _BOLD_MARKS
        if not every and not any(mark in content for mark in marks):
            return  # what the finders below need in a sentence, in none of them
        content = without_markers(content, callout)
        first_line = tokens[index].map[0] if tokens[index].map else 0
        section = self.lesson.section_at(index)
        excluded = bool(self.facts.excluded(section))
        # A paragraph right under a heading opens its section: its first sentence may name the
        # heading's subject (`opening_heading`).
        heading = section.title if section and tokens[index - 1].type == "heading_close" else ""
        previous = ""
        split = list(sentences(content))
        for number, (start, text) in enumerate(split):
            following = split[number + 1][1].strip() if number + 1 < len(split) else ""
            # A callout's blanked marker leaves spaces before its first sentence.
            sentence = text.lstrip()
            offset = start + len(text) - len(sentence)
            line = first_line + content.count("\n", 0, offset) + 1
            source = source_ref(self.lesson, line, section)
            # `VAE is the autoencoder that ..., so-called **latent distribution**.`: a sentence
            # that defines its subject may name a second term; each is a candidate.
            named: dict[str, Found] = {}
            marked = self._marked_inside(sentence, previous, following, source, find=every)
            shaped = (
                (
                    self._sentence(sentence, source, "" if start else heading, first=not start),
                    *self._called(sentence, previous, source),
                    *self._glossed(sentence, source),
                    *self._glossary_links(sentence, source),
                    *self._code_kinds(sentence, source),
                    *marked,
                )
                if every
                else marked
            )
            for found in shaped:
                if found is None:
                    continue
                earlier = named.setdefault(found.term_text, found)
                linked = [fact for fact in found.facts if fact.name == LINKS_GLOSSARY]
                if earlier is not found and linked:
                    # `A [test oracle](../reference#test-oracle) is something ...`: the sentence
                    # that defines the term links it to its glossary entry too, and the
                    # author's word that it is a term counts for the definition.
                    named[found.term_text] = replace(earlier, facts=(*earlier.facts, *linked))
            yield from named.values()
            if every or acronyms:
                yield from self._expansions(sentence, source, excluded, previous, following)
            previous = sentence

    def _sentence(
        self, sentence: str, source: SourceRef, heading: str = "", *, first: bool = False
    ) -> Found | None:
        """A term opening `sentence` and a defining predicate; for the first sentence under
        `heading`, a term that the heading names and any verb (`names-its-section`); for the
        first sentence of its paragraph or list item, `A`/`An` before the term
        (`generic-subject`)."""
        if sentence.startswith(("**", "__")) or sentence.rstrip().endswith("?"):
            return None  # a bold lead is the bold shapes' candidate; a question defines nothing
        # Each regex below needs its mark in the sentence; most sentences have neither.
        emphasised = _EMPHASISED.search(sentence) if "*" in sentence or "_" in sentence else None
        if emphasised is not None:
            term = emphasised.group("term")
            mark = Signal(TERM_EMPHASISED_SIGNAL, TERM_EMPHASISED)
            predicate = _predicate(sentence[emphasised.end() :])
            if predicate is not None:
                # `A *container* is ...`, `In Kubernetes, a **pod** is ...`: the author marks
                # the term being defined.
                return self._found(sentence, source, term, "", predicate, mark)
            subject = self._emphasised_subject(sentence, emphasised)
            if subject is not None:
                aside, predicate = subject
                shape = Signal(EMPHASISED_SUBJECT, 0, predicate[0])
                return self._found(sentence, source, term, aside, predicate, mark, shape)
        linked = _LINKED.match(sentence) if "[" in sentence else None
        if linked is not None:
            predicate = _predicate(sentence[linked.end() :])
            # `[Helm](https://helm.sh) is the package manager ...`: the link names the term.
            if predicate is not None:
                return self._found(sentence, source, linked.group("term"), "", predicate)
        opening = _ARTICLE.match(sentence)
        start = opening.end() if opening else 0
        words: list[re.Match[str]] = []
        for word in _TERM_WORD.finditer(sentence, start):
            if word.start() != (words[-1].end() if words else start):
                break
            words.append(word)
            # The term is the shortest run of words the predicate follows.
            term = sentence[start : word.end()]
            rest, aside = sentence[word.end() :], ""
            between = _ASIDE.match(rest)
            if between:
                aside = between.group().strip(" ,")
                rest = rest[between.end() :]
            predicate = _predicate(rest)
            names_section = bool(heading) and self._heading_names(term, heading)
            if predicate is not None:
                # `### Embeddings` / `An embedding is a vector ...`: a defining sentence that
                # opens its own section has both pieces of evidence.
                opens = (_names_its_section(heading),) if names_section else ()
                if kind := _CODE_AND_KIND.fullmatch(term):
                    term = kind.group("code")
                    opens += (Signal(KIND_LEFT_OFF, 0, kind.group("kind")),)
                article = opening.group("article") if opening else None
                if first and article and article.lower() in ("a", "an"):
                    # `A variable is just a name ...` opening its paragraph: the term in
                    # general, not one thing the text already spoke of (`The rows are ...`,
                    # `An index refers to ...` in the middle of a paragraph about one table).
                    opens += (Signal(GENERIC_SUBJECT, GENERIC_SUBJECT_WEIGHT, article),)
                return self._found(sentence, source, term, aside, predicate, *opens, defines=True)
            if names_section:
                predicate = _any_verb(rest, term, heading)
                if predicate is not None:
                    section = _names_its_section(heading)
                    return self._found(sentence, source, term, aside, predicate, section)
            if len(words) == _MAX_TERM_WORDS or not rest[:1].isspace():
                break
            # The next word must follow after spaces only: `Docker, a tool` has no term.
            if not _NEXT_WORD.match(rest):
                break
        return self._code_subject(sentence, source)

    def _code_subject(self, sentence: str, source: SourceRef) -> Found | None:
        """`` `$(...)` tells Make to ...``, ``The `-v` option prints ...``, ``The function
        `load()` reads ...``: a code span as the sentence's subject, one word beside it at most
        (the kind of thing it is, left off the card's front), then a verb in `-s` right after:
        the sentence says what that code does (`code-subject`)."""
        subject = _CODE_SUBJECT.match(sentence) if sentence[:1] in "`T" else None
        if subject is None:
            return None
        rest = sentence[subject.end() :]
        verb = _VERB.match(rest)
        if verb is not None and not verb.group("s") and subject.group("kind") is None:
            # `` `-v` option prints``: the word after the code names its kind; the verb follows
            # (`` `web` can reach ...``: a modal is no kind).
            kind = verb.group("verb")
            verb = None if kind in _NOT_PREDICATES else _VERB.match(rest, verb.end())
        if verb is None or not verb.group("s") or verb.group("verb") in _NOT_PREDICATES:
            return None
        if not _OBJECT.match(rest, verb.end()):
            return None  # `` `git log` variations (...)``: a plural noun, with no object
        code = subject.group("code")
        mark = Signal(CODE_SUBJECT, CODE_SUBJECT_WEIGHT, verb.group("verb"))
        return self._found(
            sentence, source, code, "", (verb.group("verb"), 0, ""), mark, *self._example(code)
        )

    def _glossary_links(self, sentence: str, source: SourceRef) -> Iterator[Found]:
        """`We can introduce a Make [variable](../reference#variable) to hold ...`: each word
        the sentence links to the lesson's glossary page is a term the author says it
        defines, wherever it stands in the sentence and whatever the verb."""
        if "#" not in sentence:
            return  # a glossary link needs its anchor: most sentences have none
        for link in _GLOSSARY_LINK.finditer(sentence):
            term = link.group("term")
            entry = link.group("anchor").replace("-", " ").lower()
            if entry not in {plain_text(term).lower(), singular(plain_text(term)).lower()}:
                # `[assigns](...#assignment)`, `[call](...#function-call)`: the word points at
                # a neighbour's entry (another form, a part of its name), not its own.
                continue
            mark = Signal(LINKS_GLOSSARY, LINKS_GLOSSARY_WEIGHT, link.group("anchor"))
            linked = self._found(sentence, source, term, "", (_GLOSSARY_LINK_VERB, 0, ""), mark)
            if linked is not None:
                yield linked

    def _code_kinds(self, sentence: str, source: SourceRef) -> Iterator[Found]:
        """``We can use the `hist` function to ...``, ``the method `.count()` gives ...``: a
        code span that the sentence calls a function or a method (one, not `functions`),
        wherever it stands (`code-kind`). A name the lesson's own code defines (`def
        rescale(...)`) is an example the lesson writes, not a tool to learn
        (`code-defined-here`)."""
        if "`" not in sentence or ("function" not in sentence and "method" not in sentence):
            return  # most sentences name no code, or not as a function
        for match in _CODE_KIND.finditer(sentence):
            code = match.group("code") or match.group("code_after")
            kind = match.group("kind") or match.group("kind_before")
            mark = Signal(CODE_KIND, CODE_KIND_WEIGHT, kind)
            found = self._found(
                sentence, source, code, "", (kind, 0, ""), mark, *self._example(code)
            )
            if found is not None:
                yield found

    def _example(self, code: str) -> list[Signal]:
        """`code-defined-here` when the code span names what the lesson's own code defines or
        binds, whether the sentence calls it a function (`code-kind`) or says what it does
        (`` `double_all` returns ...``, `` `word_counts` holds ...``: `code-subject`): the
        lesson's example, not a tool. A function is named by its last dotted part (`rescale()`);
        any other name only whole."""
        text = code.strip("`").strip().rstrip("/")
        called = _CALLABLE_NAME.match(text)
        functions, bound = self._defined_in_code
        if text in bound or text in functions:
            name = text
        elif called is not None and called.group("name") in functions:
            name = called.group("name")
        else:
            return []
        return [Signal("code-defined-here", DEFINED_HERE, name)]

    @cached_property
    def _defined_in_code(self) -> tuple[frozenset[str], frozenset[str]]:
        """The functions the lesson's code blocks define (`def rescale(`, `function f(`) and
        the other names they bind (`_CODE_BINDINGS`: variables, loop variables, the files and
        folders the code makes or runs). A name in capitals is the environment's or a
        constant's (`PATH=...`), not the example's own, and binds nothing here."""
        functions: set[str] = set()
        bound: set[str] = set()
        for token in self.lesson.tokens:
            if token.type not in ("fence", "code_block"):
                continue
            functions.update(
                match["name"] or match["bound"] or match["r_name"]
                for match in _CODE_DEFINITION.finditer(token.content)
            )
            if token.info.strip().split(" ", 1)[0].lower() in _SETTINGS_FENCES:
                continue
            for pattern in _CODE_BINDINGS:
                for match in pattern.finditer(token.content):
                    names = next(group for group in match.groups() if group)
                    bound.update(
                        name for name in re.split(r"[ \t]*,[ \t]*", names) if name != name.upper()
                    )
        return frozenset(functions), frozenset(bound)

    @staticmethod
    def _emphasised_subject(
        sentence: str, emphasised: re.Match[str]
    ) -> tuple[str, _Predicate] | None:
        """`A **Linux distribution** (distro) packages the kernel with ...`, `A **terminal** is
        your interface to ...`: a sentence that opens with an article and the emphasised term is
        about that term whatever its verb, and an aside may stand between the two (italics need
        no article: `*Overfitting* happens when ...`); (aside, predicate) or None. Bold inside
        the sentence (`launched the **GNU Project** to ...`) only stresses a word of a sentence
        about something else."""
        italics = len(emphasised.group("mark")) == 1
        if emphasised.start() != 0 or not (italics or _ARTICLE.match(sentence).group("article")):
            # `*Overfitting* happens when ...`: italics open a sentence only to mark its
            # subject; a bold lead without an article is the bold shapes' candidate.
            return None
        rest, aside = sentence[emphasised.end() :], ""
        between = _ASIDE.match(rest)
        if between:
            aside, rest = between.group().strip(" ,"), rest[between.end() :]
            opening = _PLAIN_WORD.search(aside)
            if aside.startswith("(") and (opening is None or opening.group().lower() in _OPENERS):
                return None  # `(from ex-08)` points elsewhere; `(distro)` names the term
        predicate = _predicate(rest) or _any_verb(rest, "", "")
        return (aside, predicate) if predicate is not None else None

    def _called(self, sentence: str, previous: str, source: SourceRef) -> Iterator[Found]:
        """`This is called *containerization*.`: the term closes the sentence that names it;
        a sentence about `this` takes the one before it along, which says what `this` is. A
        sentence may name two (`This is also called **X**, because ... - the so-called *Y*.`)."""
        if not any(verb in sentence for verb in _CALLED_VERBS):
            return  # the verbs `_CALLED` needs, tested first: most sentences have none
        if sentence.rstrip().endswith("?"):
            return
        back = _REFERS_BACK.match(plain_text(sentence)) if previous else None
        body = f"{previous.strip()} {sentence.strip()}" if back else sentence
        # Only the back changes: the card stays the defining sentence's, keyed and placed there.
        joins = (Signal(REFERS_BACK, 0, back.group("pointer") or "no subject"),) if back else ()
        named = [(called, False) for called in _CALLED.finditer(sentence)]
        taken = [called.span() for called, _ in named]
        named += [
            (called, True)
            for called in _CALLED_MARKED.finditer(sentence)
            if not any(start <= called.start() < end for start, end in taken)
        ]
        for called, marked in named:
            marks: tuple[Signal, ...] = ()
            if marked:
                marks = (Signal(MARKED_AS_CALLED, 0, called.group("verb").strip()),)
            groups = called.groupdict()
            term = (
                groups["emphasised"]
                or groups.get("linked")
                or groups.get("quoted")
                or groups.get("plain")
            )
            if groups["emphasised"]:
                marks += (Signal(TERM_EMPHASISED_SIGNAL, TERM_EMPHASISED),)
            elif groups["linked"] or (marked and groups["quoted"]):
                # `a package manager called [conda](https://...)`, `sections called "cells"`,
                # `is called a [docstring](../reference#docstring)`: the link or the quotes
                # mark the name the sentence gives, as bold would.
                how = "link" if groups["linked"] else "quotes"
                marks += (Signal(TERM_EMPHASISED_SIGNAL, TERM_EMPHASISED, how),)
            # `so-called` names the term last, as `called` does.
            verb = "called" if "called" in called.group("verb") else called.group("verb").lower()
            found = self._found(body, source, term, "", (verb, 0, ""), *marks, *joins)
            if found is not None:
                yield found

    def _glossed(self, sentence: str, source: SourceRef) -> Iterator[Found]:
        """`... (**exploitation**) and exploring new states (**exploration**).`, `one network,
        the **encoder**, collapses ...`: each term the sentence names by a gloss (`_GLOSSES`);
        the card's back is the whole sentence, which holds the description."""
        if "*" not in sentence and "_" not in sentence and "[" not in sentence:
            return  # every gloss needs a marked or linked term; most sentences have none
        if sentence.startswith(("**", "__")) or sentence.rstrip().endswith("?"):
            # A sentence that opens with bold is that term's card (the bold shapes'): a term
            # glossed inside it is part of its description (`**Fairness** is about *model
            # biases*, which ...`).
            return
        named: set[str] = set()
        for how, marks, pattern in _GLOSSES:
            if not any(mark in sentence for mark in marks):
                continue
            for match in pattern.finditer(sentence):
                groups = match.groupdict()
                term = groups.get("term") or groups["linked"]
                if term in named:
                    continue
                named.add(term)
                marks = (
                    Signal(NAMED_BY_GLOSS, 0, how),
                    # A link marks the term as bold does: the detail says which.
                    Signal(
                        TERM_EMPHASISED_SIGNAL, TERM_EMPHASISED, "link" if groups["linked"] else ""
                    ),
                )
                found = self._found(sentence, source, term, "", ("named", 0, ""), *marks)
                if found is not None:
                    yield found

    def _marked_inside(
        self, sentence: str, previous: str, following: str, source: SourceRef, find: bool = True
    ) -> Iterator[Found]:
        """`To do this, transformers use a **self-attention** mechanism, which ...` under `###
        Multi-Head Self-Attention`: a term the author marks in bold inside a sentence about
        something else, where the section it stands in (or one above it) is titled by it. Bold
        there stresses a word as often as it introduces one (`is **not** a magic upgrade`);
        the heading says the lesson is about the term, and this, its first marked mention, is
        where the lesson introduces it (`marked-in-sentence`, detail: the heading). The card's
        back is the sentence, with the one before it when it opens by pointing back
        (`refers-back`), and the one after it when that one does (`It refers to ...`:
        `said-after`), going on about the term the sentence has just named. Not to `find`
        them: only to record which terms are marked."""
        if "**" not in sentence and "__" not in sentence:
            return  # most sentences mark nothing in bold
        if sentence.startswith(("**", "__")) or sentence.rstrip().endswith("?"):
            return  # a bold lead is the bold shapes' candidate; a question defines nothing
        body, joins = _context(sentence, previous, following)
        for match in _MARKED_INSIDE.finditer(sentence):
            term = match.group("term")
            term_text = plain_text(_LINK_TEXT.sub(r"\1", term))
            if term_text.lower() in self._marked:
                continue  # only the first marked mention introduces the term
            self._marked.add(term_text.lower())
            heading = _titling(term_text, source.section) if find else None
            if heading is None:
                continue
            marks = (
                Signal(MARKED_IN_SENTENCE, 0, heading),
                Signal(TERM_EMPHASISED_SIGNAL, TERM_EMPHASISED),
            )
            found = self._found(body, source, term, "", ("marked", 0, ""), *marks, *joins)
            if found is not None:
                yield found

    def _found(
        self,
        sentence: str,
        source: SourceRef,
        term: str,
        aside: str,
        predicate: _Predicate,
        *evidence: Signal,
        defines: bool = False,
    ) -> Found | None:
        verb, weight, next_word = predicate
        term = _LINK_TEXT.sub(r"\1", term)  # a linked word's card shows its text, as `Helm`'s
        term_text = plain_text(term)
        words = term_text.split()
        lowered = [word.lower() for word in words]
        if lowered[0] in _OPENERS or lowered[-1] in _OPENERS:
            return None  # `This is a ...`, `Here are the ...`: no term opens the sentence
        named = "`" in term or any(NAME_SHAPE.search(word) for word in words)
        titled = all(word[:1].isupper() or word in _CONNECTORS for word in words[1:])
        named_last = verb in _CALLED_PHRASES
        # `This is known as **the law of large numbers**.`: the marks bound a name the sentence
        # gives, however long; a long subject no mark bounds is a clause's.
        bounded = named_last and any(signal.name == TERM_EMPHASISED_SIGNAL for signal in evidence)
        if not named and not titled and not bounded and len(words) > _MAX_PLAIN_TERM_WORDS:
            return None  # a long lower-case subject is a clause's, not a term's
        if not named and any(word in _OPENERS - _CONNECTORS for word in lowered[1:]):
            return None  # `Docker makes it ...`: a clause, not a noun phrase
        if (
            len(words) > 1
            and lowered[0].endswith("ing")
            and not named_last
            and not self.facts.recurs(term_text)
        ):
            # `Pushing untested code is a ...`: an action, said once; `Recording rules`, a
            # term the lesson uses again. A term the sentence names last (`... is known as the
            # learning rate`) is a noun phrase whatever its first word.
            return None
        signals = [Signal(IN_RUNNING_PROSE_SIGNAL, IN_RUNNING_PROSE, verb), *evidence]
        if len(words) > 1 and not is_name(term, term_text, self.facts):
            if titled:
                # `Amazon Web Services is ...`: words after the first keep their capitals.
                signals.append(Signal("term-is-name", TERM_IS_NAME, "title case"))
            elif self.facts.used_as_name(words[0]) and words[0].lower() not in self._lower_words:
                # `Grafana transformations allow ...`: a thing of a named tool.
                signals.append(Signal("term-is-name", TERM_IS_NAME, f"opens with {words[0]}"))
        if weight:
            signals.append(Signal("says-what-it-does", weight, verb))
        if named_last or verb.lower() in _MEANING_VERBS:
            # `Seasonality is defined as ...`, `... is called artificial intelligence`: the
            # sentence speaks of the word, what it means or names, so it defines it.
            signals.append(Signal(SAYS_WHAT_IT_MEANS, SAYS_WHAT_IT_MEANS_WEIGHT, verb))
        if next_word.lower() in _EVALUATIVE:
            signals.append(Signal("evaluative-predicate", EVALUATIVE, next_word))
        if not self.facts.recurs(term_text) and _recurs_singular(term_text, self.facts):
            # `Pods are groups ...` in a lesson that goes on about `each pod`.
            signals.append(Signal("term-recurs", TERM_RECURS, "singular"))
        if not named and _titles(" ".join(lowered), self._heading_text):
            signals.append(Signal("term-in-heading", TERM_IN_HEADING))
        term_markdown = f"{term} {aside}" if aside.startswith("(") else term
        found = Found(PROSE, source, term_markdown, term_text, sentence.strip(), False, True)
        # Any verb opens these predicates: the sentence's place says what it is about, not
        # its words.
        any_verb = {
            "names-its-section",
            EMPHASISED_SUBJECT,
            LINKS_GLOSSARY,
            CODE_SUBJECT,
            CODE_KIND,
            MARKED_IN_SENTENCE,
        }
        opens_section = not defines and any(signal.name in any_verb for signal in evidence)
        if not weight and not opens_section and not body_defines(found):
            # `X, which ..., is a ...`, `TTL stands for ...`: the predicate defines, though not
            # right after the term or with an article.
            signals.append(Signal("body-defines", BODY_DEFINES, verb))
        return replace(found, facts=tuple(signals))

    def _expansions(
        self, sentence: str, source: SourceRef, excluded: bool, previous: str, following: str
    ) -> Iterator[Found]:
        """Each acronym the sentence expands, at its first expansion in the lesson: where the
        pair opens the sentence, or a word that names it stands before it, the sentence
        introduces the term (`acronym-pair`, `_pair`); anywhere else the expansion is the
        card's back (`acronym-expansion`)."""
        if "(" not in sentence and "&" not in sentence:
            return  # no parenthesis, not even as an entity: no expansion (most sentences)
        text = plain_text(_CODE_SPAN.sub(" ", _LINK.sub(" ", sentence)))
        # A link's text titles a resource (`[Google Kubernetes Engine (GKE)](...)`): its
        # expansion is an aside, the card only when the lesson expands the acronym nowhere else.
        titles = " ; ".join(_LINK_TEXT.findall(sentence))
        for pattern, where in (
            (_EXPANSION_FIRST, text),
            (_ACRONYM_FIRST, text),
            (_EXPANSION_FIRST, titles),
            (_ACRONYM_FIRST, titles),
        ):
            in_title = where is titles
            if "(" not in where or (pattern is _EXPANSION_FIRST and not _IN_PARENS.search(where)):
                # Both need a parenthesis, and `_EXPANSION_FIRST`, slow to fail (it tries up
                # to eight words before each parenthesis), an acronym alone inside one.
                continue
            for match in pattern.finditer(where):
                written = match.group("acronym")
                if _LOWER_RUN.search(written):
                    continue
                plural = _PLURAL.match(written)
                acronym = plural.group("singular") if plural else written
                expansion = _spelled(acronym, match.group("expansion"), pattern is _EXPANSION_FIRST)
                if expansion is None or acronym in self._acronyms:
                    continue
                if in_title and _DOCUMENTS & set(expansion.lower().split()):
                    continue  # `[Vector Index Guide (VIG)](...)`: a document's name
                if not excluded and not in_title:
                    # An acronym first expanded among objectives or tasks is introduced again
                    # in the lesson's body: that place is its card.
                    self._acronyms.add(acronym)
                signals: tuple[Signal, ...] = (
                    Signal("initials-match", 0, f"{acronym}: {expansion}"),
                )
                pair = None if excluded or in_title else _pair(match, written, expansion, where)
                if pair is not None:
                    term, introduced = pair
                    body, joins = _context(sentence, previous, following)
                    facts = (*signals, Signal(INTRODUCES_PAIR, 0, introduced), *joins)
                    # Keyed by the acronym, as its `acronym-expansion` card always was: the
                    # note a learner has keeps its GUID and gains the sentence as its back.
                    found = Found(
                        ACRONYM_PAIR, source, term, acronym, body, True, True, facts=facts
                    )
                    # Its front shows the expansion, so the sentence must say more than that:
                    # what the term is (`... (ORM) is a technique`), not a claim about it
                    # (`... (GPUs) have become the backbone of ...`): else the expansion is the
                    # card, as it was.
                    if introduced == "called" or body_defines(replace(found, term_text=term)):
                        yield found
                        continue
                if in_title:
                    signals += (Signal(EXPANDED_ASIDE, 0, "link text"),)
                yield Found(ACRONYM, source, acronym, acronym, expansion, True, facts=signals)

    def _heading_names(self, term: str, heading: str) -> bool:
        """The heading is about `term`: the term is its subject, or the subject's last words
        (`Block storage` for `Block Storage for ML`, `SageMaker` for `AWS SageMaker Deep
        Dive`, `Variables` for `Dashboard Variables and Templating`, `AKS` for `Azure
        Kubernetes Service (AKS)`), or ends with it (`Azure Virtual Machines` for `Virtual
        Machines for ML`). A word the subject holds as a modifier is not what it is about
        (`Docker` for `Understanding Docker Layer Caching`); nor is a numbered step's
        (`Step 7 - Watch mode`), nor an activity (`Setting up` for `Setting Up`)."""
        phrase = singular(plain_text(term)).lower()
        return phrase in _subjects(heading)


# A heading's subjects are asked for once per word of a term that may open its section.
@lru_cache(maxsize=1024)
def _subjects(heading: str) -> frozenset[str]:
    title = _NUMBERED.sub("", plain_text(heading))
    if _STANDALONE_NUMBER.search(title):
        return frozenset()
    subjects: set[str] = set()
    aliases = _PAREN.findall(title)
    parts = _SUBJECT_BREAK.split(_PAREN.sub(" ", title)) + aliases
    for part in parts:
        part = _QUALIFIER.sub("", part).strip()
        part = _FRAME_BEFORE.sub("", part)
        part = _FRAME_AFTER.sub("", part).strip()
        words = [singular(word).lower() for word in _PLAIN_WORD.findall(part)]
        # Any run of last words is the subject (`aws sagemaker`, `sagemaker`); one that
        # opens with a gerund names an activity (`Setting Up`, `Creating Resource Groups`).
        subjects.update(
            " ".join(words[first:])
            for first in range(len(words))
            if first == len(words) - 1 or not words[first].endswith("ing")
        )
    return frozenset(subject for subject in subjects if subject)


def _titling(term: str, path: tuple[str, ...]) -> str | None:
    """The heading of `path` (a section and the ones above it) that is about `term`, as
    `_subjects` reads a heading, each of its items after a comma one subject too (`Mean,
    Variance and Standard Deviation` is about `mean`); None when none is."""
    phrase = singular(term).lower()
    for heading in reversed(path):
        if any(phrase in _subjects(part) for part in heading.split(",")):
            return heading
    return None


# `5. Dashboard Variables`: the number orders the sections.
_NUMBERED = re.compile(r"^\s*\d+(?:\.\d+)*[.)]?\s+")
_STANDALONE_NUMBER = re.compile(r"(?<![\w.-])\d+(?![\w.-])")
# `Dashboard Variables and Templating`, `RUN: Execute Commands`: two subjects, or a subject and
# a gloss.
_SUBJECT_BREAK = re.compile(r"\s+(?:and|&|vs\.?|versus)\s+|\s*[:—–]\s*|\s+-\s+", re.I)
# `Virtual Machines for ML`: the qualifier after `for`/`in`/`on`/`with` says where, not what.
_QUALIFIER = re.compile(r"\s+(?:for|in|on|with|at|from)\s.*$", re.I)
_FRAMES = alternatives(_WORDS.heading_frame_words)
# `Overview of Managed ML Platforms`, `Caching Strategies`, `AWS SageMaker Deep Dive`: words
# that frame a section's subject (`heading_frame_words`).
_FRAME_BEFORE = re.compile(rf"^(?:{_FRAMES})\s+(?:of|to)\s+", re.I)
_FRAME_AFTER = re.compile(rf"\s+(?:{_FRAMES})$", re.I)


def is_topic_title(heading: str) -> bool:
    """`Introduction to GCP`, `Caching Strategies`, `Virtual Machines for ML`, `Windows with
    WSL2`: a frame word or a qualifier makes the heading a section's title, not a term."""
    title = _PAREN.sub(" ", plain_text(heading)).strip()
    return bool(
        _QUALIFIER.search(title) or _FRAME_BEFORE.search(title) or _FRAME_AFTER.search(title)
    )


# `Alertmanager handles ...`, `Data lakes provide ...`, `Vertex AI is Google Cloud's ...`: after
# the section's subject a verb, any verb, opens the predicate.
_COPULA_ANY = re.compile(r"\s+(?:is|are)\s+(?:(?:a|an|the)\s+)?(?P<next>[\w'-]+)", re.I)
_VERB = re.compile(r"\s+(?P<verb>[a-z]{2,}?(?P<s>s)?)\b")
_NOT_PREDICATES = (
    frozenset(_WORDS.stopwords)
    | frozenset(_WORDS.sentence_openers)
    | frozenset({"not", "only", "just", "across", "like", "alone"})
)


def _any_verb(rest: str, term: str, heading: str) -> _Predicate | None:
    """The predicate right after a section's subject: `is`/`are` and a word, a verb in `-s`, or
    after a plural subject any word that is no small word (`Data lakes provide ...`). A word
    the heading holds goes on the subject (`Block storage options are ...`), it is no verb."""
    copula = _COPULA_ANY.match(rest)
    if copula is not None:
        return "is", 0, copula.group("next")
    verb = _VERB.match(rest)
    if verb is None or verb.group("verb") in _NOT_PREDICATES:
        return None
    heading_words = {singular(word).lower() for word in _PLAIN_WORD.findall(heading)}
    if singular(verb.group("verb")) in heading_words:
        return None
    plural = term.endswith("s") and not term.endswith("ss")
    if verb.group("s") or plural:
        return verb.group("verb"), 0, ""
    return None


def _recurs_singular(term: str, facts: LessonFacts) -> bool:
    """The lesson uses the plural term's singular (`pod` for `Pods`)."""
    stem = singular(term)
    return stem != term and facts.recurs(stem)


def _titles(phrase: str, headings: str) -> bool:
    """The phrase, singular or plural, is words of a heading: `pod` in `## Pods`."""
    # `process` is no plural: `## Processes` titles it with `es`.
    stem = phrase[:-1] if phrase.endswith("s") and not phrase.endswith("ss") else phrase
    return re.search(rf"\b{re.escape(stem)}(?:s|es)?\b", headings) is not None


def _names_its_section(heading: str) -> Signal:
    return Signal("names-its-section", NAMES_ITS_SECTION, heading)


def _predicate(rest: str) -> _Predicate | None:
    """(the defining verb, the weight of `says-what-it-does`, the word after it) when `rest`
    opens with a defining predicate, else None."""
    if not rest[:1].isspace():
        return None  # every predicate below opens with a space: `Docker, a tool ...` has none
    copula = _COPULA.match(rest)
    # `Histograms are the trickiest.`: a noun phrase goes on after its first word.
    if copula and _LETTER.search(rest[copula.end() :]):
        return f"is {copula.group('article').lower()}", 0, copula.group("next")
    # `Pods are groups of containers that share ...`: no article, but a relative clause says
    # which kind of thing.
    bare = _BARE_COPULA.match(rest)
    if bare:
        return "is ... " + bare.group("relative").lower(), 0, bare.group("next")
    defining = _DEFINING.match(rest)
    if defining:
        return defining.group("verb").lower(), 0, ""
    does = _DOES.match(rest)
    if does:
        return does.group("verb").lower(), SAYS_WHAT_IT_DOES, ""
    return None


def sentences(content: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence of an inline Markdown string."""
    start = 0
    for match in _SENTENCE_END.finditer(content):
        # An abbreviation ends where the sentence would, and is at most 7 characters long:
        # the 8 before the end hold it and the character its `\b` looks at, where searching
        # the whole sentence so far went over every character of it again at each full stop.
        if _ABBREVIATION.search(content[max(start, match.start() - 8) : match.start()]):
            continue
        yield start, content[start : match.start()]
        start = match.end()
    if content[start:].strip():
        yield start, content[start:]


def _context(sentence: str, previous: str, following: str) -> tuple[str, tuple[Signal, ...]]:
    """The back of a card on a sentence that names its term: with the sentence before it when
    it opens by pointing back (`refers-back`), and the one after it when that one goes on about
    what it has just named (`It refers to ...`: `said-after`)."""
    back = _REFERS_BACK.match(plain_text(sentence)) if previous else None
    body = f"{previous.strip()} {sentence.strip()}" if back else sentence
    joins = (Signal(REFERS_BACK, 0, back.group("pointer") or "no subject"),) if back else ()
    after = _SAID_AFTER.match(plain_text(following))
    if after is not None:
        body = f"{body.strip()} {following}"
        joins += (Signal(SAID_AFTER, 0, after.group("pointer")),)
    return body, joins


def _pair(match: re.Match[str], written: str, expansion: str, text: str) -> tuple[str, str] | None:
    """(`Expansion (ABBR)` or `ABBR (expansion)`, as written, and what shows it introduces the
    term) when the pair `match` found in `text` opens the sentence (after an article) and the
    sentence goes on about it, or a word that names it (`called`, `known as`) stands before
    it; None for a pair inside a sentence about something else."""
    if match.re is _EXPANSION_FIRST:
        words = list(re.finditer(r"\S+", match.group("expansion")))
        start = match.start("expansion") + words[-len(expansion.split())].start()
        term = f"{expansion} ({written})"
    else:
        start = match.start()
        term = f"{written} ({expansion})"
    before = text[:start]
    if _PAIR_CALLED.search(before):
        return term, "called"
    # `- Horizontal Pod Autoscaler (HPA)` alone names the term and says nothing of it.
    if _PAIR_OPENS.match(before) and _LETTER.search(text[match.end() :]):
        return term, "opens the sentence"
    return None


_SMALL_WORDS = frozenset({"of", "and", "for", "the", "to", "as", "in", "on", "a", "an", "with"})


def _spelled(acronym: str, candidate: str, expansion_first: bool) -> str | None:
    """The words of `candidate` whose initials spell the acronym (small words may be passed
    over), or None. Before the acronym, the expansion is the shortest run of words ending
    right before it; after it, the whole parenthesis."""
    letters = [letter.lower() for letter in acronym if letter.isupper() or letter.isdigit()]
    words = candidate.split()
    if expansion_first:
        for first in range(len(words) - 1, -1, -1):
            if _initials_spell(letters, words[first:]):
                if words[first].lower() in _SMALL_WORDS:
                    continue
                return " ".join(words[first:])
        return None
    return candidate.strip() if _initials_spell(letters, words) else None


_WORD_PARTS = re.compile(r"[-\u2013/]")


def _initials_spell(letters: list[str], words: list[str]) -> bool:
    """Each letter is the initial of the next word or hyphenated part, or a capital inside it
    right after its initial (`JavaScript Object Notation (JSON)`, `PersistentVolumeClaims
    (PVC)`); a small word may give its initial or be skipped (`Bill of Materials (BOM)`,
    `Total Cost of Ownership (TCO)`); every other word gives at least its initial."""
    parts = tuple(part for word in words for part in _WORD_PARTS.split(word) if part)
    return len(letters) >= 2 and _spells("".join(letters), parts)


def _spells(letters: str, parts: tuple[str, ...]) -> bool:
    if not parts:
        return not letters
    part, rest = parts[0], parts[1:]
    if part.lower() in _SMALL_WORDS and _spells(letters, rest):
        return True
    capitals = (part[0] + "".join(c for c in part[1:] if c.isupper() or c.isdigit())).lower()
    return any(
        letters.startswith(capitals[:given]) and _spells(letters[given:], rest)
        for given in range(1, len(capitals) + 1)
    )


def in_summary(found: Found, section: Section | None, excluded: str) -> Found | None:
    """A summary's bullet that defines a term (`**Models** are Python classes ...`, a prose
    sentence), with `in-summary`; None for anything else in a section without definitions.
    `once_per_term` keeps it only for a term the lesson defines nowhere else."""
    if not summarises(section, excluded):
        return None
    # A summary's prose is mostly rhetoric (`Engineers are the unsung heroes ...`): only a term
    # the author marks (bold, italics) is defined there.
    if found.shape == PROSE:
        if not any(signal.name == TERM_EMPHASISED_SIGNAL for signal in found.facts):
            return None
    elif found.shape != _BOLD_TERM_SENTENCE or not _classifies(found):
        return None
    return replace(found, facts=(*found.facts, Signal(IN_SUMMARY, 0)))


def summarises(section: Section | None, excluded: str) -> bool:
    """The section, which holds no definitions (`excluded`: its kind), is a summary, where
    `in_summary` may still keep any prose or bold sentence that defines a term."""
    return excluded == "instruction section" and within(section, _WORDS.summary_headings)


# Sections whose acronyms a teacher still keeps when the lesson expands them nowhere else.
ACRONYM_SECTIONS = frozenset({"instruction section", "skipped section"})


def expanded_aside(found: Found, excluded: str) -> Found | None:
    """An acronym expanded among objectives, tasks or resources (`Implement Automatic Mixed
    Precision (AMP)`) or in a link's title, with `expanded-aside`: `once_per_term` keeps it
    only when the lesson expands or defines the acronym nowhere else (GUIDE.md: an acronym's
    first expansion outside code and headings). None for anything else."""
    if found.shape != ACRONYM or excluded not in ACRONYM_SECTIONS:
        return None
    if any(signal.name == EXPANDED_ASIDE for signal in found.facts):
        return found  # already an aside: a link's title
    return replace(found, facts=(*found.facts, Signal(EXPANDED_ASIDE, 0, excluded)))


def _classifies(found: Found) -> bool:
    """`**Models** are Python classes that represent tables`, `**X** is a tool for ...`: the
    predicate names a kind of thing (a relative clause, or an article and no judging word);
    `**Containers** are lightweight and fast`, `**Cost** is critical` only judge."""
    text = plain_text(found.body)
    words = [word.lower() for word in _PLAIN_WORD.findall(text[len(found.term_text) :])]
    if any(word in _RELATIVIZERS for word in words[1:_CLAUSE_REACH]):
        return True
    return body_defines(found) and len(words) > 2 and words[2] not in _EVALUATIVE


def once_per_term(candidates: Iterable[Candidate]) -> Iterator[Candidate]:
    """Drop a prose or acronym candidate whose term another kept definition already has: a
    bold lead, a heading or a glossary entry first, then a prose sentence, then a link to the
    glossary page, then an acronym's expansion; among equals the first in the lesson."""
    listed = list(candidates)
    best: dict[str, tuple[int, int, int]] = {}  # key -> (rank, line, position)
    for position, candidate in enumerate(listed):
        if candidate.kept:
            rank = _rank(candidate)
            for key in _aliases(candidate):
                mark = (rank, candidate.source.line, position)
                if key not in best or mark < best[key]:
                    best[key] = mark
    for position, candidate in enumerate(listed):
        if not candidate.kept or _rank(candidate) == 0:
            yield candidate
            continue
        winners = [best[key] for key in _aliases(candidate)]
        winner = min(winners)
        if winner[2] == position:
            yield candidate
            continue
        signal = Signal("defined-elsewhere", VETO, f"line {winner[1]}")
        yield drop(
            candidate.kind,
            candidate.source,
            candidate.text,
            candidate.shape,
            f"defined at line {winner[1]}",
            *candidate.signals,
            signal,
        )


def _rank(candidate: Candidate) -> int:
    # A name listed under `**Examples:**` (`field-lists-names`) was dropped before that signal
    # existed: yielding to the term's other definitions keeps their identity.
    last = (IN_SUMMARY, EXPANDED_ASIDE, FIELD_LISTS_NAMES)
    if any(signal.name in (IN_CALLOUT, MARKED_IN_SENTENCE) for signal in candidate.signals):
        # A callout restates a term the lesson's text may define too: the text wins. Bold
        # inside a sentence is found only under a heading about the term: the heading's own
        # description (`paragraph-marks-term`), or any other definition, keeps its card.
        return 5
    if any(signal.name in last for signal in candidate.signals):
        return 4
    if any(
        signal.name == IN_RUNNING_PROSE_SIGNAL and signal.detail == _GLOSSARY_LINK_VERB
        for signal in candidate.signals
    ):
        # `a Make [variable](../reference#variable) to hold ...` only points at the entry: the
        # sentence that says what a variable is, later, is the card (one that defines the
        # term it links, `A [widget](...) is a ...`, is that sentence).
        return 2
    names = {signal.name: signal.detail for signal in candidate.signals}
    if NAMED_BY_GLOSS in names and names.get(TERM_EMPHASISED_SIGNAL) == "link":
        # `An excellent library for plots is [ggplot2](...).` names the linked thing in
        # passing: a sentence that says what it is (`ggplot2 is a system for ...`) is the card.
        return 2
    ranks = {
        PROSE: 1,
        ACRONYM_PAIR: 1,
        ACRONYM: 3,
        HEADING_DESCRIPTION: 4,
        HEADING_GLOSS: 4,
        COMMAND_ASIDE: 4,
        GLOSSED_NAME: 4,
    }
    return ranks.get(candidate.shape, 0)


_PAREN = re.compile(r"\(([^()]*)\)")
_CLOSING_PAREN = re.compile(r"\(([^()]*)\)\s*$")


def _aliases(candidate: Candidate) -> set[str]:
    """The keys a definition goes by: its term, with and without an aside in parentheses, the
    aside that closes it (`Full Name (FN)`; one inside the term, `LEFT (OUTER) JOIN`, only
    qualifies it, and `RIGHT (OUTER) JOIN` is another term), and an acronym's expansion."""
    item = candidate.item
    if not isinstance(item, Definition):
        return {normalize_key(candidate.text)}
    keys = {normalize_key(item.term_text), normalize_key(_PAREN.sub("", item.term_text))}
    closing = _CLOSING_PAREN.search(plain_text(item.term))
    if closing:
        keys.add(normalize_key(closing.group(1)))
    if candidate.shape == ACRONYM:
        keys.add(normalize_key(item.body))
    if candidate.shape == ACRONYM_PAIR:
        keys.add(normalize_key(_PAREN.sub("", plain_text(item.term))))  # its expansion, or name
    keys.discard("")
    return keys


SAID_IN_SECTION = "said-in-section"
# `Common Table Expressions (CTEs)`: a heading's name, and the name in its parentheses.
_HEADING_NAMES = re.compile(r"^(?P<name>[^()]+?)(?:\s*\((?P<aside>[^()]+)\))?$")


def said_in_section(lesson: Lesson, candidates: Iterable[Candidate]) -> Iterator[Candidate]:
    """An acronym's card whose back is only its expansion (`CTE`: `Common Table Expressions`)
    also says what the acronym is when a section of the lesson is titled by it, and nothing
    else (`## Common Table Expressions (CTEs)`, `### 4. CTE`), and opens with a sentence of
    prose: its first sentence follows the expansion on the back, with `said-in-section`
    (detail: the heading's line). Not when that paragraph is a card of its own. Only the back
    changes: the key, and so the note's identity, stays the acronym."""
    listed = list(candidates)
    carded = {candidate.source.line for candidate in listed if candidate.kept}
    for candidate in listed:
        item = candidate.item
        if candidate.shape == ACRONYM and isinstance(item, Definition):
            said = _section_sentence(lesson, item, carded)
            if said is not None:
                line, sentence = said
                body = f"{item.body}. {sentence}"
                signal = Signal(SAID_IN_SECTION, 0, f"line {line}")
                candidate = replace(
                    candidate,
                    item=replace(item, body=body),
                    signals=(*candidate.signals, signal),
                )
        yield candidate


def _section_sentence(lesson: Lesson, item: Definition, carded: set[int]) -> tuple[int, str] | None:
    """(heading line, first sentence) of the first section titled only by the acronym or its
    expansion, when the section opens with a paragraph of prose that is no card of its own."""
    names = {normalize_key(name) for name in (item.term_text, item.body)}
    tokens = lesson.tokens
    for section in lesson.sections:
        title = _NUMBERED.sub("", plain_text(section.title)).strip()
        match = _HEADING_NAMES.match(title)
        if match is None:
            continue
        parts = [match.group("name"), match.group("aside") or match.group("name")]
        if not all(
            normalize_key(singular(part)) in names or normalize_key(part) in names for part in parts
        ):
            continue
        first = section.start_token + 3  # heading_open, inline, heading_close
        if first + 1 >= len(tokens) or tokens[first].type != "paragraph_open":
            return None
        line = (tokens[first].map or [0])[0] + 1
        sentence = next(sentences(tokens[first + 1].content), (0, ""))[1].strip()
        # A colon or a question opens what follows (a list, code), which the back cannot show;
        # a sentence about something else (`Let's start with an example.`) says nothing of it.
        opening = _ARTICLE.sub("", plain_text(sentence), count=1)
        written = (item.term_text, f"{item.term_text}s", item.body)
        if line in carded or not sentence or sentence[-1] in ":?":
            return None
        if not any(re.match(rf"{re.escape(name)}\b", opening, re.I) for name in written):
            return None
        return section.line, sentence
    return None
