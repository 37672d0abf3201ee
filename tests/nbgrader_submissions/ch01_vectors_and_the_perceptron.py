SUBMISSIONS = {
    "ch01_wrong_norm_and_boundary": {
        "kind": "wrong",
        "why": "the cosine divides by |u|^2 instead of |u||v|, and the prediction uses z >= 0",
        "cells": {
            "cosine_similarity": '''
def cosine_similarity(u, v):
    return float(u @ v / (u @ u))
''',
            "perceptron_predict": '''
def perceptron_predict(X, w, b):
    return (neuron_output(X, w, b) >= 0).astype(int)
''',
        },
        "fails": ["test_cosine_similarity", "test_perceptron_predict"],
    },
    "ch01_raises": {
        "kind": "raises",
        "why": "one cell fails at import time (so its function is never defined), another function raises IndexError",
        "cells": {
            "cosine_similarity": '''
from numpy.linalg import normalize  # no such function: ImportError before the def below runs

def cosine_similarity(u, v):
    return float(normalize(u) @ normalize(v))
''',
            "boundary_x2": '''
def boundary_x2(x1, w, b):
    return -(w[0] * x1 + b) / w[2]
''',
        },
        "fails": ["test_cosine_similarity", "test_boundary_x2"],
    },
}
