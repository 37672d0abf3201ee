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
        "de66cf75": "Ten 8 by 8 grey images, one per digit 0 to 9: the columns of a linear layer "
                    "fitted to the handwritten digits, each shown as a picture; each looks like a "
                    "blurred template of its own digit.",
    },
    "02_training_the_perceptron": {
        "c491b68e": "Four panels of the same separable points with the perceptron's boundary after "
                    "1, 2, 10 updates and at the end of training; the number of misclassified points "
                    "in each title falls to zero.",
        "970e5daf": "Log-log plot against the margin gamma: the bound (R/gamma) squared and the "
                    "number of updates the perceptron made; both rise as the margin shrinks and the "
                    "updates stay below the bound.",
        "bf51cd4d": "Log-log plot against the margin gamma: the bound (R/gamma) squared and the "
                    "number of updates the perceptron made, averaged over 20 orders of the examples; "
                    "both rise as the margin shrinks and the updates stay below the bound.",
        "53cac7d3": "Log-log plot against the margin gamma: the bound (R/gamma) squared and the "
                    "number of updates averaged over 20 orders of the examples; the bound rises "
                    "much faster than the updates as the margin shrinks.",
        "0f4c3272": "Two panels of the four XOR points: one perceptron's straight boundary gets some "
                    "of them wrong, while a hand-built network of two layers of perceptrons separates "
                    "all four.",
    },
    "03_gradient_descent": {
        "9c6bccd6": "Left: the perceptron's mistake count as a function of one weight, a staircase "
                    "that is flat almost everywhere. Right: the mean squared error of a linear "
                    "regression as a function of its weight, a smooth parabola.",
        "e2c0b810": "Log-log plot of the error of the forward and the central difference against "
                    "the step h, with the truncation-error lines h|f''|/2 and h squared |f'''|/6: "
                    "the error falls with h until rounding error takes over for tiny h.",
        "ef6583b7": [
            "Four contour plots of the same quadratic bowl with the first 25 steps of gradient "
            "descent for four learning rates, from too small (a slow creep) to too large (a path "
            "that zigzags outwards).",
            "Semi-log plot of the distance to the minimum against the step for the four learning "
            "rates: straight lines, falling for the rates below 2/L and rising for the largest.",
        ],
        "dd831737": "Left: contours of the regression loss over the weight w and bias b with the "
                    "path of gradient descent to the minimum. Right: the data points and the fitted "
                    "line after 0, 2, 5 and 200 steps, turning towards the data.",
        "0d157468": "Semi-log plot of the loss minus its minimum over 30 epochs for full-batch, "
                    "mini-batch and stochastic gradient descent (batch sizes B): the full batch falls "
                    "smoothly, the smaller batches fall faster at first and then fluctuate.",
    },
    "04_activations_costs_backprop": {
        "3108b2ef": "Left: sigmoid, tanh, ReLU and leaky ReLU plotted for z from -5 to 5. Right: "
                    "their derivatives, with a dotted line marking 1/4, the largest value of the "
                    "sigmoid's derivative.",
        "4c80610f": "Six panels, one per loss (squared error, absolute difference, Huber, cosine "
                    "distance, hinge, cross-entropy), each showing the loss L and its derivative "
                    "dL/dx as the prediction x moves from -3 to 3 for the target 1.",
        "2a40067b": "Semi-log plot of the gradient reaching the input through l layers for sigmoid, "
                    "tanh and ReLU chains, with the line (1/4) to the power l: the sigmoid's gradient "
                    "shrinks geometrically with depth.",
        "88b49a92": "The output of one sigmoid neuron during gradient descent, started saturated at "
                    "the wrong end, for squared error and for cross-entropy: cross-entropy moves it "
                    "towards the target at once, squared error stays stuck for many steps.",
    },
    "05_matrix_calculus_backprop": {
        "1d0a847d": "Four heat maps of the Jacobians of one layer for a small batch, with exact zeros "
                    "left white: dZ/dA_prev is block diagonal, dZ/dW has the Kronecker pattern A "
                    "times I, dZ/db is a stack of identity matrices, and the activation's Jacobian "
                    "is diagonal.",
        "5ffd0038": "Log-log plot of the number of entries against the layer width n for a batch of "
                    "32: the full Jacobians dZ/dW and of the activation grow far faster than dW, the "
                    "gradient that is actually needed.",
    },
    "06_a_simple_network": {
        "e1fd942d": "Top: the training loss of a small sigmoid network on the two-moons data over "
                    "the steps, on a log scale, with a long plateau near log 2 before it falls. "
                    "Bottom: the decision regions at four marked steps, from a straight boundary to "
                    "one that wraps around both moons.",
        "42d3e61d": "Training loss on a log scale over the steps for learning rates 0.5, 2, 10 and "
                    "100: the small rates stay on the plateau, 10 leaves it and converges, 100 jumps "
                    "around at a high loss.",
        "e62ef09a": "Decision regions on the two-moons data for hidden widths 1, 2, 3 and 8: one "
                    "and two units give boundaries that cannot wrap around the moons, three and "
                    "eight separate them.",
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
    "08_training_a_digit_classifier": {
        "cc03a9d0": "Top row: ten 8-by-8 handwritten digit images from the test set with their "
                    "labels. Bottom row: the mean training image of each digit 0 to 9.",
        "ca898d17": "Left: training and validation loss over the epochs, with the entropy floor of "
                    "the smoothed targets and a dashed line where the learning rate drops. Right: "
                    "training and validation accuracy over the epochs, rising close to 1.",
        "5e66105b": "Confusion matrix of the test set, true class against predicted class, with the "
                    "count in every non-empty cell and the few off-diagonal mistakes in red.",
        "108a1de5": "Each misclassified test digit as an image, titled with its true and predicted "
                    "class, above a bar chart of the network's ten probabilities with the true class "
                    "in green and the predicted one in red.",
        "f86c8e8e": "Against the softmax temperature T on a log scale, for the networks trained with "
                    "and without label smoothing: left, the mean top probability on the test set, "
                    "falling as T grows; right, the validation loss, with its minimum marked.",
    },
}

#: the README's first command: how to read the book live
LIVE_COMMAND = 'python -m pip install -e ".[test]" && jupyter lab notebooks/'
