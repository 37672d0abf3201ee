SUBMISSIONS = {
    "ch06_missing_sigma_prime": {
        "kind": "wrong",
        "why": "the delta recursion forgets the factor sigma'(Z_prev)",
        "cells": {
            "delta_recursion": '''
def delta_recursion(dZ, W, Z_prev):
    return dZ @ W.T
''',
        },
        "fails": ["test_delta_recursion", "test_backward_hidden_layer", "test_train_step"],
    },
    "ch06_missing_mean": {
        "kind": "wrong",
        "why": "Delta2 = P - Y without the 1/N of the mean",
        "cells": {
            "backward": '''
def backward(params, X, Y, cache):
    Z1, A1, Z2, P = cache
    dZ2 = P - Y
    dZ1 = delta_recursion(dZ2, params["W2"], Z1)
    return {"W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0), "W1": X.T @ dZ1, "b1": dZ1.sum(axis=0)}
''',
        },
        "fails": ["test_backward_output_layer", "test_backward_hidden_layer", "test_train_step"],
    },
}
