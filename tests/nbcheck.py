"""Checks that a committed notebook really was executed, so that nbval has something to compare."""

from __future__ import annotations


def notebook_problems(nb: dict) -> list[str]:
    """Reasons a notebook (parsed JSON) is not a complete top-to-bottom run; empty if it is.

    nbval compares nothing for a cell without stored outputs, so an unexecuted notebook would
    pass it silently. Fails on: a code cell with no execution count, execution counts that are
    not 1, 2, 3, ... in order (run out of order, or in a kernel that had run other cells first),
    an error output, and stderr output (TensorFlow logs there; nbval would compare it).
    """
    problems = []
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code" and "".join(c.get("source", "")).strip()]
    if not code:
        problems.append("has no code cells: a chapter must measure what it claims")
    counts = [c.get("execution_count") for c in code]
    unrun = [i for i, n in enumerate(counts) if n is None]
    if unrun:
        problems.append(f"code cells {unrun} have no stored execution")
    elif counts != list(range(1, len(code) + 1)):
        problems.append(f"execution counts {counts} are not 1..{len(code)}: not run top to bottom in a fresh kernel")
    for i, cell in enumerate(code):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"code cell {i} stores an error output ({out.get('ename')})")
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", ""))[:80]
                problems.append(f"code cell {i} wrote to stderr ({text!r}); silence or fix it")
    return problems
