"""Glob patterns matched in linear time (include, exclude, per-file-ignores).

A glob is ``*`` (any characters but ``/``), ``?`` (one character but ``/``),
``**`` (any characters), ``**/`` (nothing, or any characters ending in ``/``)
and literal characters. Patterns come from a repository's configuration, so
they are untrusted: translated to a backtracking regular expression, twenty
stars took 29 s on a 33-character name. Here the pattern is simulated as a
set of positions advanced together over the text (Thompson's construction):
time at most ``len(text) × len(pattern)``, whatever the pattern.
"""

from __future__ import annotations

from functools import lru_cache

from msgspec import Struct

_LITERAL, _ONE, _STAR, _ANY, _DIRS = range(5)  # c, ?, *, **, **/


class Glob(Struct, frozen=True):
    kinds: tuple[int, ...]
    chars: tuple[str, ...]  # the literal character of each _LITERAL step ("" otherwise)

    def _close(self, states: set[int]) -> set[int]:
        """Add the positions reachable without reading: past a star that matches nothing
        (a **/ may match nothing only where it starts; ~index is a position inside it)."""
        stack = list(states)
        while stack:
            state = stack.pop()
            if 0 <= state < len(self.kinds) and self.kinds[state] in (_STAR, _ANY, _DIRS):
                following = state + 1
                if following not in states:
                    states.add(following)
                    stack.append(following)
        return states

    def match(self, text: str) -> bool:
        """Whether the whole of `text` matches."""
        end = len(self.kinds)
        states = self._close({0})
        for char in text:
            moved: set[int] = set()
            for state in states:
                if state == end:
                    continue
                if state < 0:  # inside a **/ (~index): it ends only at a "/"
                    moved.add(state)
                    if char == "/":
                        moved.add(~state + 1)
                    continue
                kind = self.kinds[state]
                if kind == _LITERAL:
                    if char == self.chars[state]:
                        moved.add(state + 1)
                elif kind == _ONE:
                    if char != "/":
                        moved.add(state + 1)
                elif kind == _STAR:
                    if char != "/":
                        moved.add(state)
                elif kind == _ANY:
                    moved.add(state)
                else:  # **/ entered: go inside it, or a "/" ends it at once
                    moved.add(~state)
                    if char == "/":
                        moved.add(state + 1)
            if not moved:
                return False
            states = self._close(moved)
        return end in states


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> Glob:
    kinds: list[int] = []
    chars: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            step, index = (_DIRS, ""), index + 3
        elif pattern.startswith("**", index):
            step, index = (_ANY, ""), index + 2
        elif pattern[index] == "*":
            step, index = (_STAR, ""), index + 1
        elif pattern[index] == "?":
            step, index = (_ONE, ""), index + 1
        else:
            step, index = (_LITERAL, pattern[index]), index + 1
        if step[0] in (_STAR, _ANY) and kinds and kinds[-1] == step[0]:
            continue  # "**" after "**", "*" after "*": the same language, fewer states
        kinds.append(step[0])
        chars.append(step[1])
    return Glob(tuple(kinds), tuple(chars))
