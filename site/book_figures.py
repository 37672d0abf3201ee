"""What the website says about each picture in the chapters.

The chapter notebooks stay the only source of their figures; this file adds, at build time, the
words a reader who cannot see a picture needs (its alt text), and the line under each widget's
picture that says what the widget does and how to run it live.

``ALT_TEXT`` maps a chapter (the notebook's name without ``.ipynb``) to its figure cells, by cell
id, to one alt text per picture the cell shows (a list when a cell shows several). A cell's own
metadata ``{"mystnb": {"image": {"alt": "..."}}}`` takes precedence, so an alt text can also
live in the notebook. The build stops with a list of every picture that has none.

What each widget lets the reader do is said with the widget, in the book's manifest ``book.toml``.
"""

ALT_TEXT = {
    "01_vectors_and_the_perceptron": {
        "9e1d9b38": "Two arrows a and b from the origin, the dotted perpendicular from the tip of a "
                    "onto b, and the projection of a onto b drawn as a thick arrow along b; the title "
                    "states that a dot b equals the length of b times the length of the projection.",
        "4fee2841": "Two panels of the same two-class points with the decision regions of a neuron "
                    "for two choices of w and b: the boundary line, the weight vector w drawn as an "
                    "arrow perpendicular to it, and the misclassified points circled.",
    },
    "02_training_the_perceptron": {
        "c491b68e": "Four panels of the same separable points with the perceptron's boundary after "
                    "1, 2, 10 updates and at the end of training; the number of misclassified points "
                    "in each title falls to zero.",
    },
    "03_gradient_descent": {
        "e2c0b810": "Log-log plot of the error of the forward and the central difference against "
                    "the step h, with the truncation-error lines h|f''|/2 and h squared |f'''|/6: "
                    "the error falls with h until rounding error takes over for tiny h.",
    },
    "07_softmax_cross_entropy": {
        "891dbb5e": "Diagram of the network as a row of boxes from the input through the hidden "
                    "layers, z, a, the logits, the softmax probabilities p and the loss L, with a "
                    "backward arrow underneath labelled with delta L = p - y, the recursion for "
                    "delta at the layer below, and dW and db at every layer.",
        "0f4f4b71": "Two heat maps of the 5-by-5 softmax Jacobian: for logits close together its "
                    "entries are large, with a positive diagonal and negative off-diagonal entries; "
                    "for one logit far ahead almost every entry is near zero.",
    },
}

#: the README's first command: how to read the book live
LIVE_COMMAND = 'python -m pip install -e ".[test]" && jupyter lab notebooks/'
