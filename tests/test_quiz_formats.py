"""Quizzes as other courses write them in Markdown, through `deckgen list`'s API: the card's
stem, the options shown on it, and the author's answer. Each case is a made-up quiz of a common
shape (course repos, MOOC exports, study guides, certification prep); docs/extraction.md
(Questions) describes the shapes."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from deckgen.api import explain, items
from deckgen.identity import KeyedItem
from deckgen.items import SelfCheckQuestion
from deckgen.render import render_item


@dataclass(frozen=True)
class Quiz:
    """A quiz, and what its first question's card must say."""

    markdown: str
    stem: str  # the question's text (its key)
    options: tuple[str, ...]  # the `- X) text` lines under the stem, on the card
    answer: str  # a part of the card's answer
    questions: int = 2  # how many question cards the quiz makes
    last: tuple[str, str] | None = None  # the last card's stem and a part of its answer


# Two spaces ending a line (a hard line break), which the source cannot keep.
HARD_BREAK = "<2sp>"


def _cards(tmp_path: Path, markdown: str) -> list[SelfCheckQuestion]:
    lesson = tmp_path / "quiz.md"
    text = textwrap.dedent(markdown).lstrip("\n").replace(HARD_BREAK, "  ")
    lesson.write_text(text, encoding="utf-8")
    report = items([lesson], kinds=("question",))
    assert report.error is None
    return [entry.item for part in report.lessons for entry in part.items]  # type: ignore[union-attr]


def _options_on(card: SelfCheckQuestion) -> tuple[str, ...]:
    return tuple(line[2:] for line in card.question.split("\n") if line.startswith("- "))


CASES: dict[str, Quiz] = {
    "bold-question-n-colon-and-letter-options": Quiz(
        """
        # Week 2 Quiz: Name Resolution

        **Question 1:** Which record maps a host name to an IPv4 address?

        A) MX
        B) A
        C) CNAME

        **Answer:** B

        **Question 2:** Which record names a domain's mail server?

        A) MX
        B) TXT
        C) NS

        **Answer:** A
        """,
        "Which record maps a host name to an IPv4 address?",
        ("A) MX", "B) A", "C) CNAME"),
        "B) A",
    ),
    "q-label-with-dot-lowercase-options-answer-with-reason": Quiz(
        """
        # Storage Basics: Practice Quiz

        ## Part 1: Multiple Choice

        **Q1.** Which storage type keeps data after a container is removed?

        a) The container's writable layer
        b) A named volume
        c) A tmpfs mount

        Answer: B - a volume lives outside the container's lifecycle.

        **Q2.** Which flag mounts a volume when a container starts?

        a) `-p`
        b) `-e`
        c) `-v`

        Answer: C - `-v` takes a volume name and a path.
        """,
        "Which storage type keeps data after a container is removed?",
        ("A) The container's writable layer", "B) A named volume", "C) A tmpfs mount"),
        "B) A named volume",
    ),
    "question-heading-stem-below-dotted-options-quoted-answer": Quiz(
        """
        # Chapter 5 Review

        ### Question 1

        Which HTTP method is meant to be idempotent?

        A. POST
        B. PUT
        C. PATCH

        > **Answer:** B - repeating a PUT leaves the resource as one PUT does.

        ### Question 2

        Which status code means the resource was created?

        A. 200
        B. 201
        C. 204

        > **Answer:** B
        """,
        "Which HTTP method is meant to be idempotent?",
        ("A) POST", "B) PUT", "C) PATCH"),
        "B) PUT\n\nrepeating a PUT",
    ),
    "question-heading-with-text-parenthesised-options-details": Quiz(
        """
        # Sorting Algorithms Quiz

        ### Question 1: Which sort is stable in its usual form?

        (a) Quicksort
        (b) Merge sort
        (c) Heapsort

        <details>
        <summary>Answer</summary>

        **b** — it keeps equal keys in their input order.

        </details>

        ### Question 2: Which sort needs no extra memory beyond a few variables?

        (a) Heapsort
        (b) Merge sort
        (c) Counting sort

        <details>
        <summary>Answer</summary>

        (a) Heapsort sorts in place.

        </details>
        """,
        "Which sort is stable in its usual form?",
        ("A) Quicksort", "B) Merge sort", "C) Heapsort"),
        "B) Merge sort\n\nit keeps equal keys",
    ),
    "numbered-heading-dash-options-show-answer": Quiz(
        """
        # Caching Quiz

        ### 1. Which eviction policy drops the entry unused for the longest time?

        - A) FIFO
        - B) LRU
        - C) Random

        <details><summary>Show answer</summary>

        **B) LRU**

        </details>

        ### 2. What does a cache's TTL bound?

        - A) How long an entry may be served
        - B) How many entries fit
        - C) How many clients connect

        <details><summary>Show answer</summary>

        **A)** How long an entry may be served.

        </details>
        """,
        "Which eviction policy drops the entry unused for the longest time?",
        ("A) FIFO", "B) LRU", "C) Random"),
        "LRU",
    ),
    "q-heading-with-paren-and-checkbox-options-ticked": Quiz(
        """
        # Shell Scripting Self-Test

        #### Q1) Which variable holds the exit status of the last command?

        - [ ] A) `$#`
        - [x] B) `$?`
        - [ ] C) `$$`

        #### Q2) Which line makes a script run with bash?

        - [x] A) `#!/bin/bash`
        - [ ] B) `#include bash`
        - [ ] C) `use bash;`

        #### Q3) What does `$0` hold in a script?

        Answer: the name the script was run by.
        """,
        "Which variable holds the exit status of the last command?",
        ("A) `$#`", "B) `$?`", "C) `$$`"),
        "B) `$?`",
        questions=3,
        last=("What does $0 hold in a script?", "the name the script was run by"),
    ),
    "numbered-bold-items-nested-dotted-options-correct-answer": Quiz(
        """
        # Unit 3 Assessment

        1. **Which layer of the OSI model routes packets between networks?**
           - a. Data link
           - b. Network
           - c. Transport

           **Correct Answer:** b) Network

        2. **Which protocol gives reliable, ordered delivery?**
           - a. UDP
           - b. IP
           - c. TCP

           **Correct Answer:** c) TCP
        """,
        "Which layer of the OSI model routes packets between networks?",
        ("A) Data link", "B) Network", "C) Transport"),
        "Network",
    ),
    "bold-numbered-stem-hard-wrapped-options": Quiz(
        """
        # Python Basics Quiz

        **1. Which type is immutable?**

        A) list<2sp>
        B) dict<2sp>
        C) tuple<2sp>
        D) set

        **Correct answer**: C

        **2. Which keyword defines a function?**

        A) func<2sp>
        B) def<2sp>
        C) lambda

        **Correct answer**: B
        """,
        "Which type is immutable?",
        ("A) list", "B) dict", "C) tuple", "D) set"),
        "C) tuple",
    ),
    "plain-numbered-questions-and-key-list": Quiz(
        """
        # Kubernetes Objects Quiz

        1. Which object keeps a set number of pod replicas running?
        2. Which object gives pods a stable network name?
        3. Which object holds non-secret configuration?

        ## Answer Key

        1. ReplicaSet
        2. Service
        3. ConfigMap
        """,
        "Which object keeps a set number of pod replicas running?",
        (),
        "ReplicaSet",
        questions=3,
    ),
    "stems-with-points-and-difficulty-markers": Quiz(
        """
        # Midterm Practice

        **Question 1 (2 points):** Which command shows a file's permissions?

        A) `ls -l`
        B) `cat`
        C) `pwd`

        **Answer:** A

        **Question 2 [Easy]:** Which command changes a file's owner?

        A) `chmod`
        B) `chown`
        C) `chgrp`

        **Answer:** B
        """,
        "Which command shows a file's permissions?",
        ("A) `ls -l`", "B) `cat`", "C) `pwd`"),
        "A) `ls -l`",
    ),
    "difficulty-marker-before-the-stem": Quiz(
        """
        # Regular Expressions Drill

        ### Question 1
        [Easy] Which character matches any single character?

        A) `*`
        B) `.`
        C) `?`

        **Answer:** B. It matches any character but a newline.

        ### Question 2
        [Medium] Which quantifier matches one or more of the item before it?

        A) `+`
        B) `*`
        C) `?`

        **Answer:** A
        """,
        "Which character matches any single character?",
        ("A) `*`", "B) `.`", "C) `?`"),
        "B) `.`\n\nIt matches any character",
    ),
    "unlettered-nested-options-and-answer-text": Quiz(
        """
        # Git Quick Quiz

        1. Which command records staged changes?
           - git add
           - git commit
           - git push

           **Answer:** git commit

        2. Which command uploads commits to a remote?
           - git fetch
           - git push
           - git pull

           **Answer:** git push
        """,
        "Which command records staged changes?",
        ("git add", "git commit", "git push"),
        "git commit",
    ),
    "answer-with-explanation-after-it": Quiz(
        """
        # Load Balancing Quiz

        **Question 1:** Which algorithm sends each request to the server with fewest connections?

        A) Round robin
        B) Least connections
        C) IP hash

        **Answer:** B

        **Explanation:** It tracks open connections per server and picks the smallest count.

        **Question 2:** Which algorithm keeps a client on the same server?

        A) IP hash
        B) Round robin
        C) Random

        **Answer:** A

        **Explanation:** Hashing the client address always picks the same server.
        """,
        "Which algorithm sends each request to the server with fewest connections?",
        ("A) Round robin", "B) Least connections", "C) IP hash"),
        "picks the smallest count",
    ),
    "key-section-numbered-letters": Quiz(
        """
        # Encryption Quiz

        1. Which key encrypts a message for a recipient in public-key encryption?
           A) The sender's private key
           B) The recipient's public key
           C) A shared session key
        2. Which algorithm is a hash function?
           A) AES
           B) RSA
           C) SHA-256

        ## Answers

        1. B
        2. C
        """,
        "Which key encrypts a message for a recipient in public-key encryption?",
        ("A) The sender's private key", "B) The recipient's public key", "C) A shared session key"),
        "B) The recipient's public key",
    ),
    "key-line-number-dash-letter": Quiz(
        """
        # Logging Quiz

        **1.** Which level records a recoverable problem?

        a) DEBUG
        b) WARNING
        c) INFO

        **2.** Which level is the most verbose?

        a) DEBUG
        b) ERROR
        c) CRITICAL

        ---

        Answers: 1-b, 2-a
        """,
        "Which level records a recoverable problem?",
        ("A) DEBUG", "B) WARNING", "C) INFO"),
        "B) WARNING",
    ),
    "key-q-colon-letter-items": Quiz(
        """
        # Time Series Quiz

        Q1. Which aggregation smooths short spikes?
        A) Moving average
        B) Maximum
        C) Count

        Q2. Which store is built for time-stamped metrics?
        A) A graph database
        B) A time series database
        C) A document store

        ## Answer Key

        - Q1: A
        - Q2: B
        """,
        "Which aggregation smooths short spikes?",
        ("A) Moving average", "B) Maximum", "C) Count"),
        "A) Moving average",
    ),
    "key-table": Quiz(
        """
        # Virtualization Quiz

        **Question 1.** Which hypervisor type runs directly on the hardware?

        A) Type 1
        B) Type 2

        **Question 2.** Which isolates processes sharing one kernel?

        A) A virtual machine
        B) A container

        ## Answer Key

        | Question | Answer |
        |----------|--------|
        | 1 | A |
        | 2 | B |
        """,
        "Which hypervisor type runs directly on the hardware?",
        ("A) Type 1", "B) Type 2"),
        "A) Type 1",
    ),
    "key-section-of-question-headings-with-bold-answers": Quiz(
        """
        # Message Queues Quiz

        ### Question 1
        Which delivery guarantee may deliver a message twice?

        A) At most once
        B) At least once
        C) Exactly once

        ### Question 2
        Which pattern sends one message to every subscriber?

        A) Point to point
        B) Publish/subscribe

        ## Answer Key

        ### Question 1
        **Answer: B** - a retry after a lost acknowledgement delivers it again.

        ### Question 2
        **Answer: B**
        """,
        "Which delivery guarantee may deliver a message twice?",
        ("A) At most once", "B) At least once", "C) Exactly once"),
        "B) At least once\n\na retry",
    ),
    "true-false-questions": Quiz(
        """
        # Networking True or False

        **1.** A MAC address identifies a network interface. (True/False)

        **Answer:** True

        **2.** UDP retransmits lost datagrams. (True/False)

        **Answer:** False. UDP leaves recovery to the application.
        """,
        "A MAC address identifies a network interface. (True/False)",
        (),
        "True",
    ),
    "true-false-label-before-statement": Quiz(
        """
        # Security Fundamentals Quiz

        ### Question 1
        True or False: Hashing a password with a salt defeats precomputed tables.

        Answer: True

        ### Question 2
        True or False: HTTPS hides which domain a client connects to.

        Answer: False
        """,
        "True or False: Hashing a password with a salt defeats precomputed tables.",
        (),
        "True",
    ),
    "short-answer-with-model-answer": Quiz(
        """
        # Distributed Systems Short Answer

        **Question 1:** Why does a quorum need a majority of replicas?

        **Model Answer:** Two majorities always share a replica: no two quorums decide apart.

        **Question 2:** What does a heartbeat let a cluster detect?

        **Model Answer:** That a node stopped responding, so its work can move elsewhere.
        """,
        "Why does a quorum need a majority of replicas?",
        (),
        "Two majorities always share a replica",
    ),
    "numbered-paragraph-questions-under-the-title": Quiz(
        """
        # Chapter 2 Quiz

        1. What does DNS translate?

           Answer: Host names into IP addresses.

        2. Which port does SSH listen on by default?

           Answer: 22
        """,
        "What does DNS translate?",
        (),
        "Host names into IP addresses",
    ),
    "answer-key-hidden-in-details": Quiz(
        """
        # File Permissions Quiz

        **Q1.** Which command changes a file's mode bits?

        A) chown
        B) chmod

        **Q2.** Which bit lets a user enter a directory?

        A) Read
        B) Execute

        <details>
        <summary>Answer Key</summary>

        1. B
        2. B

        </details>
        """,
        "Which command changes a file's mode bits?",
        ("A) chown", "B) chmod"),
        "B) chmod",
        last=("Which bit lets a user enter a directory?", "B) Execute"),
    ),
    "bold-option-letters-and-bold-or-parenthesised-answer": Quiz(
        """
        # Service Models Quiz

        **Question 1:** Which model rents whole virtual machines?

        **A.** SaaS
        **B.** IaaS
        **C.** PaaS

        Correct answer: **B**

        **Question 2:** Which model hands you a finished application?

        **A.** SaaS
        **B.** IaaS

        **Answer:** (A)
        """,
        "Which model rents whole virtual machines?",
        ("A) SaaS", "B) IaaS", "C) PaaS"),
        "B) IaaS",
        last=("Which model hands you a finished application?", "A) SaaS"),
    ),
    "unnumbered-stem-over-options-plain-answer": Quiz(
        """
        # DNS Practice

        Which port does DNS use by default?
        A) 53
        B) 25
        C) 110

        Answer: A

        Which record points one name at another name?
        A) CNAME
        B) AAAA

        Answer: A
        """,
        "Which port does DNS use by default?",
        ("A) 53", "B) 25", "C) 110"),
        "A) 53",
        last=("Which record points one name at another name?", "A) CNAME"),
    ),
    "check-mark-after-the-right-option": Quiz(
        """
        # Process Signals Quiz

        **Q1.** Which signal asks a process to stop politely?

        - A) SIGKILL
        - B) SIGTERM ✅
        - C) SIGSTOP

        **Q2.** Which signal cannot be caught?

        - A) SIGKILL ✔️
        - B) SIGHUP
        """,
        "Which signal asks a process to stop politely?",
        ("A) SIGKILL", "B) SIGTERM", "C) SIGSTOP"),
        "B) SIGTERM",
        last=("Which signal cannot be caught?", "A) SIGKILL"),
    ),
    "details-answer-opening-with-an-answer-label": Quiz(
        """
        # Practice Exam: Object Storage

        **1.** A team keeps backups for seven years at the lowest cost. Which class fits?

        - A. Standard
        - B. Archive
        - C. Nearline

        <details>
        <summary>Answer</summary>

        **Correct answer: B**

        Archive costs least for data read less than once a year.
        </details>

        **2.** Which feature restores an object after it is overwritten?

        - A. Object versioning
        - B. Lifecycle rules

        <details>
        <summary>Reveal</summary>

        Answer: A. Versioning keeps earlier generations.
        </details>
        """,
        "A team keeps backups for seven years at the lowest cost. Which class fits?",
        ("A) Standard", "B) Archive", "C) Nearline"),
        "B) Archive\n\nArchive costs least",
        last=("Which feature restores an object after it is overwritten?", "A) Object versioning"),
    ),
    "correct-and-ans-lines-naming-options": Quiz(
        """
        # Networking Quiz

        **1. Which port does SSH listen on by default?**

        A) 21
        B) 22
        C) 80

        Correct: B

        **2. Which protocol resolves names to addresses?**

        A) DNS
        B) ARP
        C) NTP

        Ans: A

        **Correct usage:** quote every variable you expand.
        """,
        stem="Which port does SSH listen on by default?",
        options=("A) 21", "B) 22", "C) 80"),
        answer="B) 22",
        last=("Which protocol resolves names to addresses?", "A) DNS"),
    ),
    "correct-option-label-in-bold": Quiz(
        """
        # Storage Review Quiz

        **Q1.** Which storage keeps data after its instance is deleted?

        A) Instance store
        B) Persistent volume

        **Correct option:** B

        **Q2.** Which storage is fastest for scratch data?

        A) Local NVMe disk
        B) Network file share

        **Solution:** A - it sits on the host.
        """,
        stem="Which storage keeps data after its instance is deleted?",
        options=("A) Instance store", "B) Persistent volume"),
        answer="B) Persistent volume",
        last=("Which storage is fastest for scratch data?", "A) Local NVMe disk"),
    ),
    "numbered-options-answered-by-number": Quiz(
        """
        # Shell Basics Quiz

        **1. Which command lists a folder's files?**

        1) cd
        2) ls
        3) pwd

        **Answer:** 2

        **2. Which command prints the working directory?**

        1) pwd
        2) cat
        3) mv

        **Answer:** 1
        """,
        stem="Which command lists a folder's files?",
        options=("cd", "ls", "pwd"),
        answer="2) ls",
        last=("Which command prints the working directory?", "1) pwd"),
    ),
    "plain-question-n-line-above-its-stem": Quiz(
        """
        # Storage Quiz

        Question 1
        Which service stores objects behind an HTTP API?

        A) Block volume
        B) Object storage

        Q2
        Which disk survives its instance's deletion?

        A) Ephemeral disk
        B) Persistent volume

        ## Answers

        1. B
        2. B
        """,
        stem="Which service stores objects behind an HTTP API?",
        options=("A) Block volume", "B) Object storage"),
        answer="B) Object storage",
        last=("Which disk survives its instance's deletion?", "B) Persistent volume"),
    ),
    "dash-and-colon-lettered-options": Quiz(
        """
        # Version Control Quiz

        Which command records staged changes?

        A - git add
        B - git commit
        C - git push

        Answer: B

        Which command downloads a remote's history?

        A: git fetch
        B: git merge
        C: git log

        Answer: A
        """,
        stem="Which command records staged changes?",
        options=("A) git add", "B) git commit", "C) git push"),
        answer="B) git commit",
        last=("Which command downloads a remote's history?", "A) git fetch"),
    ),
    "q-and-a-pairs-in-bold": Quiz(
        """
        # Caching Notes

        ## Review

        **Q:** What does a cache hit mean?

        **A:** The requested item was found in the cache.

        **Q:** What does TTL stand for?
        **A:** Time to live: how long an entry stays valid.
        """,
        stem="What does a cache hit mean?",
        options=(),
        answer="The requested item was found in the cache.",
        last=("What does TTL stand for?", "Time to live"),
    ),
    "arrow-answers-below-questions": Quiz(
        """
        # Sorting Notes

        ## Check Yourself

        Which sort is stable and runs in O(n log n) in the worst case?
        → Merge sort.

        What is the average cost of quicksort?
        => O(n log n) comparisons.
        """,
        stem="Which sort is stable and runs in O(n log n) in the worst case?",
        options=(),
        answer="Merge sort.",
        last=("What is the average cost of quicksort?", "O(n log n) comparisons."),
    ),
    "q-headings-outside-a-faq-section": Quiz(
        """
        # Kubernetes Notes

        ## Networking

        Pods get addresses from the cluster network.

        ### Q: Do pods keep their IP after a restart?

        No. A restarted pod gets a new IP; a Service gives a stable address.

        ### Q: Can a pod run several containers?

        Yes, containers in a pod share a network namespace.
        """,
        stem="Do pods keep their IP after a restart?",
        options=(),
        answer="A restarted pod gets a new IP",
        last=("Can a pod run several containers?", "share a network namespace"),
    ),
    "answer-key-table-with-no-key-heading": Quiz(
        """
        # Databases Quiz

        **1.** Which statement removes rows?

        A) DROP
        B) DELETE
        C) ALTER

        **2.** Which clause filters groups?

        A) WHERE
        B) HAVING
        C) ORDER BY

        ---

        | # | Answer |
        |---|--------|
        | 1 | B |
        | 2 | B |
        """,
        stem="Which statement removes rows?",
        options=("A) DROP", "B) DELETE", "C) ALTER"),
        answer="B) DELETE",
        last=("Which clause filters groups?", "B) HAVING"),
    ),
    "q-a-key-table-answering-in-words": Quiz(
        """
        # Networking Basics

        ## Review Questions

        1. Which layer routes packets between networks?
        2. Which protocol gives reliable, ordered delivery?

        | Q | A |
        |---|---|
        | 1 | The network layer |
        | 2 | TCP |
        """,
        stem="Which layer routes packets between networks?",
        options=(),
        answer="The network layer",
        last=("Which protocol gives reliable, ordered delivery?", "TCP"),
    ),
    "details-solution-after-a-hint": Quiz(
        """
        # Python Review

        ## Review Questions

        ### 1. Which keyword defines a function?

        <details>
        <summary>💡 Hint</summary>

        Think of what the word abbreviates.
        </details>

        <details>
        <summary>✅ Solution</summary>

        `def`
        </details>

        ### 2. Which built-in type is an immutable sequence?

        <details><summary>Solution</summary>tuple</details>
        """,
        stem="Which keyword defines a function?",
        options=(),
        answer="`def`",
        last=("Which built-in type is an immutable sequence?", "tuple"),
    ),
    "roman-numeral-options-answered-by-numeral": Quiz(
        """
        # Shell Basics Quiz

        **1. Which command prints the working directory?**

        (i) pwd
        (ii) ls
        (iii) cat

        **Answer:** (i)

        **2. Which command renames a file?**

        (i) cp
        (ii) mv
        (iii) rm

        **Answer:** (ii)
        """,
        stem="Which command prints the working directory?",
        options=("pwd", "ls", "cat"),
        answer="i) pwd",
        last=("Which command renames a file?", "ii) mv"),
    ),
    "correct-line-naming-an-option-by-its-text": Quiz(
        """
        # Version Control Quiz

        **1. Which command records staged changes?**

        A) git add
        B) git commit

        Correct: git commit

        **2. Which command uploads local commits?**

        A) git push
        B) git pull

        Correct option: git push
        """,
        stem="Which command records staged changes?",
        options=("A) git add", "B) git commit"),
        answer="B) git commit",
        last=("Which command uploads local commits?", "A) git push"),
    ),
}


def test_a_hint_is_no_answer_nor_is_the_next_questions_solution(tmp_path: Path) -> None:
    """A question with only a hint gets no answer from the solution of the question below it."""
    lesson = """
        # Python Review

        ## Review Questions

        ### 2. Which type is immutable?

        <details><summary>Hint</summary>It uses parentheses.</details>

        1. Which built-in gives a sequence's length?

        <details><summary>Solution</summary>len()</details>
        """
    for card in _cards(tmp_path, lesson):
        if card.question_text == "Which type is immutable?":
            assert card.answer is None or "len()" not in card.answer, card.answer
            assert card.answer is None or "parentheses" not in card.answer, card.answer


def test_a_key_table_is_no_comparison(tmp_path: Path) -> None:
    """A `| # | Answer |` key's rows answer the questions; none is a comparison row too."""
    lesson = tmp_path / "quiz.md"
    lesson.write_text(
        textwrap.dedent(CASES["answer-key-table-with-no-key-heading"].markdown).lstrip("\n"),
        encoding="utf-8",
    )
    kinds = [entry.item.kind for part in items([lesson]).lessons for entry in part.items]
    assert "comparison" not in kinds


def test_an_arrow_after_a_line_that_asks_nothing_is_no_answer(tmp_path: Path) -> None:
    """`Request → Response` flows in prose make no question: the line above must ask."""
    lesson = """
        # HTTP Basics

        ## Flow

        The client sends a request.
        → The server answers with a response.
        """
    assert _cards(tmp_path, lesson) == []


def test_a_single_dash_line_in_prose_is_no_option(tmp_path: Path) -> None:
    """`A - B testing ...` after a line that asks is prose: a dash option needs its run of
    `A -`, `B -`, `C -` lines."""
    lesson = """
        # Experiments

        ## Comparing Variants

        How do you know a change helped?
        A - B testing compares two variants on live traffic.
        Answer: measure both.
        """
    for card in _cards(tmp_path, lesson):
        assert "- A) B testing" not in card.question


def test_a_correct_label_naming_no_option_answers_nothing(tmp_path: Path) -> None:
    """`**Correct usage:** ...` and `Solution:` over worked text below a question name no
    option: the question gets no answer from them (it is left to the lesson's sections)."""
    quiz = """
        # Quoting Quiz

        **1. Which quotes stop the shell from expanding variables?**

        A) Double quotes
        B) Single quotes

        **Correct usage:** quote every variable you expand.
        """
    for card in _cards(tmp_path, quiz):
        assert card.answer is None or "quote every variable" not in card.answer


@pytest.mark.parametrize("name", list(CASES))
def test_quiz_format_makes_cards_with_options_and_answer(tmp_path: Path, name: str) -> None:
    quiz = CASES[name]
    cards = _cards(tmp_path, quiz.markdown)
    assert len(cards) == quiz.questions, [card.question_text for card in cards]
    first = cards[0]
    assert first.question_text == quiz.stem
    assert _options_on(first) == quiz.options
    assert first.answer is not None and quiz.answer in first.answer, first.answer
    if quiz.last is not None:
        stem, answer = quiz.last
        assert cards[-1].question_text == stem
        assert cards[-1].answer is not None and answer in cards[-1].answer


def test_details_answer_under_a_quiz_title_is_escaped_on_the_card(tmp_path: Path) -> None:
    """Raw HTML in a lesson is untrusted: the `<details>` answer of a quiz that stands under
    its title alone shows its markup as text, never as live HTML."""
    quiz = """
        # Browser Security Quiz

        **Q1.** Which header limits where scripts may load from?

        a) Content-Security-Policy
        b) Accept-Language

        <details><summary>Show answer</summary>

        a) Content-Security-Policy <script>alert(1)</script><img src=x onerror=alert(2)>

        </details>

        **Q2.** Which cookie flag hides a cookie from scripts?

        a) HttpOnly
        b) SameSite

        <details><summary>Show answer</summary>

        a) HttpOnly

        </details>
        """
    first = _cards(tmp_path, quiz)[0]
    note = render_item(KeyedItem(first, first.key), "course", "quiz", "Quiz")
    answer = note.field("Answer")
    assert "Content-Security-Policy" in answer
    assert "<script" not in answer and "<img" not in answer
    assert "&lt;script&gt;" in answer


def test_why_names_the_shape_that_found_each_quiz_question(tmp_path: Path) -> None:
    """`deckgen list --why` says which shape made each question: a numbered heading over
    options, a question the author answers below, a question under a quiz's title."""
    quiz = """
        # Chapter 4 Quiz

        ### 1. Which structure gives constant-time lookup by key?

        - A) A linked list
        - B) A hash table

        **Answer:** B

        ## Part 2: True or False

        **2.** A stack removes the most recently added item first. (True/False)

        **Answer:** True

        ## Part 3: In Your Own Words

        1. What does a queue remove first?
        """
    lesson = tmp_path / "quiz.md"
    lesson.write_text(textwrap.dedent(quiz).lstrip("\n"), encoding="utf-8")
    lines = [line.text for line in explain([lesson], kinds=("question",)).lines()]
    kept = [line for line in lines if ": question: " in line]
    assert "[choice-question; +numbered-heading (options below)" in kept[0]
    assert "[answered-question; +answer-below;" in kept[1]
    assert "[quiz-question; +title-names-quiz (Chapter 4 Quiz)" in kept[2]


def test_a_quiz_whose_format_is_not_read_is_warned_about(tmp_path: Path) -> None:
    """Questions over lettered options that no shape reads (here, inside HTML blocks) make no
    card: `deckgen list` says so at the first question, rather than leave the deck empty."""
    quiz = """
        # Web Protocols Quiz

        <div class="question">
        Which port does HTTPS use?
        A) 443
        B) 21
        </div>

        <div class="question">
        Which method removes a resource?
        A) DELETE
        B) GET
        </div>
        """
    lesson = tmp_path / "quiz.md"
    lesson.write_text(textwrap.dedent(quiz).lstrip("\n"), encoding="utf-8")
    (read,) = items([lesson], kinds=("question",)).lessons
    assert read.items == ()
    (warning,) = [str(w) for w in read.warnings]
    assert "quiz.md:4: warning: looks like a quiz (2 questions over lettered options)" in warning
    lines = [line.text for line in items([lesson]).lines()]
    assert any("looks like a quiz" in line for line in lines)
