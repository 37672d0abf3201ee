SUBMISSIONS = {
    "ch05_mean_bias_transposed_jacobian": {
        "kind": "wrong",
        "why": "db averages over the rows instead of summing, the Jacobian is built with one row per input (transposed), and the einsum sums the wrong index of J",
        "cells": {
            "dense_backward": '''
def dense_backward(dZ, A_prev, W):
    return dZ @ W.T, A_prev.T @ dZ, dZ.mean(axis=0)
''',
            "numerical_jacobian": '''
def numerical_jacobian(f, z, eps=1e-6):
    z = np.array(z, dtype=float)
    rows = []
    for j in range(z.size):
        e = np.zeros_like(z)
        e[j] = eps
        rows.append((np.asarray(f(z + e)) - np.asarray(f(z - e))) / (2 * eps))
    return np.array(rows)
''',
            "batched_vjp": '''
def batched_vjp(G, J):
    return np.einsum("nj,nij->ni", G, J)
''',
        },
        "fails": ["test_dense_backward_dW_db", "test_numerical_jacobian", "test_batched_vjp"],
    },
    "ch05_deletes_function": {
        "kind": "deletes_function",
        "why": "the cell defines dense_backward and then deletes it, so the tests cannot find it",
        "cells": {
            "dense_backward": '''
def dense_backward(dZ, A_prev, W):
    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)

del dense_backward
''',
        },
        "fails": ["test_dense_backward_dW_db", "test_dense_backward_dA_prev"],
    },
}
