"""Write the instructor (source) notebooks of the nbgrader course, one assignment per chapter.

    python nbgrader_solutions/build_source.py            # writes source/<assignment>/chNN_exercises.ipynb
    python nbgrader_solutions/build_source.py --check    # exit 1 if a committed notebook differs

The notebooks are what nbgrader reads; this script only keeps their structure consistent: one
locked setup cell, then for each task a Markdown statement, a solution cell and one or more locked
test cells (visible tests that explain a mistake, then hidden tests on random and extreme inputs
compared with ``helpers``), and one or two written answers graded by hand.

Cell metadata follows nbgrader's schema version 3. The student versions in
``notebooks/exercises/`` are produced from these notebooks by ``nbgrader generate_assignment``
(see TEACHING.md).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"

CHAPTERS = {
    "ch01_vectors_and_the_perceptron": ("01_vectors_and_the_perceptron", "Vectors, dot products and the perceptron"),
    "ch02_training_the_perceptron": ("02_training_the_perceptron", "Training the perceptron"),
    "ch03_gradient_descent": ("03_gradient_descent", "Gradient descent and the loss function"),
    "ch04_activations_costs_backprop": ("04_activations_costs_backprop", "Activations, costs and backpropagation"),
    "ch05_matrix_calculus_backprop": ("05_matrix_calculus_backprop", "Backpropagation with matrix calculus"),
    "ch06_a_simple_network": ("06_a_simple_network", "A simple neural network"),
    "ch07_softmax_cross_entropy": ("07_softmax_cross_entropy", "Softmax with cross-entropy"),
    "ch08_training_a_digit_classifier": ("08_training_a_digit_classifier", "Training a digit classifier"),
}


# --------------------------------------------------------------------------- cell builders
def _src(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def _meta(grade_id, *, grade, solution, locked, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def md(text, cell_id):
    """A plain Markdown cell (not graded, not locked)."""
    return nbformat.v4.new_markdown_cell(_src(text), id=cell_id)


def setup(code, grade_id="setup"):
    """A read-only code cell: imports and the small check helper the visible tests use."""
    return nbformat.v4.new_code_cell(_src(code), id=grade_id, metadata=_meta(grade_id, grade=False, solution=False, locked=True))


def answer(grade_id, code):
    """An autograded answer: the student replaces the solution region with code."""
    return nbformat.v4.new_code_cell(_src(code), id=grade_id, metadata=_meta(grade_id, grade=False, solution=True, locked=False))


def tests(grade_id, points, visible, hidden_module, seed, hidden):
    """Autograder tests: visible checks, then hidden checks against a freshly reloaded ``helpers`` module.

    The hidden part imports everything it uses under private names and reloads the reference
    module, so a submission that redefines ``check_close`` or patches ``helpers`` cannot pass it.
    """
    preamble = _src(
        f"""
        ### BEGIN HIDDEN TESTS
        import importlib as _il
        import warnings as _warnings
        import numpy as _np
        _ref = _il.reload(_il.import_module("{hidden_module}"))
        _rng = _np.random.default_rng({seed})
        """
    )
    code = _src(visible) + "\n\n" + preamble + "\n" + _src(hidden) + "\n### END HIDDEN TESTS"
    return nbformat.v4.new_code_cell(code, id=grade_id, metadata=_meta(grade_id, grade=True, solution=False, locked=True, points=points))


def written(grade_id, points, question_id, question, model_answer):
    """A short written answer graded by hand: the question, then the answer cell."""
    q = md(question, question_id)
    body = "### BEGIN SOLUTION\n" + _src(model_answer) + "\n### END SOLUTION"
    a = nbformat.v4.new_markdown_cell(body, id=grade_id, metadata=_meta(grade_id, grade=True, solution=True, locked=False, points=points))
    return [q, a]


def intro(slug, title, goals):
    chapter_file, chapter_title = CHAPTERS[slug]
    number = slug[2:4]
    return md(
        f"""
        # Exercises for chapter {int(number)}: {chapter_title}

        {goals}

        **How to work through this notebook.** Run the setup cell first. Each task describes a
        function; replace the lines `# YOUR CODE HERE` and `raise NotImplementedError()` with your
        code, run the cell, then run the test cell below it. If the test cell runs to the end (it
        prints a short confirmation), your function agrees with the visible checks; if not, its
        error message says what differs and, for the common mistakes, why. When the
        notebook is graded, the same cells also run hidden tests on random shapes and values and on
        extreme inputs, so write each function for every input the task describes, not only for
        the examples. The written questions are read by your teacher.

        Rows are examples: a batch of $N$ inputs with $n$ features is an array of shape $(N, n)$.
        Everything you need is derived in [the chapter](../../{chapter_file}.ipynb).
        """,
        "intro",
    )


SETUP_CODE = r'''
import numpy as np

try:
    import helpers  # the book's small library
except ImportError as exc:
    raise ImportError("Install the book's package first: run `pip install -e .` in the repository root.") from exc

np.set_printoptions(precision=6, suppress=True)


def check_close(name, got, expected, rtol=1e-7, atol=1e-10, hint=""):
    """Compare your result with the expected one and explain the first difference found."""
    got = np.asarray(got, dtype=float)
    expected = np.asarray(expected, dtype=float)
    assert got.shape == expected.shape, f"{name}: expected shape {expected.shape}, got shape {got.shape}. {hint}"
    assert np.all(np.isfinite(got)), f"{name}: your result contains nan or inf:\n{got}\n{hint}"
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        worst = np.max(np.abs(got - expected))
        raise AssertionError(
            f"{name}: values differ (largest difference {worst:.3g}).\n"
            f"expected:\n{expected}\ngot:\n{got}\n{hint}"
        )
'''


# =========================================================================== chapter 1
def ch01():
    slug = "ch01_vectors_and_the_perceptron"
    cells = [
        intro(slug, "", "You will compute the cosine similarity of two vectors, the output of a neuron, "
              "the perceptron's predictions and the line it draws between the two classes."),
        setup(SETUP_CODE),
        md(r"""
        ## Task 1: cosine similarity (2 points)

        The dot product measures how far two vectors point the same way:
        $u\cdot v = |u|\,|v|\cos\theta$. Write
        `cosine_similarity(u, v)` returning $\cos\theta = \dfrac{u\cdot v}{|u|\,|v|}$
        for two non-zero 1-D arrays of the same length, as a float. It lies in $[-1, 1]$ and does
        not change when either vector is stretched by a positive factor.
        """, "task1"),
        answer("cosine_similarity", r'''
        def cosine_similarity(u, v):
            """cos(angle between u and v) = u . v / (|u| |v|); u, v: (n,) -> float."""
            ### BEGIN SOLUTION
            u = np.asarray(u, dtype=float)
            v = np.asarray(v, dtype=float)
            return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))
            ### END SOLUTION
        '''),
        tests("test_cosine_similarity", 2, r'''
        check_close("cosine_similarity([1, 0], [0, 3])", cosine_similarity(np.array([1.0, 0.0]), np.array([0.0, 3.0])), 0.0,
                    hint="Perpendicular vectors have cosine 0.")
        check_close("cosine_similarity([1, 2], [2, 4])", cosine_similarity(np.array([1.0, 2.0]), np.array([2.0, 4.0])), 1.0,
                    hint="Vectors pointing the same way have cosine 1 whatever their lengths: divide by both norms.")
        check_close("cosine_similarity([1, 1], [-3, -3])", cosine_similarity(np.array([1.0, 1.0]), np.array([-3.0, -3.0])), -1.0,
                    hint="Opposite directions have cosine -1.")
        check_close("cosine_similarity([3, 4], [4, 3])", cosine_similarity(np.array([3.0, 4.0]), np.array([4.0, 3.0])), 24 / 25,
                    hint="3*4 + 4*3 = 24 and both vectors have length 5.")
        print("cosine_similarity passes the visible tests.")
        ''', "helpers.losses", 101, r'''
        for _ in range(30):
            _n = int(_rng.integers(2, 12))
            _u = _rng.normal(size=_n) * 10.0 ** _rng.integers(-3, 4)
            _v = _rng.normal(size=_n) * 10.0 ** _rng.integers(-3, 4)
            _want = 1.0 - float(_ref.cosine_distance(_u, _v))
            _got = float(cosine_similarity(_u.copy(), _v.copy()))
            assert abs(_got - _want) < 1e-9, f"cosine_similarity differs from the reference for n = {_n}: {_got} vs {_want}"
            _s = float(cosine_similarity(7.0 * _u, 0.01 * _v))
            assert abs(_s - _want) < 1e-9, "cosine_similarity changes when the vectors are stretched"
        '''),
        md(r"""
        ## Task 2: the output of a neuron (2 points)

        A neuron with weights $w$ (shape $(n,)$) and bias $b$ (a number) turns an input row
        $x$ into $z = x\cdot w + b$. For a batch $X$ of shape $(N, n)$, one
        example per row, the outputs form the vector $z = Xw + b$ of shape $(N,)$.
        Write `neuron_output(X, w, b)` for a batch. Use a matrix product, not a Python loop.
        """, "task2"),
        answer("neuron_output", r'''
        def neuron_output(X, w, b):
            """z = X w + b; X: (N, n), w: (n,), b: float -> (N,)."""
            ### BEGIN SOLUTION
            return np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b
            ### END SOLUTION
        '''),
        tests("test_neuron_output", 2, r'''
        X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
        w = np.array([2.0, -1.0])
        check_close("neuron_output(X, w, 0.5)", neuron_output(X, w, 0.5), [0.5, 1.5, 6.0],
                    hint="Row n of the result is X[n] . w + b; X @ w computes every row at once.")
        X3 = np.arange(12.0).reshape(4, 3)
        check_close("neuron_output with 4 examples and 3 features", neuron_output(X3, np.array([1.0, 0.0, -1.0]), -2.0),
                    [-4.0, -4.0, -4.0, -4.0], hint="The result has one entry per row of X: shape (N,).")
        print("neuron_output passes the visible tests.")
        ''', "helpers.layers", 102, r'''
        for _ in range(20):
            _N, _n = int(_rng.integers(1, 9)), int(_rng.integers(1, 7))
            _X, _w, _b = _rng.normal(size=(_N, _n)), _rng.normal(size=_n), float(_rng.normal())
            _want = _ref.dense_forward(_X, _w[:, None], _np.array([_b]))[:, 0]
            _got = _np.asarray(neuron_output(_X.copy(), _w.copy(), _b), dtype=float)
            assert _got.shape == (_N,), f"neuron_output returned shape {_got.shape} for X of shape {(_N, _n)}"
            assert _np.allclose(_got, _want, rtol=1e-10, atol=1e-12), "neuron_output differs from X @ w + b"
        '''),
        md(r"""
        ## Task 3: the perceptron's prediction (2 points)

        The perceptron predicts class 1 when $z = x\cdot w + b > 0$ and class 0
        otherwise (a point exactly on the boundary, $z = 0$, is class 0). Write
        `perceptron_predict(X, w, b)` returning the integer labels of shape $(N,)$. You may call
        `neuron_output`.
        """, "task3"),
        answer("perceptron_predict", r'''
        def perceptron_predict(X, w, b):
            """Labels 1 where X w + b > 0, else 0; X: (N, n) -> (N,) integers."""
            ### BEGIN SOLUTION
            return (neuron_output(X, w, b) > 0).astype(int)
            ### END SOLUTION
        '''),
        tests("test_perceptron_predict", 2, r'''
        X = np.array([[2.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [0.5, 0.0]])
        labels = np.asarray(perceptron_predict(X, np.array([1.0, 1.0]), 0.0))
        assert labels.shape == (4,), f"expected one label per row, shape (4,); got shape {labels.shape}"
        assert np.issubdtype(labels.dtype, np.integer), f"labels should be integers 0 and 1; got dtype {labels.dtype} (use .astype(int))"
        assert labels[2] == 0, "The point (1, -1) lies exactly on the boundary x1 + x2 = 0 (z = 0) and must be class 0: use z > 0, not z >= 0."
        check_close("perceptron_predict(X, [1, 1], 0)", labels, [1, 0, 0, 1])
        check_close("perceptron_predict with bias -1", perceptron_predict(X, np.array([1.0, 1.0]), -1.0), [1, 0, 0, 0],
                    hint="The bias shifts z: with b = -1 the point (0.5, 0) has z = -0.5.")
        print("perceptron_predict passes the visible tests.")
        ''', "helpers.layers", 103, r'''
        for _ in range(20):
            _N, _n = int(_rng.integers(1, 30)), int(_rng.integers(1, 6))
            _X = _rng.integers(-3, 4, size=(_N, _n)).astype(float)
            _w = _rng.integers(-2, 3, size=_n).astype(float)
            _b = float(_rng.integers(-2, 3))
            _want = (_ref.dense_forward(_X, _w[:, None], _np.array([_b]))[:, 0] > 0).astype(int)
            _got = _np.asarray(perceptron_predict(_X.copy(), _w.copy(), _b))
            assert _got.shape == (_N,), f"perceptron_predict returned shape {_got.shape}"
            assert _np.array_equal(_got, _want), "perceptron_predict disagrees with (X @ w + b > 0) on integer points, some on the boundary"
        '''),
        md(r"""
        ## Task 4: the decision boundary (2 points)

        In the plane ($n = 2$) the boundary is the line $w_1 x_1 + w_2 x_2 + b = 0$. Write
        `boundary_x2(x1, w, b)` returning, for an array of $x_1$ values, the $x_2$ values of the
        points on that line (assume $w_2 \neq 0$). This is the line you would draw on a scatter
        plot of the data.
        """, "task4"),
        answer("boundary_x2", r'''
        def boundary_x2(x1, w, b):
            """x2 on the line w[0] x1 + w[1] x2 + b = 0; x1: (K,) -> (K,)."""
            ### BEGIN SOLUTION
            x1 = np.asarray(x1, dtype=float)
            return -(w[0] * x1 + b) / w[1]
            ### END SOLUTION
        '''),
        tests("test_boundary_x2", 2, r'''
        x1 = np.array([-2.0, 0.0, 3.0])
        check_close("boundary_x2(x1, [1, 1], 0)", boundary_x2(x1, np.array([1.0, 1.0]), 0.0), [2.0, 0.0, -3.0],
                    hint="On x1 + x2 = 0 we have x2 = -x1.")
        x2 = np.asarray(boundary_x2(x1, np.array([2.0, -4.0]), 1.0))
        check_close("z on the points you returned", np.column_stack([x1, x2]) @ np.array([2.0, -4.0]) + 1.0, np.zeros(3),
                    hint="Every point (x1, x2) you return must satisfy w1 x1 + w2 x2 + b = 0: solve that equation for x2.")
        print("boundary_x2 passes the visible tests.")
        ''', "helpers.layers", 104, r'''
        for _ in range(20):
            _K = int(_rng.integers(1, 10))
            _x1, _w, _b = _rng.normal(size=_K) * 5, _rng.normal(size=2), float(_rng.normal())
            _w[1] = _np.sign(_w[1]) * (abs(_w[1]) + 0.1)
            _x2 = _np.asarray(boundary_x2(_x1.copy(), _w.copy(), _b), dtype=float)
            assert _x2.shape == (_K,), f"boundary_x2 returned shape {_x2.shape} for {_K} values of x1"
            _z = _ref.dense_forward(_np.column_stack([_x1, _x2]), _w[:, None], _np.array([_b]))[:, 0]
            assert _np.allclose(_z, 0.0, atol=1e-9), "points returned by boundary_x2 are not on the line w . x + b = 0"
        '''),
        *written("answer_scaling", 2, "question_scaling", r"""
        ## Task 5: written answer (2 points)

        Multiply both $w$ and $b$ by $3$. Does the decision boundary move? Do the
        predictions change? What does change? And what happens if you multiply them by $-1$
        instead? Answer in two or three sentences in the cell below.
        """, r"""
        The boundary is the set of points where $x\cdot w + b = 0$, and
        $3(x\cdot w + b) = 0$ holds at exactly the same points, so the line does
        not move; the sign of $z$ is unchanged too, so every prediction stays the same. Only the
        size of $z$ changes (it is three times larger), while the signed distance
        $z / |w|$ to the line stays the same. Multiplying by $-1$ keeps the line but flips
        the sign of $z$, so every prediction swaps class (points on the line stay class 0).

        Grading: 1 point for "same boundary and predictions" with the reason (the zero set and
        the sign of $z$ do not change), 1 point for "$z$ scales by 3 / negative factor flips the
        classes".
        """),
    ]
    return cells


# =========================================================================== chapter 2
def ch02():
    slug = "ch02_training_the_perceptron"
    cells = [
        intro(slug, "", "You will write the perceptron's update rule, a training loop that stops when "
              "every point is classified or when it runs out of epochs, and the margin that tells how "
              "comfortably a line separates two classes."),
        setup(SETUP_CODE),
        md(r"""
        ## Task 1: one perceptron step (2 points)

        Labels are $y \in \{0, 1\}$; the signed label $s = 2y - 1$ is $+1$ for class 1 and $-1$ for
        class 0. An example is a **mistake** when $s\,(x\cdot w + b) \le 0$: its
        score does not have the sign of its label (a point on the boundary, score 0, counts as a
        mistake whatever its class). On a mistake the perceptron updates

        $$
        w \leftarrow w + \eta\, s\,x, \qquad b \leftarrow b + \eta\, s,
        $$

        and otherwise leaves $w$ and $b$ alone. Write `perceptron_step(w, b, x, y, lr=1.0)`
        returning the new `(w, b)`. Return a new array: do not change the `w` that was passed in
        (write `w + ...`, not `w += ...`).
        """, "task1"),
        answer("perceptron_step", r'''
        def perceptron_step(w, b, x, y, lr=1.0):
            """Update (w, b) if the example (x, y) is a mistake; w, x: (n,), b: float, y in {0, 1}."""
            ### BEGIN SOLUTION
            s = 2 * y - 1
            if s * (x @ w + b) <= 0:
                return w + lr * s * x, b + lr * s
            return w.copy(), b
            ### END SOLUTION
        '''),
        tests("test_perceptron_step", 2, r'''
        w, b = np.array([1.0, -1.0]), 0.0
        w_new, b_new = perceptron_step(w, b, np.array([2.0, 1.0]), 1)
        check_close("w after a correct prediction", w_new, [1.0, -1.0], hint="z = 1 has the sign of s = +1: nothing should move.")
        check_close("b after a correct prediction", b_new, 0.0)
        w_new, b_new = perceptron_step(w, b, np.array([1.0, 3.0]), 1, lr=0.5)
        check_close("w after a missed class-1 point", w_new, [1.5, 0.5],
                    hint="z = -2 but s = +1: w moves towards x by lr * x.")
        check_close("b after a missed class-1 point", b_new, 0.5, hint="The bias moves by lr * s.")
        w_new, b_new = perceptron_step(w, b, np.array([3.0, 1.0]), 0)
        check_close("w after a missed class-0 point", w_new, [-2.0, -2.0],
                    hint="z = 2 but s = -1: w moves away from x (s = 2y - 1, not y).")
        check_close("b after a missed class-0 point", b_new, -1.0)
        w_new, b_new = perceptron_step(w, b, np.array([1.0, 1.0]), 1)
        check_close("w for a class-1 point on the boundary", w_new, [2.0, 0.0],
                    hint="z = 0 is a mistake: test s * z <= 0, not < 0.")
        w_new, b_new = perceptron_step(w, b, np.array([1.0, 1.0]), 0)
        check_close("w for a class-0 point on the boundary", w_new, [0.0, -2.0],
                    hint="A point on the boundary is a mistake for either class: s * z = 0 <= 0.")
        check_close("w you passed in", w, [1.0, -1.0], hint="perceptron_step changed its argument w in place: return w + ... instead.")
        print("perceptron_step passes the visible tests.")
        ''', "helpers.layers", 201, r'''
        for _ in range(40):
            _n = int(_rng.integers(1, 6))
            _w, _x = _rng.integers(-3, 4, size=_n).astype(float), _rng.integers(-3, 4, size=_n).astype(float)
            _b, _y, _lr = float(_rng.integers(-2, 3)), int(_rng.integers(0, 2)), float(_rng.choice([0.1, 0.5, 1.0, 2.0]))
            _s = 2 * _y - 1
            _z = float(_ref.dense_forward(_x, _w[:, None], _np.array([_b]))[0])
            _move = _lr * _s if _s * _z <= 0 else 0.0
            _w0 = _w.copy()
            _gw, _gb = perceptron_step(_w, _b, _x.copy(), _y, lr=_lr)
            assert _np.allclose(_gw, _w0 + _move * _x), "perceptron_step: wrong weights"
            assert abs(float(_gb) - (_b + _move)) < 1e-12, "perceptron_step: wrong bias"
            assert _np.array_equal(_w, _w0), "perceptron_step modified w in place"
        '''),
        md(r"""
        ## Task 2: the training loop (3 points)

        Write `train_perceptron(X, y, lr=1.0, max_epochs=100)`. Start from $w = 0$
        and $b = 0$. One epoch visits the rows of `X` in order and applies `perceptron_step` to
        each, counting the mistakes ($s\,(x\cdot w + b) \le 0$ before the step).
        Stop after the first epoch with no mistake, or after `max_epochs` epochs, whichever comes
        first. Return `(w, b, mistakes)` where `mistakes` is the list of mistake counts, one per
        epoch run.

        On linearly separable data the loop ends with a last count of 0. On XOR it never does: that
        is why the loop needs `max_epochs`.
        """, "task2"),
        answer("train_perceptron", r'''
        def train_perceptron(X, y, lr=1.0, max_epochs=100):
            """Perceptron training from w = 0, b = 0 -> (w, b, list of mistakes per epoch)."""
            ### BEGIN SOLUTION
            w, b = np.zeros(X.shape[1]), 0.0
            mistakes = []
            for _ in range(max_epochs):
                count = 0
                for x_n, y_n in zip(X, y):
                    count += int((2 * y_n - 1) * (x_n @ w + b) <= 0)
                    w, b = perceptron_step(w, b, x_n, y_n, lr)
                mistakes.append(count)
                if count == 0:
                    break
            return w, b, mistakes
            ### END SOLUTION
        '''),
        tests("test_train_perceptron_separable", 2, r'''
        from helpers.data import linearly_separable

        X, y = linearly_separable(n=40, seed=1)
        w, b, mistakes = train_perceptron(X, y)
        assert len(mistakes) >= 1, "mistakes should hold one count per epoch"
        assert mistakes[-1] == 0, f"On separable data the last epoch should have no mistakes; your counts were {mistakes}"
        assert np.all(((X @ w + b) > 0).astype(int) == y), "The returned w and b misclassify some training points"
        assert len(mistakes) <= 100, "The loop ran more than max_epochs = 100 epochs"
        X4 = np.array([[1.0, 1.0], [2.0, 0.0], [-1.0, 0.0], [0.0, -2.0]])
        w, b, mistakes = train_perceptron(X4, np.array([1, 1, 0, 0]))
        check_close("w after training on 4 points", w, [2.0, 1.0],
                    hint="Start from zeros and visit the rows in order: the first and third points are mistakes (z = 0), the others are not.")
        check_close("b after training on 4 points", b, 0.0)
        check_close("mistakes per epoch", mistakes, [2, 0])
        print("train_perceptron passes the visible tests on separable data.")
        ''', "helpers.data", 202, r'''
        def _reference(X, y, lr, max_epochs):
            w, b, counts = _np.zeros(X.shape[1]), 0.0, []
            for _e in range(max_epochs):
                c = 0
                for xn, yn in zip(X, y):
                    sn = 2 * yn - 1
                    if sn * (xn @ w + b) <= 0:
                        c += 1
                        w, b = w + lr * sn * xn, b + lr * sn
                counts.append(int(c))
                if c == 0:
                    break
            return w, b, counts

        for _seed in range(5):
            _X, _y = _ref.linearly_separable(n=int(_rng.integers(10, 60)), margin=0.3, seed=_seed)
            _lr = float(_rng.choice([0.1, 1.0]))
            _w, _b, _m = train_perceptron(_X.copy(), _y.copy(), lr=_lr)
            _rw, _rb, _rm = _reference(_X, _y, _lr, 100)
            assert list(_m) == _rm, f"mistake counts differ from the perceptron rule: {list(_m)} vs {_rm}"
            assert _np.allclose(_w, _rw) and abs(float(_b) - _rb) < 1e-9, "final w, b differ from the perceptron rule"
        '''),
        tests("test_train_perceptron_xor", 1, r'''
        from helpers.data import xor

        X, y = xor(n=20, seed=0)
        w, b, mistakes = train_perceptron(X, y, max_epochs=25)
        assert len(mistakes) == 25, f"XOR is not separable: the loop should stop after max_epochs = 25 epochs, but it ran {len(mistakes)}"
        assert mistakes[-1] > 0, "On XOR some point is always misclassified"
        print("train_perceptron stops after max_epochs on XOR.")
        ''', "helpers.data", 203, r'''
        _X, _y = _ref.xor(n=12, seed=3)
        for _cap in (1, 7):
            _w, _b, _m = train_perceptron(_X.copy(), _y.copy(), max_epochs=_cap)
            assert len(_m) == _cap, f"with max_epochs = {_cap} the loop ran {len(_m)} epochs"
        '''),
        md(r"""
        ## Task 3: the margin (2 points)

        The signed distance of a point $x$ to the line $x\cdot w + b = 0$ is
        $(x\cdot w + b)/|w|$. Multiplying it by $s = 2y - 1$ (that is $+1$
        for class 1 and $-1$ for class 0) makes it positive for correctly classified points. The
        margin of $(w, b)$ on a data set is the smallest of these values:

        $$
        \gamma = \min_n \frac{(2y_n - 1)(x_n\cdot w + b)}{|w|}.
        $$

        It is positive exactly when every point is on its correct side, and the larger it is, the
        fewer mistakes the perceptron can make before converging. Write `margin(X, y, w, b)`.
        """, "task3"),
        answer("margin", r'''
        def margin(X, y, w, b):
            """min_n (2 y_n - 1)(x_n . w + b) / |w|; X: (N, n), y: (N,) in {0, 1} -> float."""
            ### BEGIN SOLUTION
            signs = 2 * np.asarray(y) - 1
            return float(np.min(signs * (X @ w + b)) / np.linalg.norm(w))
            ### END SOLUTION
        '''),
        tests("test_margin", 2, r'''
        X = np.array([[2.0, 0.0], [0.0, 3.0], [-1.0, 0.0]])
        y = np.array([1, 1, 0])
        check_close("margin for w = (1, 0), b = 0", margin(X, y, np.array([1.0, 0.0]), 0.0), 0.0,
                    hint="The point (0, 3) lies on the line x1 = 0, so the smallest distance is 0.")
        check_close("margin for w = (1, 1), b = 0", margin(X, y, np.array([1.0, 1.0]), 0.0), 1 / np.sqrt(2),
                    hint="Divide by |w| = sqrt(2): the margin is a distance and must not change when w and b are scaled.")
        check_close("margin with a misclassified point", margin(X, np.array([1, 1, 1]), np.array([1.0, 1.0]), 0.0), -1 / np.sqrt(2),
                    hint="A point on the wrong side has a negative signed distance, so the margin is negative.")
        print("margin passes the visible tests.")
        ''', "helpers.data", 204, r'''
        for _ in range(20):
            _N, _n = int(_rng.integers(1, 20)), int(_rng.integers(1, 5))
            _X, _y = _rng.normal(size=(_N, _n)), _rng.integers(0, 2, size=_N)
            _w, _b = _rng.normal(size=_n), float(_rng.normal())
            _want = _np.min((2 * _y - 1) * (_X @ _w + _b)) / _np.linalg.norm(_w)
            assert abs(float(margin(_X.copy(), _y.copy(), _w.copy(), _b)) - _want) < 1e-9, "margin differs from the formula"
            assert abs(float(margin(_X, _y, 4.0 * _w, 4.0 * _b)) - _want) < 1e-9, "margin changes when w and b are scaled"
        '''),
        *written("answer_xor", 2, "question_xor", r"""
        ## Task 4: written answer (2 points)

        Take the four XOR points $(1, 1)$ and $(-1, -1)$ with label 0, $(1, -1)$ and $(-1, 1)$ with
        label 1. Show that no $w$ and $b$ classify all four correctly. (Hint: write the four
        inequalities the perceptron would need and add them in pairs.)
        """, r"""
        Class 1 needs $w_1 - w_2 + b > 0$ and $-w_1 + w_2 + b > 0$; adding them gives $2b > 0$.
        Class 0 needs $w_1 + w_2 + b \le 0$ and $-w_1 - w_2 + b \le 0$; adding them gives
        $2b \le 0$. Both cannot hold, so no line separates XOR, and the perceptron keeps making
        mistakes forever. A hidden layer (a second set of features) or a non-linear feature such
        as $x_1 x_2$ makes the classes separable.

        Grading: 1 point for the inequalities, 1 point for the contradiction.
        """),
    ]
    return cells


# =========================================================================== chapter 3
def ch03():
    slug = "ch03_gradient_descent"
    cells = [
        intro(slug, "", "You will take a gradient-descent step, estimate a gradient by central "
              "differences, derive the gradient of a mean squared error and run gradient descent."),
        setup(SETUP_CODE),
        md(r"""
        ## Task 1: one gradient-descent step (1 point)

        Gradient descent moves the parameters against the gradient:
        $w \leftarrow w - \eta\,\nabla L(w)$. Write
        `gradient_descent_step(w, grad, lr)` returning the new parameters as a new array (do not
        change `w` in place).
        """, "task1"),
        answer("gradient_descent_step", r'''
        def gradient_descent_step(w, grad, lr):
            """w - lr * grad, as a new array of the shape of w."""
            ### BEGIN SOLUTION
            return w - lr * grad
            ### END SOLUTION
        '''),
        tests("test_gradient_descent_step", 1, r'''
        w = np.array([1.0, -2.0, 0.5])
        new_w = gradient_descent_step(w, np.array([2.0, 0.0, -1.0]), 0.1)
        check_close("gradient_descent_step", new_w, [0.8, -2.0, 0.6],
                    hint="Step against the gradient: subtract lr * grad (adding it climbs the loss).")
        check_close("w you passed in", w, [1.0, -2.0, 0.5], hint="Return a new array instead of changing w in place.")
        print("gradient_descent_step passes the visible tests.")
        ''', "helpers.gradcheck", 301, r'''
        for _ in range(10):
            _shape = tuple(int(k) for k in _rng.integers(1, 5, size=int(_rng.integers(1, 3))))
            _w, _g, _lr = _rng.normal(size=_shape), _rng.normal(size=_shape), float(_rng.uniform(0.001, 2))
            _w0 = _w.copy()
            _got = _np.asarray(gradient_descent_step(_w, _g, _lr))
            assert _got.shape == _shape and _np.allclose(_got, _w0 - _lr * _g), "gradient_descent_step: wrong result"
            assert _np.array_equal(_w, _w0), "gradient_descent_step modified w in place"
        '''),
        md(r"""
        ## Task 2: the numerical gradient (3 points)

        The central difference estimates each partial derivative from two evaluations of $f$:

        $$
        \frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon\,e_i) - f(x - \varepsilon\,e_i)}{2\varepsilon}.
        $$

        Its error shrinks like $\varepsilon^2$, while the one-sided difference
        $(f(x + \varepsilon e_i) - f(x))/\varepsilon$ is only accurate to
        order $\varepsilon$. Write `numerical_gradient(f, x, eps=1e-6)` for a scalar function `f`
        of an array `x` of any shape (1-D or 2-D). Return an array of the shape of `x`, and leave
        `x` exactly as you found it. (Iterating over `np.ndindex(x.shape)` visits every entry.)
        """, "task2"),
        answer("numerical_gradient", r'''
        def numerical_gradient(f, x, eps=1e-6):
            """Central-difference estimate of df/dx; x: float array of any shape -> array of that shape."""
            ### BEGIN SOLUTION
            grad = np.zeros(x.shape)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + eps
                f_plus = f(x)
                x[i] = old - eps
                f_minus = f(x)
                x[i] = old
                grad[i] = (f_plus - f_minus) / (2 * eps)
            return grad
            ### END SOLUTION
        '''),
        tests("test_numerical_gradient_accuracy", 2, r'''
        x = np.array([0.5, -1.0, 2.0])
        check_close("gradient of sum(x**2)", numerical_gradient(lambda v: np.sum(v ** 2), x), 2 * x, rtol=1e-6,
                    hint="The gradient of sum(x**2) is 2x.")
        f = lambda v: np.sum(np.exp(v)) + np.sum(v ** 3)
        g = numerical_gradient(f, x)
        exact = np.exp(x) + 3 * x ** 2
        err = helpers.relative_error(np.asarray(g, dtype=float), exact)
        print(f"relative error on exp(x) + x^3: {err:.1e} (expect below 1e-8)")
        assert err < 1e-8, ("The estimate is not accurate enough. A one-sided difference (f(x + eps) - f(x)) / eps has an "
                            "error of order eps; use the central difference (f(x + eps) - f(x - eps)) / (2 eps).")
        print("numerical_gradient passes the visible accuracy tests.")
        ''', "helpers.gradcheck", 302, r'''
        for _ in range(6):
            _n = int(_rng.integers(1, 6))
            _a = _rng.normal(size=_n)
            _x = _rng.normal(size=_n)
            _f = lambda v: float(_np.sum(_np.exp(2 * v) * _a) + _np.sum(v ** 4))
            _exact = 2 * _a * _np.exp(2 * _x) + 4 * _x ** 3
            _got = _np.asarray(numerical_gradient(_f, _x.copy()), dtype=float)
            assert _got.shape == _x.shape, "numerical_gradient: wrong shape"
            assert _ref.relative_error(_got, _exact) < 1e-7, "numerical_gradient is not accurate to second order"
        '''),
        tests("test_numerical_gradient_shapes", 1, r'''
        W = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]])
        W_before = W.copy()
        g = np.asarray(numerical_gradient(lambda M: np.sum(M ** 2) / 2, W))
        assert g.shape == (2, 3), f"For a (2, 3) array the gradient has shape (2, 3); got {g.shape}"
        check_close("gradient of sum(W**2)/2", g, W_before, rtol=1e-4, atol=1e-5, hint="The gradient of sum(W**2)/2 is W itself.")
        check_close("W after numerical_gradient", W, W_before,
                    hint="Restore each entry after perturbing it: x[i] = old.")
        print("numerical_gradient works on 2-D arrays and leaves x unchanged.")
        ''', "helpers.gradcheck", 303, r'''
        for _ in range(5):
            _shape = (int(_rng.integers(1, 4)), int(_rng.integers(1, 4)))
            _x = _rng.normal(size=_shape)
            _x0 = _x.copy()
            _B = _rng.normal(size=_shape)
            _f = lambda M: float(_np.sum(_np.tanh(M) * _B))
            _got = _np.asarray(numerical_gradient(_f, _x), dtype=float)
            assert _np.array_equal(_x, _x0), "numerical_gradient did not restore x"
            assert _got.shape == _shape and _np.allclose(_got, _ref.numerical_gradient(_f, _x0.copy()), atol=1e-5), "numerical_gradient: wrong values for a 2-D array"
        '''),
        md(r"""
        ## Task 3: the loss and gradient of a linear model (3 points)

        A linear model predicts $\hat y_n = x_n\cdot w + b$, or
        $\hat{y} = Xw + b$ for the batch $X$ of shape $(N, n)$. Its mean squared
        error and gradient are

        $$
        L = \frac1N\sum_{n=1}^N(\hat y_n - y_n)^2, \qquad
        \frac{\partial L}{\partial w} = \frac2N\,X^\top(\hat{y} - y), \qquad
        \frac{\partial L}{\partial b} = \frac2N\sum_{n=1}^N(\hat y_n - y_n).
        $$

        Write `mse_loss_and_grad(w, b, X, y)` returning `(L, dw, db)` with `dw` of shape $(n,)$
        and `L`, `db` floats.
        """, "task3"),
        answer("mse_loss_and_grad", r'''
        def mse_loss_and_grad(w, b, X, y):
            """Mean squared error of X w + b against y and its gradient -> (L, dw, db)."""
            ### BEGIN SOLUTION
            N = X.shape[0]
            r = X @ w + b - y  # (N,)
            return float(np.mean(r ** 2)), 2.0 / N * (X.T @ r), float(2.0 / N * np.sum(r))
            ### END SOLUTION
        '''),
        tests("test_mse_loss_and_grad", 3, r'''
        X = np.array([[1.0, 2.0], [0.0, 1.0], [2.0, -1.0]])
        y = np.array([1.0, 0.0, 2.0])
        w, b = np.array([0.5, -0.5]), 1.0
        L, dw, db = mse_loss_and_grad(w, b, X, y)
        check_close("L", L, 0.25, hint="Residuals are X w + b - y = [-0.5, 0.5, 0.5]; L is the mean of their squares.")
        dw = np.asarray(dw, dtype=float)
        if dw.shape == (2,) and np.allclose(dw, [1.0, -2.0]):
            raise AssertionError("dw is exactly N = 3 times too large: the loss is a mean, so its gradient keeps the 1/N.")
        check_close("dw", dw, [1 / 3, -2 / 3], hint="dw = (2/N) X^T (X w + b - y); X^T has shape (n, N), so the result has shape (n,).")
        check_close("db", db, 1 / 3, hint="db = (2/N) * sum of the residuals.")
        print("mse_loss_and_grad passes the visible tests.")
        ''', "helpers.losses", 304, r'''
        _gc = _il.reload(_il.import_module("helpers.gradcheck"))
        for _ in range(10):
            _N, _n = int(_rng.integers(2, 12)), int(_rng.integers(1, 6))
            if _N == _n:
                _N += 1
            _X, _y, _w, _b = _rng.normal(size=(_N, _n)), _rng.normal(size=_N), _rng.normal(size=_n), float(_rng.normal())
            _L, _dw, _db = mse_loss_and_grad(_w.copy(), _b, _X.copy(), _y.copy())
            _pred = (_X @ _w + _b)[:, None]
            assert abs(float(_L) - float(_ref.squared_error(_pred, _y[:, None]))) < 1e-10, "mse_loss_and_grad: wrong loss"
            _dpred = _ref.squared_error_grad(_pred, _y[:, None])  # (N, 1), includes 1/N
            assert _np.allclose(_np.asarray(_dw, dtype=float), (_X.T @ _dpred)[:, 0], atol=1e-10), "mse_loss_and_grad: wrong dw"
            assert abs(float(_db) - float(_dpred.sum())) < 1e-10, "mse_loss_and_grad: wrong db"
            _num = _gc.numerical_gradient(lambda v: float(_np.mean((_X @ v + _b - _y) ** 2)), _w.copy())
            assert _gc.relative_error(_np.asarray(_dw, dtype=float), _num) < 1e-6, "dw disagrees with finite differences"
        '''),
        md(r"""
        ## Task 4: gradient descent (2 points)

        Write `gradient_descent(loss_and_grad, w0, lr, steps)`. The argument `loss_and_grad` is a
        function that takes parameters `w` and returns `(loss, grad)`. Starting from `w0` (which
        you must not change), take `steps` steps with `gradient_descent_step`, recording the loss
        *before* each step. Return `(w, losses)` with `losses` a list of length `steps`.
        """, "task4"),
        answer("gradient_descent", r'''
        def gradient_descent(loss_and_grad, w0, lr, steps):
            """Run `steps` gradient-descent steps from w0 -> (final w, list of losses before each step)."""
            ### BEGIN SOLUTION
            w = np.array(w0, dtype=float)
            losses = []
            for _ in range(steps):
                loss, grad = loss_and_grad(w)
                losses.append(float(loss))
                w = gradient_descent_step(w, grad, lr)
            return w, losses
            ### END SOLUTION
        '''),
        tests("test_gradient_descent", 2, r'''
        bowl = lambda w: (float(np.sum((w - 3.0) ** 2)), 2 * (w - 3.0))
        w0 = np.array([0.0, 10.0])
        w, losses = gradient_descent(bowl, w0, lr=0.25, steps=3)
        check_close("losses", losses, [58.0, 14.5, 3.625],
                    hint="Record the loss before each step: the first entry is the loss at w0, (0-3)^2 + (10-3)^2 = 58.")
        check_close("w after 3 steps", w, [2.625, 3.875], hint="Each step halves the distance to (3, 3) when lr = 0.25.")
        check_close("w0 after the run", w0, [0.0, 10.0], hint="Do not change the starting point in place.")
        w, losses = gradient_descent(bowl, w0, lr=0.1, steps=200)
        check_close("w after 200 steps", w, [3.0, 3.0], atol=1e-8, hint="With a small learning rate the iterates reach the minimum.")
        print("gradient_descent passes the visible tests.")
        ''', "helpers.losses", 305, r'''
        for _ in range(5):
            _n = int(_rng.integers(1, 5))
            _A = _rng.normal(size=(_n + 2, _n))
            _t = _rng.normal(size=_n + 2)
            def _lg(v, _A=_A, _t=_t):
                _p = (_A @ v)[:, None]
                return float(_ref.squared_error(_p, _t[:, None])), (_A.T @ _ref.squared_error_grad(_p, _t[:, None]))[:, 0]
            _w0 = _rng.normal(size=_n)
            _steps, _lr = int(_rng.integers(1, 30)), float(_rng.uniform(0.01, 0.2))
            _rw, _rl = _w0.copy(), []
            for _k in range(_steps):
                _l, _g = _lg(_rw)
                _rl.append(_l)
                _rw = _rw - _lr * _g
            _w, _losses = gradient_descent(_lg, _w0.copy(), _lr, _steps)
            assert len(_losses) == _steps and _np.allclose(_losses, _rl), "gradient_descent: wrong loss history"
            assert _np.allclose(_w, _rw), "gradient_descent: wrong final parameters"
        '''),
        *written("answer_learning_rate", 2, "question_learning_rate", r"""
        ## Task 5: written answer (2 points)

        For $f(w) = w^2$ one step of gradient descent is $w \leftarrow w - 2\eta w = (1 - 2\eta)\,w$.
        For which learning rates $\eta > 0$ does gradient descent converge to $0$? For which does
        it converge while jumping from side to side, and for which does it diverge? What happens
        at $\eta = 1$?
        """, r"""
        After $k$ steps $w_k = (1 - 2\eta)^k w_0$, which goes to 0 exactly when $|1 - 2\eta| < 1$,
        that is $0 < \eta < 1$. For $0 < \eta < 1/2$ the factor is positive and $w$ slides to 0
        from one side; at $\eta = 1/2$ it lands on 0 in one step; for $1/2 < \eta < 1$ the factor
        is negative, so $w$ changes sign at every step while shrinking. At $\eta = 1$ the factor is
        $-1$ and $w$ bounces between $w_0$ and $-w_0$ forever; for $\eta > 1$ it grows without bound.

        Grading: 1 point for the interval $0 < \eta < 1$ with the reason, 1 point for the
        oscillation/divergence cases.
        """),
    ]
    return cells


# =========================================================================== chapter 4
def ch04():
    slug = "ch04_activations_costs_backprop"
    cells = [
        intro(slug, "", "You will implement the sigmoid and ReLU with their derivatives, the Huber loss "
              "with its gradient, and the chain rule through one neuron."),
        setup(SETUP_CODE),
        md(r"""
        ## Task 1: the sigmoid and its derivative (3 points)

        $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ and $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$. Write
        `sigmoid(z)` and `sigmoid_grad(z)` for arrays of any shape. They must also work for
        $|z|$ in the hundreds or thousands without overflow warnings: $e^{-z}$ overflows for
        $z < -709$. Either evaluate the two cases $z \ge 0$ and $z < 0$ with exponentials of
        non-positive numbers only ($\sigma(z) = e^{z}/(1 + e^{z})$ when $z < 0$), or use
        $\sigma(z) = \tfrac12\,(1 + \tanh(z/2))$.
        """, "task1"),
        answer("sigmoid", r'''
        def sigmoid(z):
            """1 / (1 + exp(-z)), element-wise, without overflow for large |z|."""
            ### BEGIN SOLUTION
            z = np.asarray(z, dtype=float)
            return 0.5 * (1.0 + np.tanh(0.5 * z))
            ### END SOLUTION


        def sigmoid_grad(z):
            """sigma'(z) = sigma(z) (1 - sigma(z)), element-wise."""
            ### BEGIN SOLUTION
            s = sigmoid(z)
            return s * (1.0 - s)
            ### END SOLUTION
        '''),
        tests("test_sigmoid", 2, r'''
        z = np.array([-2.0, 0.0, 1.0, 3.0])
        check_close("sigmoid(z)", sigmoid(z), [0.11920292202211755, 0.5, 0.7310585786300049, 0.9525741268224334])
        check_close("sigmoid_grad(0)", sigmoid_grad(np.array([0.0])), [0.25], hint="sigma'(0) = sigma(0) (1 - sigma(0)) = 1/4.")
        check_close("sigmoid_grad(z)", sigmoid_grad(z), sigmoid(z) * (1 - sigmoid(z)))
        Z = np.arange(6.0).reshape(2, 3) - 2.5
        assert np.shape(sigmoid(Z)) == (2, 3) and np.shape(sigmoid_grad(Z)) == (2, 3), "Keep the shape of z: both functions act element by element."
        print("sigmoid and sigmoid_grad pass the visible tests.")
        ''', "helpers.activations", 401, r'''
        _gc = _il.reload(_il.import_module("helpers.gradcheck"))
        for _ in range(10):
            _shape = tuple(int(k) for k in _rng.integers(1, 5, size=int(_rng.integers(1, 3))))
            _z = _rng.normal(0, 4, size=_shape)
            assert _np.allclose(sigmoid(_z.copy()), _ref.sigmoid(_z), rtol=1e-10, atol=1e-14), "sigmoid differs from the reference"
            assert _np.allclose(sigmoid_grad(_z.copy()), _ref.sigmoid_grad(_z), rtol=1e-8, atol=1e-14), "sigmoid_grad differs from the reference"
        _z = _rng.normal(size=5)
        _num = _gc.numerical_gradient(lambda v: float(_np.sum(_ref.sigmoid(v))), _z.copy())
        assert _np.allclose(sigmoid_grad(_z), _num, atol=1e-8), "sigmoid_grad disagrees with finite differences"
        '''),
        tests("test_sigmoid_extreme", 1, r'''
        import warnings

        z = np.array([-1000.0, -750.0, 0.0, 750.0, 1000.0])
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an overflow warning becomes an error you can read
            try:
                s, ds = sigmoid(z), sigmoid_grad(z)
            except (RuntimeWarning, FloatingPointError) as exc:
                raise AssertionError(
                    f"sigmoid overflowed for |z| in the hundreds ({exc}): 1 / (1 + np.exp(-z)) evaluates exp(1000). "
                    "Use only exponentials of non-positive numbers, or 0.5 * (1 + np.tanh(z / 2))."
                ) from None
        check_close("sigmoid at +-750, +-1000", s, [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-300)
        check_close("sigmoid_grad at +-750, +-1000", ds, [0.0, 0.0, 0.25, 0.0, 0.0], atol=1e-300)
        print("sigmoid and sigmoid_grad handle extreme inputs.")
        ''', "helpers.activations", 402, r'''
        _z = _rng.uniform(-5000, 5000, size=(4, 7))
        with _warnings.catch_warnings():
            _warnings.simplefilter("error")
            _s, _ds = _np.asarray(sigmoid(_z)), _np.asarray(sigmoid_grad(_z))
        assert _np.all(_np.isfinite(_s)) and _np.all(_np.isfinite(_ds)), "nan or inf for large |z|"
        assert _np.allclose(_s, _ref.sigmoid(_z), atol=1e-12) and _np.allclose(_ds, _ref.sigmoid_grad(_z), atol=1e-12)
        '''),
        md(r"""
        ## Task 2: ReLU and its derivative (1 point)

        $\mathrm{relu}(z) = \max(0, z)$, with derivative $1$ for $z > 0$ and $0$ for $z < 0$. At the
        kink $z = 0$ we use the value $0$. Write `relu(z)` and `relu_grad(z)` for arrays of any shape,
        returning float arrays.
        """, "task2"),
        answer("relu", r'''
        def relu(z):
            """max(0, z), element-wise."""
            ### BEGIN SOLUTION
            return np.maximum(np.asarray(z, dtype=float), 0.0)
            ### END SOLUTION


        def relu_grad(z):
            """1.0 where z > 0, else 0.0 (also at z = 0)."""
            ### BEGIN SOLUTION
            return (np.asarray(z) > 0).astype(float)
            ### END SOLUTION
        '''),
        tests("test_relu", 1, r'''
        z = np.array([[-2.0, 0.0, 3.0], [0.5, -0.1, 10.0]])
        check_close("relu(z)", relu(z), [[0.0, 0.0, 3.0], [0.5, 0.0, 10.0]])
        check_close("relu_grad(z)", relu_grad(z), [[0.0, 0.0, 1.0], [1.0, 0.0, 1.0]],
                    hint="The derivative is 1 where z > 0 and 0 elsewhere, including at z = 0.")
        print("relu and relu_grad pass the visible tests.")
        ''', "helpers.activations", 403, r'''
        for _ in range(5):
            _z = _rng.integers(-3, 4, size=(int(_rng.integers(1, 6)), int(_rng.integers(1, 6)))).astype(float) * 0.5
            assert _np.array_equal(_np.asarray(relu(_z.copy()), dtype=float), _ref.relu(_z)), "relu differs from the reference"
            assert _np.array_equal(_np.asarray(relu_grad(_z.copy()), dtype=float), _ref.relu_grad(_z)), "relu_grad differs from the reference"
        '''),
        md(r"""
        ## Task 3: the Huber loss and its gradient (3 points)

        For predictions `pred` and targets `target` of shape $(N, D)$, with residuals
        $r = \text{pred} - \text{target}$ and a threshold $\delta > 0$,

        $$
        h(r) = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\ \delta\,(|r| - \tfrac12\delta) & |r| > \delta \end{cases},
        \qquad L = \frac1N \sum_{n=1}^N \sum_{i=1}^D h(r_{ni}).
        $$

        The derivative is $h'(r) = r$ inside and $\delta\,\mathrm{sign}(r)$ outside, which is
        `np.clip(r, -delta, delta)`. Write `huber_loss(pred, target, delta=1.0)` (a float) and
        `huber_grad(pred, target, delta=1.0)` ($\partial L/\partial\,\text{pred}$, shape $(N, D)$).
        Do not forget that $L$ is a mean over the $N$ rows.
        """, "task3"),
        answer("huber", r'''
        def huber_loss(pred, target, delta=1.0):
            """Mean over rows of the summed Huber loss; pred, target: (N, D) -> float."""
            ### BEGIN SOLUTION
            r = np.abs(pred - target)
            per_entry = np.where(r <= delta, 0.5 * r ** 2, delta * (r - 0.5 * delta))
            return float(per_entry.sum() / pred.shape[0])
            ### END SOLUTION


        def huber_grad(pred, target, delta=1.0):
            """dL/dpred for huber_loss; (N, D) -> (N, D)."""
            ### BEGIN SOLUTION
            return np.clip(pred - target, -delta, delta) / pred.shape[0]
            ### END SOLUTION
        '''),
        tests("test_huber_loss", 1, r'''
        pred = np.array([[0.5, 3.0], [-2.0, 0.0]])
        target = np.zeros((2, 2))
        check_close("huber_loss", huber_loss(pred, target), (0.125 + 2.5 + 1.5 + 0.0) / 2,
                    hint="Entries give 0.125, 2.5, 1.5 and 0 (quadratic inside |r| <= 1, linear outside); L is their sum divided by N = 2 rows.")
        check_close("huber_loss with delta = 3", huber_loss(pred, target, delta=3.0), (0.125 + 4.5 + 2.0) / 2)
        print("huber_loss passes the visible tests.")
        ''', "helpers.losses", 404, r'''
        for _ in range(10):
            _N, _D = int(_rng.integers(1, 8)), int(_rng.integers(1, 5))
            _p, _t, _d = _rng.normal(0, 3, size=(_N, _D)), _rng.normal(size=(_N, _D)), float(_rng.uniform(0.2, 3))
            assert abs(float(huber_loss(_p.copy(), _t.copy(), delta=_d)) - float(_ref.huber(_p, _t, delta=_d))) < 1e-10, "huber_loss differs from the reference"
        '''),
        tests("test_huber_grad", 2, r'''
        pred = np.array([[0.5, 3.0], [-2.0, 0.0]])
        target = np.zeros((2, 2))
        g = np.asarray(huber_grad(pred, target), dtype=float)
        if g.shape == (2, 2) and np.allclose(g, [[0.5, 1.0], [-1.0, 0.0]]):
            raise AssertionError("huber_grad is exactly N = 2 times too large: L is a mean over rows, so divide by N.")
        check_close("huber_grad", g, [[0.25, 0.5], [-0.5, 0.0]],
                    hint="dL/dpred = clip(pred - target, -delta, delta) / N.")
        print("huber_grad passes the visible tests.")
        ''', "helpers.losses", 405, r'''
        _gc = _il.reload(_il.import_module("helpers.gradcheck"))
        for _ in range(10):
            _N, _D = int(_rng.integers(2, 8)), int(_rng.integers(1, 5))
            _p, _t, _d = _rng.normal(0, 3, size=(_N, _D)), _rng.normal(size=(_N, _D)), float(_rng.uniform(0.2, 3))
            _got = _np.asarray(huber_grad(_p.copy(), _t.copy(), delta=_d), dtype=float)
            assert _got.shape == (_N, _D) and _np.allclose(_got, _ref.huber_grad(_p, _t, delta=_d), atol=1e-12), "huber_grad differs from the reference"
            _num = _gc.numerical_gradient(lambda q: float(_ref.huber(q, _t, delta=_d)), _p.copy())
            assert _np.allclose(_got, _num, atol=1e-6), "huber_grad disagrees with finite differences"
        '''),
        md(r"""
        ## Task 4: the chain rule through one neuron (2 points)

        One sigmoid neuron with a squared-error loss:

        $$
        z = x\cdot w + b, \qquad a = \sigma(z), \qquad L = (a - y)^2 .
        $$

        By the chain rule $\dfrac{\partial L}{\partial z} = 2(a - y)\,\sigma'(z)$, and then
        $\dfrac{\partial L}{\partial w} = \dfrac{\partial L}{\partial z}\,x$ and
        $\dfrac{\partial L}{\partial b} = \dfrac{\partial L}{\partial z}$. Write
        `neuron_backward(x, w, b, y)` returning `(dw, db)` for one example ($x$ and
        $w$ of shape $(n,)$). You may use your `sigmoid` and `sigmoid_grad`.
        """, "task4"),
        answer("neuron_backward", r'''
        def neuron_backward(x, w, b, y):
            """Gradient of (sigmoid(x . w + b) - y)^2 with respect to w and b -> (dw, db)."""
            ### BEGIN SOLUTION
            z = x @ w + b
            dz = 2.0 * (sigmoid(z) - y) * sigmoid_grad(z)
            return dz * x, float(dz)
            ### END SOLUTION
        '''),
        tests("test_neuron_backward", 2, r'''
        x, w, b, y = np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.0, 1.0
        dw, db = neuron_backward(x, w, b, y)
        dw = np.asarray(dw, dtype=float)
        if np.allclose(dw, [-1.0, 2.0]):
            raise AssertionError("At z = 0 your dw equals 2 (a - y) x: the factor sigma'(z) = 1/4 is missing from the chain rule.")
        check_close("dw at z = 0", dw, [-0.25, 0.5], hint="dL/dz = 2 (a - y) sigma'(z) = 2 (0.5 - 1) (0.25) = -0.25, and dw = dL/dz * x.")
        check_close("db at z = 0", db, -0.25)
        x = np.array([0.3, -0.7, 1.2])
        w = np.array([0.4, 0.1, -0.5])
        f = lambda v: (sigmoid(x @ v + 0.2) - 0.0) ** 2
        check_close("dw against finite differences", neuron_backward(x, w, 0.2, 0.0)[0], helpers.numerical_gradient(f, w.copy()), rtol=1e-6)
        print("neuron_backward passes the visible tests.")
        ''', "helpers.activations", 406, r'''
        _gc = _il.reload(_il.import_module("helpers.gradcheck"))
        for _ in range(10):
            _n = int(_rng.integers(1, 6))
            _x, _w, _b, _y = _rng.normal(size=_n), _rng.normal(size=_n), float(_rng.normal()), float(_rng.uniform())
            _z = float(_x @ _w + _b)
            _dz = 2 * (float(_ref.sigmoid(_z)) - _y) * float(_ref.sigmoid_grad(_z))
            _dw, _db = neuron_backward(_x.copy(), _w.copy(), _b, _y)
            assert _np.allclose(_np.asarray(_dw, dtype=float), _dz * _x, atol=1e-12), "neuron_backward: wrong dw"
            assert abs(float(_db) - _dz) < 1e-12, "neuron_backward: wrong db"
            _num = _gc.numerical_gradient(lambda v: float((_ref.sigmoid(_x @ v + _b) - _y) ** 2), _w.copy())
            assert _gc.relative_error(_np.asarray(_dw, dtype=float), _num) < 1e-6, "dw disagrees with finite differences"
        '''),
        *written("answer_saturation", 2, "question_saturation", r"""
        ## Task 5: written answer (2 points)

        A sigmoid neuron trained with the squared error above outputs $a \approx 0.001$ for an
        example whose target is $y = 1$: it is confidently wrong. Explain, with the formula for
        $\partial L/\partial z$, why it learns slowly from this example. How does the gradient
        change if the loss is the cross-entropy $L = -y\log a - (1 - y)\log(1 - a)$ instead?
        """, r"""
        $\partial L/\partial z = 2(a - y)\,\sigma'(z) = 2(a - y)\,a(1 - a)$. With $a \approx 0.001$
        the factor $a(1 - a) \approx 0.001$ is tiny (the sigmoid is flat, saturated), so the
        gradient is about $-0.002$ even though the error is almost as large as it can be: the
        weights hardly move. With cross-entropy,
        $\partial L/\partial a = -y/a + (1 - y)/(1 - a)$ and the $a(1 - a)$ cancels:
        $\partial L/\partial z = a - y \approx -1$, so the neuron learns fastest exactly when it
        is most wrong.

        Grading: 1 point for identifying the small factor $\sigma'(z)$, 1 point for
        $\partial L/\partial z = a - y$ with cross-entropy.
        """),
    ]
    return cells


# =========================================================================== chapter 5
def ch05():
    slug = "ch05_matrix_calculus_backprop"
    cells = [
        intro(slug, "", "You will write a dense layer forward and backward, build a Jacobian by finite "
              "differences and see where the transposes come from, and push a batch of gradients "
              "through a batch of Jacobians with `np.einsum`."),
        setup(SETUP_CODE),
        md(r"""
        ## Task 1: the dense layer, forward (1 point)

        For a batch $A^{l-1}$ of shape $(N, n_{in})$, weights $W$ of shape $(n_{in}, n_{out})$ and a
        bias $b$ of shape $(n_{out},)$ the layer computes $Z = A^{l-1}W + b$
        (the bias is added to every row). Write `dense_forward(A_prev, W, b)`.
        """, "task1"),
        answer("dense_forward", r'''
        def dense_forward(A_prev, W, b):
            """Z = A_prev @ W + b; (N, n_in), (n_in, n_out), (n_out,) -> (N, n_out)."""
            ### BEGIN SOLUTION
            return A_prev @ W + b
            ### END SOLUTION
        '''),
        tests("test_dense_forward", 1, r'''
        A_prev = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]])
        W = np.array([[1.0, 2.0], [0.0, 1.0], [-1.0, 0.5]])
        Z = dense_forward(A_prev, W, np.array([0.5, -1.0]))
        assert np.shape(Z) == (2, 2), f"Z should have shape (N, n_out) = (2, 2); got {np.shape(Z)}"
        check_close("dense_forward", Z, [[-0.5, 2.0], [1.5, -0.5]])
        print("dense_forward passes the visible tests.")
        ''', "helpers.layers", 501, r'''
        for _ in range(10):
            _N, _i, _o = (int(k) for k in _rng.integers(1, 7, size=3))
            _A, _W, _b = _rng.normal(size=(_N, _i)), _rng.normal(size=(_i, _o)), _rng.normal(size=_o)
            _got = _np.asarray(dense_forward(_A.copy(), _W.copy(), _b.copy()))
            assert _got.shape == (_N, _o) and _np.allclose(_got, _ref.dense_forward(_A, _W, _b)), "dense_forward differs from the reference"
        '''),
        md(r"""
        ## Task 2: the dense layer, backward (4 points)

        Given $\Delta = \partial L/\partial Z$ of shape $(N, n_{out})$, the gradients are

        $$
        \frac{\partial L}{\partial A^{l-1}} = \Delta\,W^\top, \qquad
        \frac{\partial L}{\partial W} = (A^{l-1})^\top \Delta, \qquad
        \frac{\partial L}{\partial b} = \sum_{n} \Delta_{n,:}.
        $$

        Each gradient has the shape of the quantity it belongs to, which is a quick way to check
        where the transposes go. Write `dense_backward(dZ, A_prev, W)` returning
        `(dA_prev, dW, db)`.
        """, "task2"),
        answer("dense_backward", r'''
        def dense_backward(dZ, A_prev, W):
            """(dA_prev, dW, db) = (dZ W^T, A_prev^T dZ, column sums of dZ)."""
            ### BEGIN SOLUTION
            return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)
            ### END SOLUTION
        '''),
        tests("test_dense_backward_dW_db", 2, r'''
        A_prev = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]])  # N = 2, n_in = 3
        W = np.array([[1.0, 2.0], [0.0, 1.0], [-1.0, 0.5]])      # (3, 2)
        dZ = np.array([[1.0, -1.0], [2.0, 0.5]])                 # (2, 2)
        dA_prev, dW, db = dense_backward(dZ, A_prev, W)
        assert np.shape(dW) == (3, 2), (f"dW must have the shape of W, (n_in, n_out) = (3, 2); got {np.shape(dW)}. "
                                        "(A_prev)^T dZ is (3, 2) @ ... : check which factor is transposed.")
        check_close("dW", dW, [[1.0, -1.0], [2.0, 0.5], [0.0, -2.5]], hint="dW = A_prev.T @ dZ.")
        assert np.shape(db) == (2,), f"db must have the shape of b, (n_out,) = (2,); got {np.shape(db)}"
        check_close("db", db, [3.0, -0.5], hint="b is added to every row, so db sums dZ over the rows (axis 0), it does not average.")
        print("dW and db pass the visible tests.")
        ''', "helpers.layers", 502, r'''
        _gc = _il.reload(_il.import_module("helpers.gradcheck"))
        for _ in range(10):
            _N, _i, _o = 2 + int(_rng.integers(0, 5)), 1 + int(_rng.integers(0, 5)), 1 + int(_rng.integers(0, 5))
            _A, _W, _dZ = _rng.normal(size=(_N, _i)), _rng.normal(size=(_i, _o)), _rng.normal(size=(_N, _o))
            _rA, _rW, _rb = _ref.dense_backward(_dZ, _A, _W)
            _gA, _gW, _gb = dense_backward(_dZ.copy(), _A.copy(), _W.copy())
            assert _np.shape(_gW) == _rW.shape and _np.allclose(_gW, _rW), "dense_backward: wrong dW"
            assert _np.shape(_gb) == _rb.shape and _np.allclose(_gb, _rb), "dense_backward: wrong db"
        _A, _W, _b, _G = _rng.normal(size=(4, 3)), _rng.normal(size=(3, 2)), _rng.normal(size=2), _rng.normal(size=(4, 2))
        _num = _gc.numerical_gradient(lambda M: float(_np.sum(_G * (_A @ M + _b))), _W.copy())
        assert _np.allclose(dense_backward(_G, _A, _W)[1], _num, atol=1e-7), "dW disagrees with finite differences"
        '''),
        tests("test_dense_backward_dA_prev", 2, r'''
        A_prev = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]])
        W = np.array([[1.0, 2.0], [0.0, 1.0], [-1.0, 0.5]])
        dZ = np.array([[1.0, -1.0], [2.0, 0.5]])
        dA_prev = dense_backward(dZ, A_prev, W)[0]
        assert np.shape(dA_prev) == (2, 3), (f"dA_prev must have the shape of A_prev, (N, n_in) = (2, 3); got {np.shape(dA_prev)}. "
                                             "dZ is (2, 2) and W is (3, 2): only dZ @ W.T gives (2, 3).")
        check_close("dA_prev", dA_prev, [[-1.0, -1.0, -1.5], [3.0, 0.5, -1.75]], hint="dA_prev = dZ @ W.T.")
        print("dA_prev passes the visible tests.")
        ''', "helpers.layers", 503, r'''
        for _ in range(10):
            _N = 2 + int(_rng.integers(0, 5))
            _i = 2 + int(_rng.integers(0, 5))
            _o = _i if _rng.uniform() < 0.5 else 1 + int(_rng.integers(0, 5))  # square W too: a transpose must not slip through
            _A, _W, _dZ = _rng.normal(size=(_N, _i)), _rng.normal(size=(_i, _o)), _rng.normal(size=(_N, _o))
            _rA = _ref.dense_backward(_dZ, _A, _W)[0]
            _gA = dense_backward(_dZ.copy(), _A.copy(), _W.copy())[0]
            assert _np.shape(_gA) == _rA.shape and _np.allclose(_gA, _rA), "dense_backward: wrong dA_prev"
        '''),
        md(r"""
        ## Task 3: a Jacobian by finite differences (2 points)

        For a function $f$ from $\mathbb{R}^n$ to $\mathbb{R}^m$ the Jacobian has entries
        $J_{ij} = \partial f_i / \partial z_j$: one row per output, one column per input, shape
        $(m, n)$. Write `numerical_jacobian(f, z, eps=1e-6)` for a 1-D array `z`, filling column
        $j$ with the central difference $(f(z + \varepsilon e_j) - f(z - \varepsilon e_j))/(2\varepsilon)$.

        Try it on the row-vector layer $f(z) = zW$: since
        $f_i = \sum_k z_k W_{ki}$, its Jacobian is $W^\top$, and this is where the transpose in
        $\Delta W^\top$ comes from.
        """, "task3"),
        answer("numerical_jacobian", r'''
        def numerical_jacobian(f, z, eps=1e-6):
            """J[i, j] = d f_i / d z_j by central differences; z: (n,), f(z): (m,) -> (m, n)."""
            ### BEGIN SOLUTION
            z = np.array(z, dtype=float)
            columns = []
            for j in range(z.size):
                e = np.zeros_like(z)
                e[j] = eps
                columns.append((np.asarray(f(z + e)) - np.asarray(f(z - e))) / (2 * eps))
            return np.stack(columns, axis=1)
            ### END SOLUTION
        '''),
        tests("test_numerical_jacobian", 2, r'''
        W = np.array([[1.0, 2.0, 0.0], [-1.0, 0.5, 3.0]])  # maps (2,) -> (3,)
        J = np.asarray(numerical_jacobian(lambda v: v @ W, np.array([0.3, -0.2])))
        assert J.shape == (3, 2), f"f maps 2 inputs to 3 outputs, so J has shape (3, 2), one row per output; got {J.shape}"
        check_close("Jacobian of z -> z @ W", J, W.T, rtol=1e-6, atol=1e-8,
                    hint="J[i, j] = d f_i / d z_j: column j holds the change of every output when z_j moves.")
        z = np.array([-1.0, 0.0, 2.0])
        J = np.asarray(numerical_jacobian(helpers.sigmoid, z))
        check_close("Jacobian of the element-wise sigmoid", J, np.diag(helpers.sigmoid_grad(z)), rtol=1e-6, atol=1e-9,
                    hint="An element-wise function has a diagonal Jacobian with f'(z_i) on the diagonal.")
        print("numerical_jacobian passes the visible tests.")
        ''', "helpers.softmax", 504, r'''
        for _ in range(5):
            _n, _m = int(_rng.integers(1, 6)), int(_rng.integers(1, 6))
            _W, _z = _rng.normal(size=(_n, _m)), _rng.normal(size=_n)
            _J = _np.asarray(numerical_jacobian(lambda v: v @ _W, _z.copy()))
            assert _J.shape == (_m, _n) and _np.allclose(_J, _W.T, atol=1e-7), "numerical_jacobian: wrong Jacobian of z @ W"
            _C = int(_rng.integers(2, 6))
            _z = _rng.normal(size=_C)
            _J = _np.asarray(numerical_jacobian(lambda v: _ref.softmax(v), _z.copy()))
            assert _np.allclose(_J, _ref.softmax_jacobian(_z), atol=1e-8), "numerical_jacobian: wrong Jacobian of softmax"
        '''),
        md(r"""
        ## Task 4: many Jacobians at once with `einsum` (2 points)

        In a batch, each example $n$ has its own Jacobian $J_n$ of shape $(m, k)$, stacked into an
        array `J` of shape $(N, m, k)$, and its own upstream gradient $g_n$ (a row of `G`,
        shape $(N, m)$). The vector chain rule gives each example's gradient as the row vector
        $g_n J_n$, that is $\sum_i G_{ni} J_{nij}$. Write `batched_vjp(G, J)` returning the
        $(N, k)$ array of these rows, in one call to `np.einsum` (no Python loop).
        """, "task4"),
        answer("batched_vjp", r'''
        def batched_vjp(G, J):
            """Row n is G[n] @ J[n]; G: (N, m), J: (N, m, k) -> (N, k)."""
            ### BEGIN SOLUTION
            return np.einsum("ni,nij->nj", G, J)
            ### END SOLUTION
        '''),
        tests("test_batched_vjp", 2, r'''
        G = np.array([[1.0, 2.0], [0.0, -1.0]])                       # N = 2, m = 2
        J = np.array([[[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]],
                      [[3.0, 1.0, 0.0], [1.0, -1.0, 2.0]]])          # (2, 2, 3)
        out = np.asarray(batched_vjp(G, J))
        assert out.shape == (2, 3), f"expected shape (N, k) = (2, 3); got {out.shape}"
        check_close("batched_vjp", out, [[1.0, 2.0, 4.0], [-1.0, 1.0, -2.0]],
                    hint="Row n is G[n] @ J[n]: sum over the middle index i of J, as in 'ni,nij->nj'.")
        print("batched_vjp passes the visible tests.")
        ''', "helpers.softmax", 505, r'''
        for _ in range(5):
            _N, _C = int(_rng.integers(1, 6)), int(_rng.integers(2, 6))
            _Z, _G = _rng.normal(size=(_N, _C)), _rng.normal(size=(_N, _C))
            _J = _ref.softmax_jacobian(_Z)  # (N, C, C), symmetric: add a non-symmetric part
            _J = _J + _np.triu(_rng.normal(size=(_C, _C)))[None]
            _want = _np.stack([_G[_n] @ _J[_n] for _n in range(_N)])
            _got = _np.asarray(batched_vjp(_G.copy(), _J.copy()))
            assert _got.shape == _want.shape and _np.allclose(_got, _want), "batched_vjp: wrong result (check which index of J is summed)"
            _m, _k = int(_rng.integers(1, 5)), int(_rng.integers(1, 5))
            _G2, _J2 = _rng.normal(size=(_N, _m)), _rng.normal(size=(_N, _m, _k))
            assert _np.allclose(batched_vjp(_G2, _J2), _np.einsum("ni,nij->nj", _G2, _J2)), "batched_vjp: wrong result for rectangular Jacobians"
        '''),
        *written("answer_hadamard", 2, "question_hadamard", r"""
        ## Task 5: written answer (2 points)

        Why is the Jacobian of an element-wise activation $A = f(Z)$ (for one example,
        $a_i = f(z_i)$) a diagonal matrix? Explain why this lets backpropagation write
        $\partial L/\partial Z = \partial L/\partial A \odot f'(Z)$ instead of multiplying by a
        Jacobian matrix, and why that matters for speed.
        """, r"""
        $a_i$ depends only on $z_i$, so $\partial a_i/\partial z_j = 0$ for $i \neq j$ and
        $f'(z_i)$ for $i = j$: the Jacobian is $\mathrm{diag}(f'(z))$. Multiplying a row
        vector by a diagonal matrix scales each entry by the matching diagonal entry, which is the
        element-wise product $g \odot f'(z)$; for a batch the same holds row by
        row. This costs $O(n)$ per example instead of building an $n \times n$ matrix and
        multiplying by it ($O(n^2)$), and it never stores the zeros.

        Grading: 1 point for the diagonal with the reason, 1 point for the equivalence with $\odot$
        and the cost.
        """),
    ]
    return cells


# =========================================================================== chapter 6
NET_DEF = r"""
The network of this notebook is the one of the chapter: one hidden layer of sigmoid units and
sigmoid outputs read as probabilities, trained on the binary cross-entropy averaged over the $N$
rows. Written through the logits $Z^2$, which is exact and cannot overflow,

$$
Z^1 = X W^1 + b^1,\quad A^1 = \sigma(Z^1),\quad Z^2 = A^1 W^2 + b^2,\quad P = \sigma(Z^2),\quad
L = \frac1N \sum_{n=1}^N \sum_k \left[\log\left(1 + e^{Z^2_{nk}}\right) - Y_{nk} Z^2_{nk}\right] .
$$

`Y` holds 0/1 targets of shape $(N, n_2)$; with one output unit, as in the chapter, `Y = y[:, None]`.
Parameters live in a dict `params` with keys `"W1"` $(n_0, n_1)$, `"b1"` $(n_1,)$, `"W2"`
$(n_1, n_2)$ and `"b2"` $(n_2,)$. The setup cell defines `sigmoid`, `sigmoid_grad`,
`bce_loss(Z2, Y)` (the loss $L$ above) and `make_params` for you.
"""


def ch06():
    slug = "ch06_a_simple_network"
    setup_code = SETUP_CODE + r'''

from helpers import sigmoid, sigmoid_grad


def bce_loss(Z2, Y):
    """Mean binary cross-entropy from the logits: (1/N) sum of log(1 + exp(Z2)) - Y * Z2."""
    return float(np.mean(np.sum(np.logaddexp(0.0, Z2) - Y * Z2, axis=1)))


def make_params(sizes=(2, 3, 1), seed=0):
    """Small random parameters for a network with layer sizes (n0, n1, n2)."""
    rng = np.random.default_rng(seed)
    n0, n1, n2 = sizes
    return {"W1": rng.normal(size=(n0, n1)) / np.sqrt(n0), "b1": np.zeros(n1),
            "W2": rng.normal(size=(n1, n2)) / np.sqrt(n1), "b2": np.zeros(n2)}
'''
    hidden_loss = r'''
        def _loss(_p, _X, _Y):
            _A1 = _act.sigmoid(_X @ _p["W1"] + _p["b1"])
            _Z2 = _A1 @ _p["W2"] + _p["b2"]
            return float(_np.mean(_np.sum(_np.logaddexp(0.0, _Z2) - _Y * _Z2, axis=1)))
    '''
    cells = [
        intro(slug, "", "You will assemble the two-layer sigmoid network of the chapter: the forward "
              "pass, the delta recursion that carries the error back one layer, the gradients of "
              "every parameter (checked against finite differences) and one training step."),
        setup(setup_code),
        md(NET_DEF, "network"),
        md(r"""
        ## Task 1: the forward pass (1 point)

        Write `forward(params, X)` returning the tuple `(Z1, A1, Z2, P)`; the backward pass will
        need all four.
        """, "task1"),
        answer("forward", r'''
        def forward(params, X):
            """Forward pass of the two-layer sigmoid network -> (Z1, A1, Z2, P)."""
            ### BEGIN SOLUTION
            Z1 = X @ params["W1"] + params["b1"]  # (N, n0) @ (n0, n1) -> (N, n1)
            A1 = sigmoid(Z1)
            Z2 = A1 @ params["W2"] + params["b2"]  # (N, n1) @ (n1, n2) -> (N, n2)
            return Z1, A1, Z2, sigmoid(Z2)
            ### END SOLUTION
        '''),
        tests("test_forward", 1, r'''
        params = {"W1": np.array([[1.0, -1.0], [0.0, 2.0]]), "b1": np.array([0.0, 1.0]),
                  "W2": np.array([[1.0], [1.0]]), "b2": np.array([-1.0])}
        Z1, A1, Z2, P = forward(params, np.array([[1.0, 0.0], [0.0, 0.0]]))
        check_close("Z1", Z1, [[1.0, 0.0], [0.0, 1.0]])
        check_close("A1", A1, sigmoid(np.array([[1.0, 0.0], [0.0, 1.0]])))
        check_close("Z2", Z2, [[sigmoid(1.0) + 0.5 - 1.0], [0.5 + sigmoid(1.0) - 1.0]],
                    hint="Z2 = A1 @ W2 + b2 uses the activations A1, not Z1.")
        check_close("P", P, sigmoid(Z2))
        print("forward passes the visible tests.")
        ''', "helpers.layers", 601, r'''
        _act = _il.reload(_il.import_module("helpers.activations"))
        for _ in range(5):
            _sizes = tuple(int(k) for k in _rng.integers(1, 6, size=3))
            _N = int(_rng.integers(1, 8))
            _p = make_params(_sizes, seed=int(_rng.integers(1000)))
            _X = _rng.normal(size=(_N, _sizes[0]))
            _c = forward({k: v.copy() for k, v in _p.items()}, _X.copy())
            _Z1 = _ref.dense_forward(_X, _p["W1"], _p["b1"])
            _Z2 = _ref.dense_forward(_act.sigmoid(_Z1), _p["W2"], _p["b2"])
            assert len(_c) == 4, "forward must return (Z1, A1, Z2, P)"
            assert _np.allclose(_c[0], _Z1) and _np.allclose(_c[2], _Z2), "forward: wrong Z1 or Z2"
            assert _np.allclose(_c[1], _act.sigmoid(_Z1)) and _np.allclose(_c[3], _act.sigmoid(_Z2)), "forward: wrong A1 or P"
        '''),
        md(r"""
        ## Task 2: the delta recursion (2 points)

        If $\Delta^l = \partial L/\partial Z^l$ is known, the error one layer down is

        $$
        \Delta^{l-1} = \left(\Delta^l\,(W^l)^\top\right) \odot \sigma'(Z^{l-1}).
        $$

        The product with $(W^l)^\top$ carries the error back to the activations $A^{l-1}$; the
        element-wise factor $\sigma'(Z^{l-1})$ carries it through the activation function. Write
        `delta_recursion(dZ, W, Z_prev)` returning $\Delta^{l-1}$, shape $(N, n_{l-1})$.
        """, "task2"),
        answer("delta_recursion", r'''
        def delta_recursion(dZ, W, Z_prev):
            """(dZ @ W.T) * sigma'(Z_prev); dZ: (N, n_l), W: (n_{l-1}, n_l), Z_prev: (N, n_{l-1})."""
            ### BEGIN SOLUTION
            return (dZ @ W.T) * sigmoid_grad(Z_prev)
            ### END SOLUTION
        '''),
        tests("test_delta_recursion", 2, r'''
        dZ = np.array([[1.0, -2.0]])               # (N, n_l) = (1, 2)
        W = np.array([[1.0, 0.5], [2.0, -1.0], [0.0, 1.0]])  # (n_{l-1}, n_l) = (3, 2)
        Z_prev = np.zeros((1, 3))                  # sigma'(0) = 1/4 everywhere
        got = np.asarray(delta_recursion(dZ, W, Z_prev), dtype=float)
        assert got.shape == (1, 3), f"The result has the shape of Z_prev, (1, 3); got {got.shape}. Use dZ @ W.T."
        if np.allclose(got, [[0.0, 4.0, -2.0]]):
            raise AssertionError("Your result is dZ @ W.T without the factor sigma'(Z_prev) (1/4 here): the error must also pass through the activation.")
        check_close("delta_recursion", got, [[0.0, 1.0, -0.5]], hint="(dZ @ W.T) * sigmoid_grad(Z_prev): a matrix product, then an element-wise product.")
        print("delta_recursion passes the visible tests.")
        ''', "helpers.layers", 602, r'''
        _act = _il.reload(_il.import_module("helpers.activations"))
        for _ in range(10):
            _N, _a = 1 + int(_rng.integers(0, 6)), 1 + int(_rng.integers(0, 6))
            _o = _a if _rng.uniform() < 0.4 else 1 + int(_rng.integers(0, 6))
            _dZ, _W, _Zp = _rng.normal(size=(_N, _o)), _rng.normal(size=(_a, _o)), _rng.normal(0, 2, size=(_N, _a))
            _want = _ref.dense_backward(_dZ, _rng.normal(size=(_N, _a)), _W)[0] * _act.sigmoid_grad(_Zp)
            _got = _np.asarray(delta_recursion(_dZ.copy(), _W.copy(), _Zp.copy()))
            assert _got.shape == _want.shape and _np.allclose(_got, _want), "delta_recursion differs from (dZ W^T) * sigma'(Z_prev)"
        '''),
        md(r"""
        ## Task 3: all the gradients (4 points)

        Write `backward(params, X, Y, cache)`, where `cache` is what `forward(params, X)` returned,
        giving a dict with `"W1"`, `"b1"`, `"W2"`, `"b2"`: the gradients of $L$, each with the
        shape of its parameter. The output layer starts from $\Delta^2 = \tfrac1N (P - Y)$ (the
        $\sigma'$ of the output cancels against the derivative of the logarithm, and the
        $\tfrac1N$ comes from the mean); then
        $\partial L/\partial W^2 = (A^1)^\top\Delta^2$, $\partial L/\partial b^2 = \sum_n \Delta^2_{n,:}$,
        and the same one layer down with $\Delta^1$ from `delta_recursion` and $A^0 = X$.
        """, "task3"),
        answer("backward", r'''
        def backward(params, X, Y, cache):
            """Gradients of the mean binary cross-entropy -> dict with W1, b1, W2, b2."""
            ### BEGIN SOLUTION
            Z1, A1, Z2, P = cache
            dZ2 = (P - Y) / X.shape[0]                 # (N, n2)
            dZ1 = delta_recursion(dZ2, params["W2"], Z1)  # (N, n1)
            return {"W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0),
                    "W1": X.T @ dZ1, "b1": dZ1.sum(axis=0)}
            ### END SOLUTION
        '''),
        tests("test_backward_output_layer", 2, r'''
        def loss(params, X, Y):
            return bce_loss(forward(params, X)[2], Y)

        rng = np.random.default_rng(0)
        X, Y = rng.normal(size=(5, 2)), rng.integers(0, 2, size=(5, 1)).astype(float)
        params = make_params((2, 3, 1), seed=1)
        grads = backward(params, X, Y, forward(params, X))
        for name in ("W2", "b2"):
            num = helpers.numerical_gradient(lambda _: loss(params, X, Y), params[name])
            got = np.asarray(grads[name], dtype=float)
            assert got.shape == num.shape, f"grads['{name}'] must have the shape of params['{name}'], {num.shape}; got {got.shape}"
            if np.allclose(got, 5 * num, rtol=1e-5):
                raise AssertionError(f"grads['{name}'] is N = 5 times too large: the loss is a mean over the rows, so Delta2 = (P - Y) / N.")
            err = helpers.relative_error(got, num)
            print(f"{name}: relative error against finite differences {err:.1e} (expect below 1e-6)")
            assert err < 1e-6, f"grads['{name}'] disagrees with finite differences"
        print("The output-layer gradients pass the visible tests.")
        ''', "helpers.gradcheck", 603, hidden_loss + r'''
        _act = _il.reload(_il.import_module("helpers.activations"))
        for _ in range(3):
            _sizes = tuple(int(k) for k in _rng.integers(2, 5, size=3))
            _N = int(_rng.integers(2, 7))
            _p = make_params(_sizes, seed=int(_rng.integers(1000)))
            _X, _Y = _rng.normal(size=(_N, _sizes[0])), _rng.integers(0, 2, size=(_N, _sizes[2])).astype(float)
            _g = backward({k: v.copy() for k, v in _p.items()}, _X.copy(), _Y.copy(), forward(_p, _X))
            for _name in ("W2", "b2"):
                _num = _ref.numerical_gradient(lambda _: _loss(_p, _X, _Y), _p[_name])
                assert _np.shape(_g[_name]) == _num.shape and _ref.relative_error(_np.asarray(_g[_name], dtype=float), _num) < 1e-6, f"wrong gradient of {_name}"
        '''),
        tests("test_backward_hidden_layer", 2, r'''
        def loss(params, X, Y):
            return bce_loss(forward(params, X)[2], Y)

        rng = np.random.default_rng(1)
        X, Y = rng.normal(size=(4, 3)), rng.integers(0, 2, size=(4, 2)).astype(float)
        params = make_params((3, 5, 2), seed=2)
        grads = backward(params, X, Y, forward(params, X))
        for name in ("W1", "b1"):
            num = helpers.numerical_gradient(lambda _: loss(params, X, Y), params[name])
            got = np.asarray(grads[name], dtype=float)
            assert got.shape == num.shape, f"grads['{name}'] must have the shape of params['{name}'], {num.shape}; got {got.shape}"
            err = helpers.relative_error(got, num)
            print(f"{name}: relative error against finite differences {err:.1e} (expect below 1e-6)")
            assert err < 1e-6, (f"grads['{name}'] disagrees with finite differences. If W2 and b2 are right, look at the delta "
                                "recursion: Delta1 = (Delta2 @ W2.T) * sigma'(Z1).")
        print("The hidden-layer gradients pass the visible tests.")
        ''', "helpers.gradcheck", 604, hidden_loss + r'''
        _act = _il.reload(_il.import_module("helpers.activations"))
        for _ in range(3):
            _sizes = tuple(int(k) for k in _rng.integers(2, 5, size=3))
            _N = int(_rng.integers(2, 7))
            _p = make_params(_sizes, seed=int(_rng.integers(1000)))
            _X, _Y = _rng.normal(size=(_N, _sizes[0])), _rng.integers(0, 2, size=(_N, _sizes[2])).astype(float)
            _g = backward({k: v.copy() for k, v in _p.items()}, _X.copy(), _Y.copy(), forward(_p, _X))
            for _name in ("W1", "b1"):
                _num = _ref.numerical_gradient(lambda _: _loss(_p, _X, _Y), _p[_name])
                assert _np.shape(_g[_name]) == _num.shape and _ref.relative_error(_np.asarray(_g[_name], dtype=float), _num) < 1e-6, f"wrong gradient of {_name}"
        '''),
        md(r"""
        ## Task 4: one training step (1 point)

        Write `train_step(params, X, Y, lr)`: run the forward pass, compute the loss with
        `bce_loss` and the gradients with `backward`, then update every parameter **in place**
        (`params["W1"] -= lr * grads["W1"]`, and so on), and return the loss *before* the update.
        """, "task4"),
        answer("train_step", r'''
        def train_step(params, X, Y, lr):
            """One gradient-descent step in place; returns the loss before the step."""
            ### BEGIN SOLUTION
            cache = forward(params, X)
            loss = bce_loss(cache[2], Y)
            grads = backward(params, X, Y, cache)
            for name in params:
                params[name] -= lr * grads[name]
            return loss
            ### END SOLUTION
        '''),
        tests("test_train_step", 1, r'''
        from helpers.data import xor

        X, y = xor(n=40, seed=0)
        Y = y[:, None].astype(float)
        params = make_params((2, 4, 1), seed=3)
        W1_before = params["W1"].copy()
        losses = [train_step(params, X, Y, lr=2.0) for _ in range(300)]
        assert not np.allclose(params["W1"], W1_before), "params['W1'] did not change: update the arrays in the dict in place."
        print(f"loss: first {losses[0]:.4f}, last {losses[-1]:.4f}")
        assert losses[-1] < 0.5 * losses[0], "The loss should at least halve in 300 steps on XOR with lr = 2."
        print("train_step passes the visible tests.")
        ''', "helpers.activations", 605, r'''
        for _ in range(3):
            _sizes = tuple(int(k) for k in _rng.integers(2, 5, size=3))
            _N = int(_rng.integers(2, 9))
            _p = make_params(_sizes, seed=int(_rng.integers(1000)))
            _X, _lr = _rng.normal(size=(_N, _sizes[0])), float(_rng.uniform(0.1, 1))
            _Y = _rng.integers(0, 2, size=(_N, _sizes[2])).astype(float)
            _Z1 = _X @ _p["W1"] + _p["b1"]
            _A1 = _ref.sigmoid(_Z1)
            _Z2 = _A1 @ _p["W2"] + _p["b2"]
            _want_loss = float(_np.mean(_np.sum(_np.logaddexp(0.0, _Z2) - _Y * _Z2, axis=1)))
            _d2 = (_ref.sigmoid(_Z2) - _Y) / _N
            _d1 = (_d2 @ _p["W2"].T) * _ref.sigmoid_grad(_Z1)
            _new = {"W1": _p["W1"] - _lr * _X.T @ _d1, "b1": _p["b1"] - _lr * _d1.sum(0),
                    "W2": _p["W2"] - _lr * _A1.T @ _d2, "b2": _p["b2"] - _lr * _d2.sum(0)}
            _got_loss = train_step(_p, _X, _Y, _lr)
            assert abs(float(_got_loss) - _want_loss) < 1e-10, "train_step: wrong loss (it must be the loss before the step)"
            for _k in _new:
                assert _np.allclose(_p[_k], _new[_k], atol=1e-10), f"train_step: wrong update of {_k}"
        '''),
        *written("answer_symmetry", 2, "question_symmetry", r"""
        ## Task 5: written answer (2 points)

        Suppose every weight starts at the same value (for example 0) and every bias at 0. What do
        the hidden units compute, what gradients do they receive, and why does training never make
        them different? How does random initialisation fix this?
        """, r"""
        With equal weights every hidden unit computes the same $Z^1$ column and the same
        activation, so the columns of $\Delta^1 = (\Delta^2 (W^2)^\top)\odot\sigma'(Z^1)$ are equal
        too (the rows of $W^2$ are equal), and every hidden unit's column of $\partial L/\partial W^1$
        is the same. Each step therefore changes all units by the same amount and they stay copies
        of one another: the layer behaves like a single unit. (With all weights exactly 0,
        $\Delta^1 = 0$ and $W^1$ does not move at all at first.) Random initial weights make the
        units different from the start, so they receive different gradients and learn different
        features.

        Grading: 1 point for "same outputs, same gradients, stay equal", 1 point for the role of
        random initialisation (symmetry breaking).
        """),
    ]
    return cells


# =========================================================================== chapter 7
def ch07():
    slug = "ch07_softmax_cross_entropy"
    cells = [
        intro(slug, "", "You will write a softmax that does not overflow, its full Jacobian, the "
              "cross-entropy computed from logits through log-sum-exp, and its gradient "
              "$\\partial L/\\partial Z = (P - Y)/N$, for integer labels and for rows of probabilities."),
        setup(SETUP_CODE),
        md(r"""
        ## Task 1: a softmax that does not overflow (4 points)

        $p_i = \dfrac{e^{z_i}}{\sum_j e^{z_j}}$. Computed as written, $e^{1000}$ overflows to `inf`
        and the result is `nan`. Subtracting $m = \max_j z_j$ from every logit multiplies numerator
        and denominator by $e^{-m}$, so the value is unchanged while the largest exponent becomes
        $e^0 = 1$:

        $$
        p_i = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}} .
        $$

        Write `softmax(Z)` for one example (shape $(C,)$) or a batch (shape $(N, C)$, one softmax
        per row). Use `axis=-1` and `keepdims=True`, which handle both shapes.
        """, "task1"),
        answer("softmax", r'''
        def softmax(Z):
            """Softmax along the last axis, stable for any finite logits; (C,) or (N, C)."""
            ### BEGIN SOLUTION
            Z = np.asarray(Z, dtype=float)
            E = np.exp(Z - Z.max(axis=-1, keepdims=True))
            return E / E.sum(axis=-1, keepdims=True)
            ### END SOLUTION
        '''),
        tests("test_softmax", 2, r'''
        z = np.array([1.0, 2.0, 3.0])
        check_close("softmax([1, 2, 3])", softmax(z), [0.09003057317038046, 0.24472847105479764, 0.6652409557748219])
        Z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
        P = np.asarray(softmax(Z))
        assert P.shape == (2, 3), f"softmax of a (2, 3) batch must have shape (2, 3); got {P.shape}"
        check_close("row sums of softmax(Z)", P.sum(axis=1), [1.0, 1.0],
                    hint="Each row is one example: normalise along the last axis (axis=-1, keepdims=True), not over the whole array.")
        check_close("softmax(Z) second row", P[1], [1 / 3, 1 / 3, 1 / 3])
        check_close("softmax(z + 100)", softmax(z + 100.0), softmax(z), hint="Adding a constant to every logit does not change softmax.")
        print("softmax passes the visible tests.")
        ''', "helpers.softmax", 701, r'''
        for _ in range(20):
            _shape = (int(_rng.integers(2, 12)),) if _rng.uniform() < 0.3 else (int(_rng.integers(1, 9)), int(_rng.integers(2, 12)))
            _Z = _rng.normal(0, 5, size=_shape)
            _got = _np.asarray(softmax(_Z.copy()), dtype=float)
            assert _got.shape == _shape, f"softmax returned shape {_got.shape} for logits of shape {_shape}"
            assert _np.allclose(_got, _ref.softmax(_Z, axis=-1), rtol=1e-10, atol=1e-14), "softmax differs from the reference"
        '''),
        tests("test_softmax_extreme", 2, r'''
        import warnings

        Z = np.array([[1000.0, 2000.0, 3000.0], [-3000.0, -2000.0, -1000.0], [5000.0, 5000.0, -5000.0]])
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an overflow warning becomes an error you can read
            try:
                P = softmax(Z)
            except (RuntimeWarning, FloatingPointError) as exc:
                raise AssertionError(f"softmax overflowed on logits in the thousands ({exc}). "
                                     "Subtract each row's maximum before calling np.exp.") from None
        check_close("softmax of logits in the thousands", P, [[0.0, 0.0, 1.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]], atol=1e-300,
                    hint="With the maximum subtracted, the largest exponent is exp(0) = 1 and nothing overflows.")
        print("softmax handles logits in the thousands.")
        ''', "helpers.softmax", 702, r'''
        for _ in range(10):
            _Z = _rng.normal(0, 1, size=(int(_rng.integers(1, 6)), int(_rng.integers(2, 8)))) * 10.0 ** _rng.uniform(2, 4)
            _Z += _rng.choice([-1, 1]) * _rng.uniform(500, 5000)
            with _warnings.catch_warnings():
                _warnings.simplefilter("error")
                _got = _np.asarray(softmax(_Z.copy()), dtype=float)
            assert _np.all(_np.isfinite(_got)), "softmax returned nan or inf for large logits"
            assert _np.allclose(_got, _ref.softmax(_Z), atol=1e-12), "softmax differs from the reference on large logits"
        '''),
        md(r"""
        ## Task 2: the softmax Jacobian (2 points)

        Every $p_i$ depends on every logit through the sum in the denominator. Differentiating,

        $$
        \frac{\partial p_i}{\partial z_j} = p_i\,(\delta_{ij} - p_j) =
        \begin{cases} p_i (1 - p_i) & i = j \\ -p_i\,p_j & i \neq j \end{cases},
        \qquad J = \mathrm{diag}(p) - p^\top p
        $$

        (with $p$ a row vector, $p^\top p$ is the $C\times C$ outer
        product). Write `softmax_jacobian(z)` for one example $z$ of shape $(C,)$, returning the
        $(C, C)$ matrix. `np.outer` and `np.diag` help.
        """, "task2"),
        answer("softmax_jacobian", r'''
        def softmax_jacobian(z):
            """J[i, j] = dp_i/dz_j = p_i (delta_ij - p_j); z: (C,) -> (C, C)."""
            ### BEGIN SOLUTION
            p = softmax(z)
            return np.diag(p) - np.outer(p, p)
            ### END SOLUTION
        '''),
        tests("test_softmax_jacobian", 2, r'''
        z = np.array([1.0, 2.0, 0.5])
        J = np.asarray(softmax_jacobian(z), dtype=float)
        assert J.shape == (3, 3), f"The Jacobian of a softmax over 3 classes is (3, 3); got {J.shape}"
        off_diagonal = J[~np.eye(3, dtype=bool)]
        assert not np.allclose(off_diagonal, 0.0), (
            "All off-diagonal entries are 0: this is the diagonal-only mistake. Moving z_j changes the denominator "
            "of every p_i, so dp_i/dz_j = -p_i p_j for i != j.")
        check_close("row sums of J", J.sum(axis=1), np.zeros(3), atol=1e-12,
                    hint="The probabilities always sum to 1, so their changes sum to 0: each row of J sums to 0.")
        numerical = np.stack([helpers.numerical_gradient(lambda v: softmax(v)[i], z.copy()) for i in range(3)])
        err = helpers.relative_error(J, numerical)
        print(f"relative error against finite differences: {err:.1e} (expect below 1e-7)")
        check_close("softmax_jacobian(z)", J, numerical, rtol=1e-6, atol=1e-9)
        print("softmax_jacobian passes the visible tests.")
        ''', "helpers.softmax", 703, r'''
        for _ in range(15):
            _C = int(_rng.integers(2, 10))
            _z = _rng.normal(0, 3, size=_C) + (_rng.uniform(-2000, 2000) if _rng.uniform() < 0.3 else 0.0)
            with _warnings.catch_warnings():
                _warnings.simplefilter("error")
                _J = _np.asarray(softmax_jacobian(_z.copy()), dtype=float)
            assert _J.shape == (_C, _C) and _np.allclose(_J, _ref.softmax_jacobian(_z), atol=1e-12), "softmax_jacobian differs from diag(p) - p p^T"
        '''),
        md(r"""
        ## Task 3: cross-entropy from logits (4 points)

        For one example with logits $z$ and a target row $y$ of probabilities
        (one-hot or soft), $L = -\sum_i y_i \log p_i$. Never take the log of a softmax that has
        underflowed to 0; use $\log p_i = z_i - \mathrm{logsumexp}(z)$ with
        $\mathrm{logsumexp}(z) = m + \log\sum_j e^{z_j - m}$. Then

        $$
        L = \mathrm{logsumexp}(z)\sum_i y_i - \sum_i y_i z_i,
        $$

        and for an integer label $y$ this is $\mathrm{logsumexp}(z) - z_y$.

        Write `logsumexp(Z)` (along the last axis, shape $(N, C) \to (N,)$), then
        `cross_entropy(Z, Y)` for logits of shape $(N, C)$ and either integer labels `Y` of
        shape $(N,)$ or probability rows `Y` of shape $(N, C)$; return the **mean** over the $N$
        examples as a float. (`Y.ndim == 1` tells the two kinds apart.)
        """, "task3"),
        answer("cross_entropy", r'''
        def logsumexp(Z):
            """log(sum_j exp(Z[..., j])) along the last axis, without overflow."""
            ### BEGIN SOLUTION
            m = Z.max(axis=-1, keepdims=True)
            return (m + np.log(np.exp(Z - m).sum(axis=-1, keepdims=True)))[..., 0]
            ### END SOLUTION


        def cross_entropy(Z, Y):
            """Mean cross-entropy of logits Z (N, C) against labels (N,) or probability rows (N, C)."""
            ### BEGIN SOLUTION
            Z = np.asarray(Z, dtype=float)
            Y = np.asarray(Y)
            lse = logsumexp(Z)  # (N,)
            if Y.ndim == 1:
                per_example = lse - Z[np.arange(Z.shape[0]), Y]
            else:
                per_example = lse * Y.sum(axis=1) - (Y * Z).sum(axis=1)
            return float(per_example.mean())
            ### END SOLUTION
        '''),
        tests("test_cross_entropy", 2, r'''
        Z = np.zeros((2, 4))
        L = cross_entropy(Z, np.array([0, 3]))
        if np.isclose(L, 2 * np.log(4)):
            raise AssertionError("You summed over the 2 examples: the cross-entropy of a batch is the mean, so divide by N.")
        check_close("cross_entropy of uniform logits", L, np.log(4), hint="Uniform logits give p = 1/4 for every class, so L = log 4.")
        Z = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]])
        expected = -np.mean(np.log([np.exp(2.0) / np.exp(Z[0]).sum(), np.exp(2.5) / np.exp(Z[1]).sum()]))
        check_close("cross_entropy with labels [0, 1]", cross_entropy(Z, np.array([0, 1])), expected)
        check_close("cross_entropy with one-hot rows", cross_entropy(Z, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])), expected,
                    hint="One-hot rows must give the same loss as the integer labels they encode.")
        print("cross_entropy passes the visible tests.")
        ''', "helpers.softmax", 704, r'''
        for _ in range(20):
            _N, _C = int(_rng.integers(2, 10)), int(_rng.integers(2, 10))
            _Z = _rng.normal(0, 4, size=(_N, _C))
            _y = _rng.integers(0, _C, size=_N)
            assert abs(float(cross_entropy(_Z.copy(), _y.copy())) - float(_ref.cross_entropy(_Z, _y))) < 1e-10, "cross_entropy (labels) differs from the reference"
            _T = _rng.dirichlet(_np.ones(_C), size=_N)
            assert abs(float(cross_entropy(_Z.copy(), _T.copy())) - float(_ref.cross_entropy(_Z, _T))) < 1e-10, "cross_entropy (soft targets) differs from the reference"
        '''),
        tests("test_cross_entropy_extreme", 2, r'''
        import warnings

        Z = np.array([[1000.0, 0.0, -1000.0], [-2000.0, 3000.0, 0.0]])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                L_labels = cross_entropy(Z, np.array([1, 1]))
                L_rows = cross_entropy(Z, np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]))
            except (RuntimeWarning, FloatingPointError) as exc:
                raise AssertionError(f"cross_entropy overflowed or took log(0) ({exc}). Compute log p = z - logsumexp(z), "
                                     "never log(softmax(z)).") from None
        check_close("cross_entropy of [[1000, 0, -1000]], label 1 and [[-2000, 3000, 0]], label 1", L_labels, 500.0,
                    hint="The first example has L = logsumexp - z_1 = 1000 - 0 = 1000, the second L = 0: the mean is 500.")
        check_close("the same with one-hot rows", L_rows, 500.0)
        print("cross_entropy handles logits in the thousands.")
        ''', "helpers.softmax", 705, r'''
        for _ in range(10):
            _N, _C = int(_rng.integers(2, 8)), int(_rng.integers(2, 8))
            _Z = _rng.normal(0, 1, size=(_N, _C)) * 10.0 ** _rng.uniform(2, 4)
            _y = _rng.integers(0, _C, size=_N)
            _Y = _ref.one_hot(_y, _C)
            with _warnings.catch_warnings():
                _warnings.simplefilter("error")
                _a, _b = float(cross_entropy(_Z.copy(), _y.copy())), float(cross_entropy(_Z.copy(), _Y.copy()))
            _want = float(_ref.cross_entropy(_Z, _y))
            assert abs(_a - _want) <= 1e-9 * max(1.0, abs(_want)), "cross_entropy (labels) is wrong for large logits"
            assert abs(_b - _want) <= 1e-9 * max(1.0, abs(_want)), "cross_entropy (one-hot rows) is wrong for large logits"
        '''),
        md(r"""
        ## Task 4: the gradient with respect to the logits (3 points)

        Chaining $\partial L/\partial p_i = -y_i/p_i$ with the full Jacobian of Task 2 gives, for
        one example whose target sums to 1, $\partial L/\partial z = p - y$.
        For the mean over a batch every row is divided by $N$:

        $$
        \frac{\partial L}{\partial Z} = \frac{1}{N}\,(P - Y).
        $$

        Write `cross_entropy_grad(Z, Y)` for integer labels or probability rows, as in Task 3.
        For labels, $Y$ is the one-hot matrix of the labels (build it, or subtract 1 at
        `[np.arange(N), labels]`). Use your stable `softmax`.
        """, "task4"),
        answer("cross_entropy_grad", r'''
        def cross_entropy_grad(Z, Y):
            """dL/dZ = (softmax(Z) - Y) / N for the mean cross-entropy; Z: (N, C) -> (N, C)."""
            ### BEGIN SOLUTION
            Z = np.asarray(Z, dtype=float)
            Y = np.asarray(Y)
            N, C = Z.shape
            if Y.ndim == 1:
                Y = np.eye(C)[Y]
            return (softmax(Z) - Y) / N
            ### END SOLUTION
        '''),
        tests("test_cross_entropy_grad", 2, r'''
        Z = np.zeros((2, 3))
        labels = np.array([0, 2])
        G = np.asarray(cross_entropy_grad(Z, labels), dtype=float)
        assert G.shape == (2, 3), f"The gradient has the shape of the logits, (2, 3); got {G.shape}"
        expected = (np.full((2, 3), 1 / 3) - np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])) / 2
        if np.allclose(G, 2 * expected):
            raise AssertionError("Your gradient is exactly N = 2 times too large: the loss is a mean, so dL/dZ = (P - Y) / N.")
        check_close("cross_entropy_grad for uniform logits", G, expected)
        Z = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [0.0, -1.0, 1.0]])
        labels = np.array([0, 1, 1])
        numerical = helpers.numerical_gradient(lambda M: helpers.cross_entropy(M, labels), Z.copy())
        err = helpers.relative_error(np.asarray(cross_entropy_grad(Z, labels), dtype=float), numerical)
        print(f"relative error against finite differences: {err:.1e} (expect below 1e-7)")
        assert err < 1e-6, "cross_entropy_grad disagrees with finite differences of the mean cross-entropy"
        print("cross_entropy_grad passes the visible tests.")
        ''', "helpers.softmax", 706, r'''
        for _ in range(20):
            _N, _C = int(_rng.integers(2, 10)), int(_rng.integers(2, 10))
            _Z = _rng.normal(0, 4, size=(_N, _C))
            _y = _rng.integers(0, _C, size=_N)
            _got = _np.asarray(cross_entropy_grad(_Z.copy(), _y.copy()), dtype=float)
            assert _got.shape == (_N, _C) and _np.allclose(_got, _ref.cross_entropy_grad(_Z, _y), atol=1e-12), "cross_entropy_grad (labels) differs from the reference"
        '''),
        tests("test_cross_entropy_grad_rows_extreme", 1, r'''
        import warnings

        Z = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]])
        Y = np.array([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                G = np.asarray(cross_entropy_grad(Z, Y), dtype=float)
            except (RuntimeWarning, FloatingPointError) as exc:
                raise AssertionError(f"cross_entropy_grad overflowed ({exc}): use your stable softmax.") from None
        check_close("cross_entropy_grad with probability rows", G, [[0.5, -0.5, 0.0], [-1 / 12, -1 / 12, 1 / 6]], atol=1e-12,
                    hint="Row 1: p = (1, 0, 0) so p - y = (1, -1, 0); row 2: p = 1/3 each. Divide both by N = 2.")
        print("cross_entropy_grad handles probability rows and large logits.")
        ''', "helpers.softmax", 707, r'''
        for _ in range(15):
            _N, _C = int(_rng.integers(2, 8)), int(_rng.integers(2, 8))
            _Z = _rng.normal(0, 1, size=(_N, _C)) * (10.0 ** _rng.uniform(2, 4) if _rng.uniform() < 0.5 else 3.0)
            _T = _rng.dirichlet(_np.ones(_C), size=_N) if _rng.uniform() < 0.5 else _ref.one_hot(_rng.integers(0, _C, size=_N), _C)
            with _warnings.catch_warnings():
                _warnings.simplefilter("error")
                _got = _np.asarray(cross_entropy_grad(_Z.copy(), _T.copy()), dtype=float)
            assert _got.shape == (_N, _C) and _np.allclose(_got, _ref.cross_entropy_grad(_Z, _T), atol=1e-12), "cross_entropy_grad (rows) differs from the reference"
        '''),
        *written("answer_diagonal_only", 2, "question_diagonal_only", r"""
        ## Task 5: written answer (2 points)

        A common mistake is to use only the diagonal of the softmax Jacobian,
        $\partial p_j/\partial z_j = p_j(1 - p_j)$, in the chain rule:
        $\partial L/\partial z_j \approx \dfrac{\partial L}{\partial p_j}\,p_j(1 - p_j)$. Why is this
        wrong? Work out what it gives for a one-hot target (true class $k$) and say what happens to
        the logits of the wrong classes during training.
        """, r"""
        Each $p_i$ depends on every logit through the normalising sum, so
        $\partial L/\partial z_j = \sum_i \frac{\partial L}{\partial p_i}\frac{\partial p_i}{\partial z_j}$
        has a term for every $i$, including the off-diagonal $-p_i p_j$. With
        $\partial L/\partial p_i = -y_i/p_i$ the diagonal-only version gives
        $-y_j(1 - p_j)$: $p_k - 1$ for the true class, but exactly $0$ for every other class,
        because $y_j = 0$ there. The correct sum gives $p_j - y_j$, i.e. $+p_j$ for the wrong
        classes. So with the mistake the wrong classes' logits never receive a gradient and are
        never pushed down (their rows of the last-layer weights do not learn); only the true
        class is pulled up, and the gradient does not match finite differences.

        Grading: 1 point for "every $p_i$ depends on every $z_j$, the off-diagonal terms are
        missing", 1 point for the zero gradient on the wrong classes versus $p - y$.
        """),
    ]
    return cells


# =========================================================================== chapter 8
def ch08():
    slug = "ch08_training_a_digit_classifier"
    setup_code = SETUP_CODE + r'''

from helpers import sigmoid, sigmoid_grad, softmax, cross_entropy, cross_entropy_grad


def copy_params(params):
    """A deep copy of a list of (W, b) pairs."""
    return [(W.copy(), b.copy()) for W, b in params]
'''
    cells = [
        intro(slug, "", "You will assemble a classifier for any number of layers: the forward pass to "
              "the logits, the loss and every gradient, a training step, and the confusion matrix "
              "that shows which digits are mistaken for which. You may use `helpers.softmax`, "
              "`helpers.cross_entropy` and `helpers.cross_entropy_grad` (imported in the setup cell)."),
        setup(setup_code),
        md(r"""
        The network is a stack of dense layers $l = 1, \dots, L$ with parameters `params = [(W1, b1), ..., (WL, bL)]`,
        $W^l$ of shape $(n_{l-1}, n_l)$ and $b^l$ of shape $(n_l,)$. Hidden layers use the
        sigmoid; the last layer outputs the logits $Z^L$, turned into probabilities by softmax
        inside the mean cross-entropy loss. `helpers.MLP(layer_sizes, hidden_activation="sigmoid")`
        is a tested version of the same network, and its `params` have the same format.
        """, "network"),
        md(r"""
        ## Task 1: the logits (1 point)

        Write `forward_logits(X, params)`: apply $Z^l = A^{l-1}W^l + b^l$ for every layer,
        with $A^l = \sigma(Z^l)$ after every layer except the last, and return $Z^L$ of shape
        $(N, C)$.
        """, "task1"),
        answer("forward_logits", r'''
        def forward_logits(X, params):
            """Logits of the network: sigmoid hidden layers, linear last layer; (N, n0) -> (N, C)."""
            ### BEGIN SOLUTION
            A = X
            for W, b in params[:-1]:
                A = sigmoid(A @ W + b)
            W, b = params[-1]
            return A @ W + b
            ### END SOLUTION
        '''),
        tests("test_forward_logits", 1, r'''
        net = helpers.MLP([4, 5, 3], seed=0)
        X = np.random.default_rng(0).normal(size=(6, 4))
        Z = np.asarray(forward_logits(X, copy_params(net.params)))
        assert Z.shape == (6, 3), f"Logits have shape (N, C) = (6, 3); got {Z.shape}"
        check_close("forward_logits", Z, net.forward(X), hint="No sigmoid after the last layer: softmax belongs to the loss.")
        print("forward_logits passes the visible tests.")
        ''', "helpers.mlp", 801, r'''
        for _ in range(5):
            _sizes = [int(k) for k in _rng.integers(2, 7, size=int(_rng.integers(2, 5)))]
            _net = _ref.MLP(_sizes, seed=int(_rng.integers(1000)))
            _X = _rng.normal(size=(int(_rng.integers(1, 9)), _sizes[0]))
            _got = _np.asarray(forward_logits(_X.copy(), [(W.copy(), b.copy()) for W, b in _net.params]))
            assert _got.shape == (_X.shape[0], _sizes[-1]) and _np.allclose(_got, _net.forward(_X)), f"forward_logits is wrong for layer sizes {_sizes}"
        '''),
        md(r"""
        ## Task 2: the loss and every gradient (4 points)

        Write `loss_and_grads(X, y, params)` for integer labels `y` of shape $(N,)$, returning
        `(loss, grads)` with `grads = [(dW1, db1), ..., (dWL, dbL)]`. Keep the $Z^l$ and $A^l$ of
        the forward pass, then go backwards:

        $$
        \Delta^L = \frac1N (P - Y), \qquad \frac{\partial L}{\partial W^l} = (A^{l-1})^\top \Delta^l,\qquad
        \frac{\partial L}{\partial b^l} = \sum_n \Delta^l_{n,:}, \qquad
        \Delta^{l-1} = (\Delta^l (W^l)^\top) \odot \sigma'(Z^{l-1}),
        $$

        with $A^0 = X$. (`cross_entropy_grad(Z, y)` returns $\Delta^L$ including the $\tfrac1N$.)
        """, "task2"),
        answer("loss_and_grads", r'''
        def loss_and_grads(X, y, params):
            """Mean cross-entropy and its gradients [(dW, db), ...] for integer labels y."""
            ### BEGIN SOLUTION
            Zs, As = [], [X]
            for l, (W, b) in enumerate(params):
                Z = As[-1] @ W + b
                Zs.append(Z)
                if l < len(params) - 1:
                    As.append(sigmoid(Z))
            loss = float(cross_entropy(Zs[-1], y))
            delta = cross_entropy_grad(Zs[-1], y)  # (N, C), includes 1/N
            grads = []
            for l in range(len(params) - 1, -1, -1):
                W, _ = params[l]
                grads.append((As[l].T @ delta, delta.sum(axis=0)))
                if l > 0:
                    delta = (delta @ W.T) * sigmoid_grad(Zs[l - 1])
            return loss, grads[::-1]
            ### END SOLUTION
        '''),
        tests("test_loss_and_grads_loss", 1, r'''
        net = helpers.MLP([4, 5, 3], seed=0)
        rng = np.random.default_rng(1)
        X, y = rng.normal(size=(6, 4)), rng.integers(0, 3, size=6)
        loss, grads = loss_and_grads(X, y, copy_params(net.params))
        check_close("loss", loss, net.loss_and_grads(X, y)[0], hint="The loss is the mean cross-entropy of the logits.")
        print("The loss passes the visible tests.")
        ''', "helpers.mlp", 802, r'''
        for _ in range(4):
            _sizes = [int(k) for k in _rng.integers(2, 7, size=int(_rng.integers(2, 5)))]
            _net = _ref.MLP(_sizes, seed=int(_rng.integers(1000)))
            _X = _rng.normal(size=(int(_rng.integers(2, 9)), _sizes[0]))
            _y = _rng.integers(0, _sizes[-1], size=_X.shape[0])
            _loss = float(loss_and_grads(_X.copy(), _y.copy(), [(W.copy(), b.copy()) for W, b in _net.params])[0])
            assert abs(_loss - _net.loss_and_grads(_X, _y)[0]) < 1e-10, f"wrong loss for layer sizes {_sizes}"
        '''),
        tests("test_loss_and_grads_gradients", 3, r'''
        net = helpers.MLP([4, 5, 6, 3], seed=0)
        rng = np.random.default_rng(2)
        X, y = rng.normal(size=(7, 4)), rng.integers(0, 3, size=7)
        _, grads = loss_and_grads(X, y, copy_params(net.params))
        _, expected = net.loss_and_grads(X, y)
        assert len(grads) == 3, f"A 3-layer network has 3 (dW, db) pairs; got {len(grads)}"
        for l in (2, 1, 0):  # from the output layer down: the first failure is where to look
            (dW, db), (eW, eb) = grads[l], expected[l]
            check_close(f"dW of layer {l + 1}", dW, eW, rtol=1e-6, atol=1e-10,
                        hint="dW = A_prev.T @ Delta. If only the hidden layers are wrong, check Delta_prev = (Delta @ W.T) * sigma'(Z_prev).")
            check_close(f"db of layer {l + 1}", db, eb, rtol=1e-6, atol=1e-10)
        print("The gradients pass the visible tests.")
        ''', "helpers.mlp", 803, r'''
        _gc = _il.reload(_il.import_module("helpers.gradcheck"))
        _sm = _il.reload(_il.import_module("helpers.softmax"))
        for _ in range(4):
            _sizes = [int(k) for k in _rng.integers(2, 7, size=int(_rng.integers(2, 5)))]
            _net = _ref.MLP(_sizes, seed=int(_rng.integers(1000)))
            _X = _rng.normal(size=(int(_rng.integers(2, 9)), _sizes[0]))
            _y = _rng.integers(0, _sizes[-1], size=_X.shape[0])
            _g = loss_and_grads(_X.copy(), _y.copy(), [(W.copy(), b.copy()) for W, b in _net.params])[1]
            _e = _net.loss_and_grads(_X, _y)[1]
            assert len(_g) == len(_e), "one (dW, db) pair per layer"
            for (_dW, _db), (_eW, _eb) in zip(_g, _e):
                assert _np.shape(_dW) == _eW.shape and _np.allclose(_dW, _eW, atol=1e-10), f"wrong dW for layer sizes {_sizes}"
                assert _np.shape(_db) == _eb.shape and _np.allclose(_db, _eb, atol=1e-10), f"wrong db for layer sizes {_sizes}"
        _net = _ref.MLP([3, 4, 2], seed=5)
        _X, _y = _rng.normal(size=(5, 3)), _rng.integers(0, 2, size=5)
        _W0 = _net.params[0][0]
        _num = _gc.numerical_gradient(lambda _: _net.loss_and_grads(_X, _y)[0], _W0)
        _dW0 = loss_and_grads(_X, _y, [(W.copy(), b.copy()) for W, b in _net.params])[1][0][0]
        assert _gc.relative_error(_np.asarray(_dW0, dtype=float), _num) < 1e-6, "dW of the first layer disagrees with finite differences"
        '''),
        md(r"""
        ## Task 3: one training step (1 point)

        Write `train_step(params, X, y, lr)`: compute the loss and gradients, update every $W^l$
        and $b^l$ **in place** (`W -= lr * dW`), and return the loss before the update.
        """, "task3"),
        answer("train_step", r'''
        def train_step(params, X, y, lr):
            """One gradient-descent step on (X, y), in place; returns the loss before the step."""
            ### BEGIN SOLUTION
            loss, grads = loss_and_grads(X, y, params)
            for (W, b), (dW, db) in zip(params, grads):
                W -= lr * dW
                b -= lr * db
            return loss
            ### END SOLUTION
        '''),
        tests("test_train_step", 1, r'''
        from helpers.data import blobs

        X, y = blobs(n=150, seed=0)  # three clusters in the plane
        net = helpers.MLP([2, 8, 3], seed=0)
        params = copy_params(net.params)
        losses = [train_step(params, X, y, lr=0.5) for _ in range(30)]
        print(f"loss: first {losses[0]:.3f} (near log 3 = 1.099 before training), last {losses[-1]:.3f}")
        assert not np.allclose(params[0][0], net.params[0][0]), "The weights did not change: update them in place (W -= lr * dW)."
        assert losses[-1] < 0.5 * losses[0], "The loss should at least halve in 30 steps on these well-separated clusters."
        print("train_step passes the visible tests.")
        ''', "helpers.mlp", 804, r'''
        for _ in range(3):
            _sizes = [int(k) for k in _rng.integers(2, 7, size=int(_rng.integers(2, 4)))]
            _net = _ref.MLP(_sizes, seed=int(_rng.integers(1000)))
            _X = _rng.normal(size=(int(_rng.integers(2, 9)), _sizes[0]))
            _y = _rng.integers(0, _sizes[-1], size=_X.shape[0])
            _lr = float(_rng.uniform(0.05, 1.0))
            _p = [(W.copy(), b.copy()) for W, b in _net.params]
            _got = float(train_step(_p, _X.copy(), _y.copy(), _lr))
            _want, _g = _net.loss_and_grads(_X, _y)
            _net.step(_g, _lr)
            assert abs(_got - _want) < 1e-10, "train_step must return the loss before the update"
            for (_W, _b), (_eW, _eb) in zip(_p, _net.params):
                assert _np.allclose(_W, _eW, atol=1e-10) and _np.allclose(_b, _eb, atol=1e-10), "train_step: wrong update"
        '''),
        md(r"""
        ## Task 4: the confusion matrix (1 point)

        Write `confusion_matrix(y_true, y_pred, num_classes)` returning an integer array $M$ of
        shape $(C, C)$ where $M_{ij}$ counts the examples of true class $i$ predicted as class $j$
        (rows are the truth, columns the prediction). The diagonal holds the correct predictions.
        `np.add.at(M, (y_true, y_pred), 1)` does it in one line; a loop is fine too.
        """, "task4"),
        answer("confusion_matrix", r'''
        def confusion_matrix(y_true, y_pred, num_classes):
            """M[i, j] = number of examples of true class i predicted as j; -> (C, C) integers."""
            ### BEGIN SOLUTION
            M = np.zeros((num_classes, num_classes), dtype=int)
            np.add.at(M, (np.asarray(y_true), np.asarray(y_pred)), 1)
            return M
            ### END SOLUTION
        '''),
        tests("test_confusion_matrix", 1, r'''
        M = np.asarray(confusion_matrix(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3))
        assert M.shape == (3, 3), f"expected shape (3, 3); got {M.shape}"
        if np.array_equal(M, np.array([[1, 0, 1], [1, 1, 0], [0, 0, 2]])):
            raise AssertionError("Your matrix is transposed: rows are the true class, columns the predicted class (M[y_true, y_pred]).")
        check_close("confusion_matrix", M, [[1, 1, 0], [0, 1, 0], [1, 0, 2]],
                    hint="Example 2 (true 0, predicted 1) counts in M[0, 1]; example 5 (true 2, predicted 0) in M[2, 0].")
        check_close("a class that never occurs", confusion_matrix(np.array([0, 1]), np.array([0, 1]), 4).sum(axis=1), [1, 1, 0, 0],
                    hint="The matrix is (num_classes, num_classes) even when some classes are missing.")
        print("confusion_matrix passes the visible tests.")
        ''', "helpers.mlp", 805, r'''
        for _ in range(10):
            _C, _N = int(_rng.integers(2, 11)), int(_rng.integers(1, 200))
            _t, _p = _rng.integers(0, _C, size=_N), _rng.integers(0, _C, size=_N)
            _want = _np.zeros((_C, _C), dtype=int)
            for _a, _b in zip(_t, _p):
                _want[_a, _b] += 1
            _got = _np.asarray(confusion_matrix(_t.copy(), _p.copy(), _C))
            assert _got.shape == (_C, _C) and _np.array_equal(_got, _want), "confusion_matrix differs from the counts M[true, predicted]"
        '''),
        *written("answer_diagnosis", 2, "question_diagnosis", r"""
        ## Task 5: written answer (2 points)

        After training, the network reaches 100% accuracy on the training set and 96% on the
        validation set, and the validation confusion matrix shows that most of the errors are 8s
        predicted as 1s. What do these two observations tell you, and name two changes you would
        try (and how you would judge them)?
        """, r"""
        The gap between 100% and 96% means the network fits the training set better than it
        generalises: it has partly memorised the training digits (overfitting). The confusion
        matrix says the errors are not spread evenly: 8 and 1 are confused, for example thin or
        slanted 8s. Things to try: stop training earlier (pick the epoch with the best validation
        loss), add weight decay, use more data or data augmentation (small shifts), a wider hidden
        layer for more capacity on the hard class, or look at the misclassified images first.
        Each change is judged on the validation set only (never the test set), and the test set
        is used once at the end.

        Grading: 1 point for overfitting / generalisation gap and the class-specific confusion,
        1 point for two sensible changes judged on validation data.
        """),
    ]
    return cells


BUILDERS = {
    "ch01_vectors_and_the_perceptron": ch01,
    "ch02_training_the_perceptron": ch02,
    "ch03_gradient_descent": ch03,
    "ch04_activations_costs_backprop": ch04,
    "ch05_matrix_calculus_backprop": ch05,
    "ch06_a_simple_network": ch06,
    "ch07_softmax_cross_entropy": ch07,
    "ch08_training_a_digit_classifier": ch08,
}


def notebook_path(slug: str) -> Path:
    return SOURCE / slug / f"{slug[:4]}_exercises.ipynb"


def build(slug: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = BUILDERS[slug]()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3", "mimetype": "text/x-python", "file_extension": ".py"},
    }
    nbformat.validate(nb)
    return nb


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    check = "--check" in argv
    stale = []
    for slug in BUILDERS:
        text = nbformat.writes(build(slug)) + "\n"
        path = notebook_path(slug)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print("out of date (run python nbgrader_solutions/build_source.py):\n  " + "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
