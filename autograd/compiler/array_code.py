"""Array code: one sample's graph written as numpy statements over a whole batch.

Arrays in the generated code: a per-sample scalar is shape (batch,), a shared one a float; a
vector of k nodes (see :mod:`.grouping`) is (k, batch), or (k, 1) when shared. Shared inputs
arrive as one flat vector ``theta`` and per-sample inputs as the rows of ``XT`` (one row per
input, one column per sample). The function returns ``(values, ∂/∂theta summed over the batch
with weights seed, ∂/∂XT per sample, extras)``.

Each statement is an op record's rule, rendered with the numpy reading's function names (see
:mod:`.numpy_reading`); a layer is a matrix product and its backward pass the two products of
Nielsen's equations; where a per-sample gradient flows into a shared node, the code sums it over
the batch (a dot product where it is one). Checks: every op with a domain checks it on whole
arrays (``_refused()`` when it fails), and matrix products are checked for infinities; numpy
itself raises on overflow and invalid operations, as :class:`~.batching.BatchCompiled` runs it.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import ops
from ..core.ops import CONSTANT, Op
from ..core.value import Value
from ..readers.display import visible
from ..readers.formula import Expr, Operand, _apply, forward_formula, local_derivative_formulas
from .grouping import Vector, emission_order, find_vectors
from .naming import Namer, comment, number
from .numpy_reading import NUMPY_MATH, VECTOR_FORMS, in_domain
from .recording import SYMBOLS, Recording
from .straight_line import Refused, domain_check_name, python_source

__all__ = ["array_code", "RUNTIME"]

Array = Any


# ---- the runtime: what generated array code calls ----------------------------------------------


def _refused() -> None:
    raise Refused


def _finite(x: Array) -> None:
    if not math.isfinite(float(np.sum(x))):
        raise Refused


def _owned(x: Array, shape: tuple[int, ...]) -> Array:
    """A writable (k, batch) array holding ``x`` broadcast to ``shape``."""
    return np.array(np.broadcast_to(x, shape), dtype=float)


def _rows(x: Array, k: int) -> Array:
    """``x`` (a per-sample array or a number) repeated as k rows: (k, batch) or (k, 1)."""
    x = np.asarray(x, dtype=float)
    row = x.reshape(1, -1) if x.ndim else x.reshape(1, 1)
    return np.broadcast_to(row, (k, row.shape[1]))


def _matrix(theta: Array, start: int, shape: tuple[int, int], steps: tuple[int, int]) -> Array:
    """A (k, n) view of ``theta``: element (j, i) is theta[start + j·steps[0] + i·steps[1]]."""
    size = theta.itemsize
    return np.lib.stride_tricks.as_strided(
        theta[start:], shape, (steps[0] * size, steps[1] * size), writeable=True
    )


RUNTIME: dict[str, Any] = {
    **NUMPY_MATH.functions(),
    **{f"{name}_rows": form for name, form in VECTOR_FORMS.items()},
    "_refused": _refused,
    "_finite": _finite,
    "_owned": _owned,
    "_rows": _rows,
    "_matrix": _matrix,
    "_zeros": np.zeros,
    "_stack": np.stack,
    "_column": lambda xs: np.array(xs, dtype=float).reshape(-1, 1),
    "_add_at": np.add.at,
    "_all": np.all,
    "_any": np.any,
    "_dot": np.dot,
    "np": np,
}


# ---- reading nodes as arrays ---------------------------------------------------------------------


@dataclass
class _Read:
    """A tuple of nodes read as one array: the expression, how gradients go back, and whether
    it varies by sample. ``kind``: "same" (one node, broadcast), "constants", "vector" (elements
    of one vector, ``index`` None when aligned), "theta", "batch" (input rows, ``index`` a slice
    or index array), "stack" (scalars stacked one by one)."""

    expression: str
    kind: str
    batched: bool
    nodes: tuple[Value, ...]
    vector: Vector | None = None
    index: str | None = None
    as_rows: bool = False
    """For "same": read as k equal rows rather than broadcast."""
    unique: bool = True
    """False when ``index`` repeats an element: gradients must then be added one by one."""


@dataclass
class _Program:
    source: str
    namespace: dict[str, Any]


def _progression(indices: Sequence[int]) -> tuple[int, int] | None:
    """(start, step) if the indices go up by one positive step, else None."""
    if len(indices) == 1:
        return indices[0], 1
    step = indices[1] - indices[0]
    if step < 1 or any(b - a != step for a, b in itertools.pairwise(indices)):
        return None
    return indices[0], step


class _Emitter:
    """Writes the array code of a recording (see the module docstring)."""

    def __init__(
        self,
        recording: Recording,
        shared: list[Value],
        batched_inputs: list[Value],
        *,
        group: bool,
        batch_gradients: bool,
    ) -> None:
        self.recording = recording
        self.theta_index = {leaf: i for i, leaf in enumerate(shared)}
        self.batch_index = {leaf: i for i, leaf in enumerate(batched_inputs)}
        self.batch_gradients = batch_gradients
        self.namer = Namer(set(RUNTIME) | {"B", "XT", "d_XT", "theta2", "d_theta2"})
        self.namespace: dict[str, Any] = dict(RUNTIME)
        self.lines: list[str] = []
        self.temporaries = 0
        order = recording.order()
        self.batched: set[Value] = set()
        for node in order:
            if node in self.batch_index or any(p in self.batched for p in recording.sources(node)):
                self.batched.add(node)
        vectors = (
            find_vectors(recording, self.theta_index.__contains__, self.batched) if group else []
        )
        self.units = emission_order(recording, vectors)
        self.vectors = [u for u in self.units if isinstance(u, Vector)]
        self.member: dict[Value, tuple[Vector, int]] = {
            m: (v, j) for v in self.vectors for j, m in enumerate(v.members)
        }
        self.vector_name: dict[Vector, str] = {}
        self.vector_batched: dict[Vector, bool] = {}
        self.name: dict[Value, str] = {}
        self.scalar_inputs: set[Value] = set()
        self.reads: dict[int, list[_Read]] = {}  # a unit's operand reads, by id(unit)
        self.reduction = group  # n-ary nodes read their inputs as one array
        self.bound_reads: dict[str, str] = {}  # an array read once, by its expression
        self.weights: dict[Vector, str] = {}  # a layer's weight matrix, by name
        self.layers = 0  # layers found so far, to name them W1, Z1, W2, …
        self.users: dict[Value, Value] = {}  # each node's first user, for comments
        for node in reversed(order):
            for parent in recording.sources(node):
                self.users[parent] = node
        self.scatter: dict[Vector, str | tuple[str, bool]] = {}  # where its ∂W goes in d_theta
        # gradients
        self.grad: dict[Value, str] = {}
        self.vector_grad: dict[Vector, str] = {}
        self.pending: dict[Vector, list[tuple[str, str, bool]]] = {}
        self.batched_names: set[str] = set()

    # ---- helpers ----

    def temporary(self, expression: str, prefix: str = "_t") -> str:
        self.temporaries += 1
        name = f"{prefix}{self.temporaries}"
        self.lines.append(f"    {name} = {expression}")
        return name

    def constant(self, value: Array, prefix: str = "_k") -> str:
        self.temporaries += 1
        name = f"{prefix}{self.temporaries}"
        self.namespace[name] = value
        return name

    def scalar(self, node: Value) -> Operand:
        """``node``'s value as a scalar operand: a float for a constant, else a symbol."""
        if node in self.member:
            vector, j = self.member[node]
            name = self.vector_name[vector]
            text = f"{name}[{j}]" if self.vector_batched[vector] else f"{name}[{j}, 0]"
            return Expr.symbol(text)
        stop = self.recording.stops.get(node)
        if stop is not None and stop[0] is None:
            return self.scalar(stop[1][0])
        if node in self.theta_index or node in self.batch_index:
            self.scalar_inputs.add(node)
            if node not in self.name:
                self.name[node] = self.namer.name(node.label)
                if node in self.batch_index:
                    self.batched_names.add(self.name[node])
            return Expr.symbol(self.name[node])
        if node.is_leaf and stop is None:
            return node.data  # a constant, or a leaf that is not an input: written in
        return Expr.symbol(self.name[node])

    def is_batched(self, x: Operand) -> bool:
        return isinstance(x, Expr) and bool(self.batched_names & set(_symbols(x)))

    def read(self, nodes: tuple[Value, ...]) -> _Read:
        """The nodes as one (k, batch) or (k, 1) array."""
        first = nodes[0]
        k = len(nodes)
        batched = any(node in self.batched for node in nodes)
        if all(node is first for node in nodes):
            operand = self.scalar(first)
            text = _text(operand) if isinstance(operand, Expr) else number(operand)
            return _Read(text, "same", batched, nodes)
        if all(node.op is CONSTANT for node in nodes):
            values = np.array([node.data for node in nodes], dtype=float).reshape(k, 1)
            return _Read(self.constant(values), "constants", False, nodes)
        if all(node in self.member for node in nodes) and (
            len({id(self.member[node][0]) for node in nodes}) == 1
        ):
            vector = self.member[first][0]
            name = self.vector_name[vector]
            indices = [self.member[node][1] for node in nodes]
            if indices == list(range(len(vector.members))):
                return _Read(name, "vector", batched, nodes, vector)
            index = self._index(indices)
            return _Read(f"{name}[{index}]", "vector", batched, nodes, vector, index)
        if all(node in self.theta_index for node in nodes):
            index = self._index([self.theta_index[node] for node in nodes])
            read = _Read(f"theta2[{index}]", "theta", False, nodes, index=index)
            read.unique = len(set(nodes)) == len(nodes)
            return read
        if all(node in self.batch_index for node in nodes):
            index = self._index([self.batch_index[node] for node in nodes])
            read = _Read(f"XT[{index}]", "batch", True, nodes, index=index)
            read.unique = len(set(nodes)) == len(nodes)
            return read
        operands = [self.scalar(node) for node in nodes]
        texts = ", ".join(_text(o) if isinstance(o, Expr) else number(o) for o in operands)
        if batched:
            if not all(node in self.batched for node in nodes):
                texts = f"*np.broadcast_arrays({texts}, XT[0])[:-1]"
            return _Read(f"_stack(({texts},))", "stack", True, nodes)
        return _Read(f"_column(({texts},))", "stack", False, nodes)

    def _index(self, indices: list[int]) -> str:
        """A slice for an even progression of indices, else a constant index array."""
        run = _progression(indices)
        if run is not None:
            start, step = run
            stop = start + step * (len(indices) - 1) + 1
            return f"{start}:{stop}" if step == 1 else f"{start}:{stop}:{step}"
        return self.constant(np.array(indices, dtype=np.intp), "_i")

    def rows(self, nodes: tuple[Value, ...]) -> _Read:
        """The nodes as k rows, (k, batch) or (k, 1), even when they are one node k times (an
        n-ary op's inputs, a layer's input vector): a plain read of one node has no row axis."""
        read = self.read(nodes)
        if read.kind == "same":  # its gradient still goes back as the sum over the rows
            read.expression = f"_rows({read.expression}, {len(nodes)})"
            read.as_rows = True
        return read

    def bound(self, read: _Read) -> Operand:
        """The read as a symbol in formulas (a temporary holds anything that is not a name)."""
        if read.kind == "same" and not read.as_rows:
            return self.scalar(read.nodes[0])
        text = read.expression
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text):
            if text not in self.bound_reads:
                name = self.temporary(text, "_g")
                self.lines[-1] += f"  # {_span(read.nodes)}"
                self.bound_reads[text] = name
            text = read.expression = self.bound_reads[text]
        if read.batched:
            self.batched_names.add(text)
        return Expr.symbol(text)

    # ---- forward ----

    def forward(self) -> None:
        guards_at = self.recording.guard_positions()
        for unit in self.units:
            if isinstance(unit, Vector):
                self.forward_vector(unit)
                nodes = unit.members
            else:
                self.forward_node(unit)
                nodes = [unit]
            for node in nodes:
                for index in guards_at.get(node, ()):
                    self.guard(index)

    def forward_node(self, node: Value) -> None:
        recording = self.recording
        stop = recording.stops.get(node)
        if node.is_leaf and (stop is None or stop[0] is None):
            return
        op = stop[0] if stop is not None else node.op
        assert op is not None
        sources = recording.sources(node)
        label = node.label or ("f" if node is recording.output else "")
        name = self.name[node] = self.namer.name(label)
        if node in self.batched:
            self.batched_names.add(name)
        if self.reduction and op.arity < 0 and len(sources) > 1:
            self.forward_reduction(node, op, sources, name)
            return
        arguments = tuple(self.scalar(p) for p in sources)
        self.domain_check(op, arguments)
        formula = _text(forward_formula(op, arguments))
        self.lines.append(f"    {name} = {formula}{comment(node.label)}")

    def domain_check(self, op: Op, arguments: Sequence[Operand]) -> None:
        if op.domain is None:
            return
        check = domain_check_name(op)
        self.namespace[check] = in_domain(op)
        listed = ", ".join(_text(a) for a in arguments)
        self.lines.append(f"    if not {check}({listed}): _refused()")

    def forward_reduction(self, node: Value, op: Op, sources: tuple[Value, ...], name: str) -> None:
        """An n-ary node over arrays: Σ over the rows of its inputs' array (or the dot of two)."""
        batched = node in self.batched
        if op is ops.DOT:
            ws, xs, bias_ = ops.dot_parts(sources)
            left, right = self.rows(tuple(ws)), self.rows(tuple(xs))
            reads = [left, right]
            a, b = _text(self.bound(left)), _text(self.bound(right))
            if not left.batched and right.batched:
                total = f"{a}[:, 0] @ {b}"
            elif left.batched and not right.batched:
                total = f"{b}[:, 0] @ {a}"
            else:
                total = f"({a} * {b}).sum(0)" if batched else f"float(({a} * {b}).sum())"
            if bias_:
                bias = self.scalar(bias_[0])
                total += f" + {_text(bias) if isinstance(bias, Expr) else number(bias)}"
            text = f"    {name} = {total}"
        else:
            whole = self.rows(sources)
            reads = [whole]
            rows = _text(self.bound(whole))
            if op.name in VECTOR_FORMS:
                text = f"    {name} = {op.name}_rows({rows})"
                if not batched:
                    text += "[0]"
            else:
                row_symbols = tuple(
                    Expr.symbol(f"{rows}[{j}]" if batched else f"{rows}[{j}, 0]")
                    for j in range(len(sources))
                )
                self.domain_check(op, row_symbols)
                formula = _text(forward_formula(op, row_symbols))
                text = f"    {name} = {formula}"
        self.reads[id(node)] = reads
        self.lines.append(f"{text}  # {_listing(node, sources)}")

    def forward_vector(self, vector: Vector) -> None:
        label = _vector_label(vector)
        if vector.kind == "dot" and label == "Z":
            label = f"Z{self.layers + 1}"
        name = self.vector_name[vector] = self.namer.name(label)
        if vector.kind == "dot":
            self.forward_layer(vector, name)
            return
        reads = [self.read(operand) for operand in vector.operands]
        if all(r.kind == "same" for r in reads):
            # k copies of one computation (sin(x) twice): no operand brings the k rows, so the
            # first is read as k equal rows, or V would be one row and V[1] another sample
            reads[0] = self.rows(vector.operands[0])
        arguments = tuple(self.bound(r) for r in reads)
        batched = any(r.batched for r in reads)
        self.vector_batched[vector] = batched
        if batched:
            self.batched_names.add(name)
        self.reads[id(vector)] = reads
        self.domain_check(vector.op, arguments)
        formula = _text(forward_formula(vector.op, arguments))
        self.lines.append(
            f"    # {len(vector.members)} {vector.op.name} nodes, elementwise: "
            f"{self.about(vector.members)}"
        )
        self.lines.append(f"    {name} = {formula}")

    def forward_layer(self, vector: Vector, name: str) -> None:
        """k dot nodes sharing their input vector: one matrix product, Z = W·X (+ b)."""
        inputs = self.rows(vector.inputs)  # n rows, even when they are one node n times
        x = _text(self.bound(inputs))
        weights = self.weight_matrix(vector)
        bias = self.read(vector.biases) if vector.biases is not None else None
        batched = inputs.batched or (bias is not None and bias.batched)
        self.vector_batched[vector] = batched
        if batched:
            self.batched_names.add(name)
        self.reads[id(vector)] = [inputs] + ([bias] if bias is not None else [])
        total = f"{weights} @ {x}"
        if bias is not None:
            total += f" + {_text(self.bound(bias))}"
        self.lines.append(f"    {name} = {total}  # {self.about(vector.members)}")
        self.lines.append(f"    _finite({name})")

    def weight_matrix(self, vector: Vector) -> str:
        """The layer's weights as a (k, n) view of theta, or gathered when scattered."""
        indices = np.array(
            [[self.theta_index[w] for w in row] for row in vector.weights], dtype=np.intp
        )
        self.layers += 1
        name = self.namer.name(f"W{self.layers}")
        k, n = indices.shape
        self.lines.append(
            f"    # a layer: {k} dot nodes share their {n} inputs, so they are one matrix "
            f"product; row j of {name} holds node j's weights"
        )
        span = f"{_safe(vector.weights[0][0].label)} … {_safe(vector.weights[-1][-1].label)}"
        start = int(indices[0, 0])
        across = int(indices[0, 1] - indices[0, 0]) if n > 1 else 1
        down = int(indices[1, 0] - indices[0, 0]) if k > 1 else n * across
        expected = start + down * np.arange(k)[:, None] + across * np.arange(n)[None, :]
        unique = len(np.unique(indices)) == indices.size
        if np.array_equal(expected, indices) and across >= 1 and down >= n * across and unique:
            where = f"{start}, ({k}, {n}), ({down}, {across})"
            self.lines.append(f"    {name} = _matrix(theta, {where})  # {span}")
            self.scatter[vector] = f"_matrix(d_theta, {where})"
        else:
            index = self.constant(indices, "_i")
            self.lines.append(f"    {name} = theta[{index}]  # {span}")
            self.scatter[vector] = (index, unique)
        self.weights[vector] = name
        return name

    def about(self, members: list[Value]) -> str:
        """What a vector holds, for its comment: its members' labels, or for unlabelled dot
        nodes (or a neuron's weighted inputs, labelled ``L1.N1.z``) the labelled nodes that use
        them (a neuron's activation carries its label)."""
        if members[0].label and not members[0].label.endswith(".z"):
            return _span(members)
        users = [self.users.get(m) for m in (members[0], members[-1])]
        if all(u is not None and u.label for u in users):
            first, last = (_safe(u.label) for u in users if u is not None)
            return f"the weighted inputs of {first} … {last}"
        return "unlabelled nodes"

    def guard(self, index: int) -> None:
        guard = self.recording.guards[index]

        def text(x: Value | float) -> str:
            if isinstance(x, Value):
                operand = self.scalar(x) if (x in self.name or x in self.member) else x.data
                if x in self.theta_index or x in self.batch_index:
                    operand = self.scalar(x)
                return _text(operand) if isinstance(operand, Expr) else number(operand)
            return number(x)

        condition = f"({text(guard.left)} {SYMBOLS[guard.op]} {text(guard.right)})"
        test = f"not _all({condition})" if guard.outcome else f"_any({condition})"
        self.lines.append(f"    if {test}: _refused()")

    # ---- backward ----

    def backward(self) -> None:
        recording = self.recording
        needed = self.needed = recording.needing_gradients()
        on_path = set(recording.wrt)
        for node in recording.order():
            if any(p in on_path for p in node.parents):
                on_path.add(node)
        self.check_only = needed - on_path  # gradients computed for the check alone
        output = recording.output
        if output in needed:
            self.add_grad(output, Expr.symbol("seed"), True)
        for unit in reversed(self.units):
            if isinstance(unit, Vector):
                if any(m in needed for m in unit.members):
                    self.backward_vector(unit)
            elif unit in self.grad and not unit.is_leaf:
                self.backward_node(unit)

    def add_grad(self, node: Value, contribution: Operand, batched: bool) -> None:
        """Add a contribution to ``node``'s gradient, summed over the batch for a shared node."""
        if node not in self.needed:
            return
        if batched and node not in self.batched:
            text = self.batch_sum(contribution)
        else:
            text = _text(contribution)
        if node in self.member:
            vector, j = self.member[node]
            self.pending.setdefault(vector, []).append((str(j), text, False))
            return
        own = self.grad.get(node)
        name = "d_" + (self.name[node] if node in self.name else self.namer.name(node.label))
        if node not in self.name:
            self.name[node] = name[2:]
        if own is None:
            note = (
                "  # checked only: numpy raises if it overflows" if node in self.check_only else ""
            )
            self.lines.append(f"    {name} = {text}{note}")
        else:
            self.lines.append(f"    {name} = {name} + {text}")
        self.grad[node] = name
        if node in self.batched:
            self.batched_names.add(name)

    def batch_sum(self, contribution: Operand) -> str:
        """Σ over the batch of a per-sample contribution: a dot product where it is one."""
        assert isinstance(contribution, Expr)
        if contribution.op is ops.MUL:
            left, right = contribution.args
            lb, rb = self.is_batched(left), self.is_batched(right)
            if lb and rb:
                return f"_dot({_text(left)}, {_text(right)})"
            if lb or rb:
                shared, per_sample = (right, left) if lb else (left, right)
                factor = _text(shared) if isinstance(shared, Expr) else number(shared)
                return f"{factor} * ({_text(per_sample)}).sum()"
        return f"({_text(contribution)}).sum()"

    def backward_node(self, node: Value) -> None:
        op = node.op
        assert op is not None
        upstream = Expr.symbol(self.grad[node])
        batched = node in self.batched
        if id(node) in self.reads:
            self.backward_reduction(node, op, upstream, batched)
            return
        arguments = tuple(self.scalar(p) for p in node.parents)
        symbol = Expr.symbol(self.name[node])
        locals_ = local_derivative_formulas(op, arguments, symbol)
        for index, (parent, local) in enumerate(zip(node.parents, locals_)):
            if parent not in self.needed or index in op.constant_inputs:
                continue
            contribution = (
                local * upstream if isinstance(local, Expr) else _apply(ops.MUL, local, upstream)
            )
            self.add_grad(parent, contribution, batched or self.is_batched(contribution))

    def backward_reduction(self, node: Value, op: Op, upstream: Expr, batched: bool) -> None:
        reads = self.reads[id(node)]
        d = _text(upstream)
        sources = node.parents
        if op is ops.DOT:
            left, right = reads
            for read, other in ((left, right), (right, left)):
                if any(p in self.needed for p in read.nodes):
                    self.route(read, f"{other.expression} * {d}", batched or other.batched)
            bias_nodes = ops.dot_parts(sources)[2]
            if bias_nodes and bias_nodes[0] in self.needed:
                self.add_grad(bias_nodes[0], upstream, batched)
            return
        (whole,) = reads
        if not any(p in self.needed for p in whole.nodes):
            return
        k = len(whole.nodes)
        template = _symmetric_local(op, k)
        if template is not None:
            local = template.replace("@", whole.expression).replace("$", self.name[node])
            contribution = f"_rows({d}, {k})" if local == "1.0" else f"({local}) * {d}"
        else:  # one row at a time
            rows = tuple(
                Expr.symbol(
                    f"{whole.expression}[{j}]" if whole.batched else f"{whole.expression}[{j}, 0]"
                )
                for j in range(k)
            )
            locals_ = local_derivative_formulas(op, rows, Expr.symbol(self.name[node]))
            parts = ", ".join(_text(_times(local, upstream)) for local in locals_)
            if batched or whole.batched:
                contribution = f"_stack(np.broadcast_arrays({parts}, XT[0]))[:-1]"
            else:
                contribution = f"_column(({parts},))"
        self.route(whole, contribution, batched or whole.batched)

    def route(self, read: _Read, contribution: str, batched: bool) -> None:
        """Send a (k, batch) or (k, 1) contribution back to the nodes ``read`` read."""
        if read.kind == "same":  # one node broadcast to k rows: its gradient is their sum
            node = read.nodes[0]
            if node in self.batched:
                self.add_grad(node, Expr.symbol(f"({contribution}).sum(0)"), True)
            else:
                self.add_grad(node, Expr.symbol(f"float(np.sum({contribution}))"), False)
            return
        if read.kind == "vector":
            assert read.vector is not None
            vector = read.vector
            if not any(m in self.needed for m in vector.members):
                return
            if batched and not self.vector_batched[vector]:
                contribution = f"({contribution}).sum(1, keepdims=True)"
            if read.index is None:
                current = self.vector_grad.get(vector)
                name = "d_" + self.vector_name[vector]
                if current is None:
                    self.lines.append(f"    {name} = {contribution}")
                else:
                    self.lines.append(f"    {name} = {name} + {contribution}")
                self.vector_grad[vector] = name
            else:
                self.pending.setdefault(vector, []).append((read.index, contribution, True))
            return
        if read.kind == "theta":
            if batched:
                contribution = f"({contribution}).sum(1, keepdims=True)"
            self.lines.append(_scatter("d_theta2", read, contribution))
            return
        if read.kind == "batch":
            if self.batch_gradients:
                self.lines.append(_scatter("d_XT", read, contribution))
            return
        name = self.temporary(contribution)  # stacked scalars, constants: row j to node j
        for j, node in enumerate(read.nodes):
            self.add_grad(
                node, Expr.symbol(f"{name}[{j}]" if batched else f"{name}[{j}, 0]"), batched
            )

    def complete(self, vector: Vector) -> str | None:
        """The vector's gradient with every row contribution added in."""
        name = "d_" + self.vector_name[vector]
        current = self.vector_grad.get(vector)
        pending = self.pending.pop(vector, [])
        if not pending:
            return current
        k = len(vector.members)
        shape = f"({k}, B)" if self.vector_batched[vector] else f"({k}, 1)"
        if current is None:
            self.lines.append(f"    {name} = _zeros({shape})")
        else:
            self.lines.append(f"    {name} = _owned({current}, {shape})")
        for index, contribution, is_array in pending:
            if is_array:
                self.lines.append(f"    _add_at({name}, {_as_index(index)}, {contribution})")
            else:
                self.lines.append(f"    {name}[{index}] += {contribution}")
        self.vector_grad[vector] = name
        return name

    def backward_vector(self, vector: Vector) -> None:
        d = self.complete(vector)
        if d is None:
            return
        batched = self.vector_batched[vector]
        if batched:
            self.batched_names.add(d)
        name = self.vector_name[vector]
        reads = self.reads[id(vector)]
        if vector.kind == "dot":
            self.backward_layer(vector, d, reads)
            return
        arguments = tuple(
            self.scalar(r.nodes[0]) if r.kind == "same" else Expr.symbol(r.expression)
            for r in reads
        )
        locals_ = local_derivative_formulas(vector.op, arguments, Expr.symbol(name))
        upstream = Expr.symbol(d)
        for position, (read, local) in enumerate(zip(reads, locals_)):
            if position in vector.op.constant_inputs:
                continue
            if not any(node in self.needed for node in read.nodes):
                continue
            contribution = _times(local, upstream)
            if isinstance(contribution, Expr):
                self.route(read, _text(contribution), batched)

    def backward_layer(self, vector: Vector, d: str, reads: list[_Read]) -> None:
        """∂W = δ·Xᵀ (summed over the batch by the product), ∂X = Wᵀ·δ, ∂b = Σ δ."""
        inputs = reads[0]
        weights = self.weights[vector]
        scatter = self.scatter[vector]
        if any(w in self.needed for row in vector.weights for w in row):
            product = f"{d} @ {inputs.expression}.T"
            if isinstance(scatter, str):
                self.lines.append(
                    f"    d_{weights} = {scatter}  # a view: adding to it adds to d_theta"
                )
                self.lines.append(f"    d_{weights} += {product}")
            else:
                index, unique = scatter
                if unique:
                    self.lines.append(f"    d_theta[{index}] += {product}")
                else:
                    self.lines.append(f"    _add_at(d_theta, {index}, {product})")
        if len(reads) > 1:
            self.route(reads[1], d, self.vector_batched[vector])
        if any(x in self.needed for x in inputs.nodes):
            self.route(inputs, f"{weights}.T @ {d}", self.vector_batched[vector])


def _scatter(target: str, read: _Read, contribution: str) -> str:
    """``target[index] += contribution``, adding up repeated indices where there are any."""
    if read.unique:
        return f"    {target}[{read.index}] += {contribution}"
    return f"    _add_at({target}, {_as_index(read.index or '')}, {contribution})"


def _as_index(index: str) -> str:
    return f"slice({index.replace(':', ', ')})" if ":" in index else index


def _text(x: Operand) -> str:
    return python_source(x, calls=True) if isinstance(x, Expr) else number(x)


def _safe(label: str) -> str:
    """A label fit for a comment, as the display layer shows it: line breaks and control
    characters escaped, so a label can never end the comment and start code."""
    return visible(label)


def _span(nodes: Sequence[Value]) -> str:
    """``L1.N1 … L1.N32``: the first and last labels of a run of nodes (· for no label)."""
    first, last = (_safe(n.label) or "·" for n in (nodes[0], nodes[-1]))
    return first if len(nodes) == 1 else f"{first} … {last}"


def _times(local: Operand, upstream: Expr) -> Operand:
    return local * upstream if isinstance(local, Expr) else _apply(ops.MUL, local, upstream)


def _symbols(x: Operand) -> list[str]:
    if not isinstance(x, Expr):
        return []
    if x.op is None:
        return [x.name]
    return [name for arg in x.args for name in _symbols(arg)]


def _symmetric_local(op: Op, k: int) -> str | None:
    """If ∂out/∂zⱼ is one formula in zⱼ and out for every j (as for sum and logsumexp), that
    formula as Python with ``@`` for zⱼ and ``$`` for out; else None."""
    symbols = tuple(Expr.symbol(f"_z{j}_") for j in range(k))
    locals_ = local_derivative_formulas(op, symbols, Expr.symbol("_out_"))
    templates = set()
    for j, local in enumerate(locals_):
        text = _text(local) if isinstance(local, Expr) else number(local)
        text = text.replace(f"_z{j}_", "@")
        if re.search(r"_z\d+_", text):
            return None
        templates.add(text.replace("_out_", "$"))
    return templates.pop() if len(templates) == 1 else None


def _listing(node: Value, sources: tuple[Value, ...]) -> str:
    labels = [_safe(p.label) or "·" for p in sources[:3]]
    more = " …" if len(sources) > 3 else ""
    return f"{node.op.name if node.op else 'node'}({', '.join(labels)}{more})"


def _vector_label(vector: Vector) -> str:
    # a neuron's weighted input (L1.N1.z) names no vector: a layer's are Z1, Z2, …
    labels = [m.label if not m.label.endswith(".z") else "" for m in vector.members]
    if all(labels):
        prefix = labels[0]
        for label in labels[1:]:
            while not label.startswith(prefix):
                prefix = prefix[:-1]
        prefix = prefix.rstrip("0123456789").rstrip("._N")
        if prefix:
            return prefix
    return "Z" if vector.kind == "dot" else "V"


def array_code(
    recording: Recording,
    shared: list[Value],
    batched_inputs: list[Value],
    *,
    group: bool = True,
    batch_gradients: bool = True,
) -> _Program:
    """The array code of ``recording`` and the namespace to run it in."""
    emitter = _Emitter(
        recording, shared, batched_inputs, group=group, batch_gradients=batch_gradients
    )
    emitter.lines.append("    # forward")
    emitter.forward()
    body_forward = emitter.lines
    emitter.lines = ["    # backward"]
    emitter.lines.append("    d_theta = _zeros(theta.shape)")
    emitter.lines.append("    d_theta2 = d_theta[:, None]")
    if batch_gradients:
        emitter.lines.append("    d_XT = _zeros(XT.shape)")
    emitter.backward()
    for vector in list(emitter.pending):
        emitter.complete(vector)
    scalars = [n for n in shared if n in emitter.grad]
    if scalars:
        index = emitter.constant(np.array([emitter.theta_index[n] for n in scalars], np.intp), "_i")
        values = ", ".join(emitter.grad[n] for n in scalars)
        emitter.lines.append(f"    d_theta[{index}] += _column(({values},))[:, 0]")
    if batch_gradients:
        for node in batched_inputs:
            if node in emitter.grad:
                emitter.lines.append(
                    f"    d_XT[{emitter.batch_index[node]}] += {emitter.grad[node]}"
                )
    body_backward = emitter.lines
    output = recording.output
    value = emitter.scalar(output)
    extras = ", ".join(
        _text(e) if isinstance(e, Expr) else number(e)
        for e in (emitter.scalar(x) for x in recording.extras)
    )
    header = [
        "def compiled(theta, XT, seed):",
        "    B = XT.shape[1]",
        "    theta2 = theta[:, None]",
    ]
    used = sorted(emitter.scalar_inputs, key=lambda n: (n in emitter.batch_index, n.serial))
    shared_used = [n for n in used if n in emitter.theta_index]
    if shared_used:
        names = ", ".join(emitter.name[n] for n in shared_used)
        index = emitter.constant(
            np.array([emitter.theta_index[n] for n in shared_used], np.intp), "_i"
        )
        header.append(
            f"    {names}{',' if len(shared_used) == 1 else ''} = theta[{index}].tolist()"
        )
    for node in used:
        if node in emitter.batch_index:
            header.append(f"    {emitter.name[node]} = XT[{emitter.batch_index[node]}]")
    value_text = _text(value) if isinstance(value, Expr) else number(value)
    result = "d_XT" if batch_gradients else "None"
    footer = [
        f"    return {value_text}, d_theta, {result}, ({extras}{',' if len(recording.extras) == 1 else ''})"
    ]
    source = "\n".join(header + body_forward + body_backward + footer) + "\n"
    return _Program(source, emitter.namespace)
