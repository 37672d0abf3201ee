"""The book's chapters, in order: the one list the static checks and the browser tests share."""

CHAPTERS = [
    "01_vectors_and_the_perceptron",
    "02_training_the_perceptron",
    "03_gradient_descent",
    "04_activations_costs_backprop",
    "05_matrix_calculus_backprop",
    "06_a_simple_network",
    "07_softmax_cross_entropy",
    "08_training_a_digit_classifier",
]
