r"""The network of :class:`helpers.MLP` written with PyTorch, for checks and benchmarks (chapter 8).

PyTorch is optional: importing this module works without it, and every function raises
``ImportError`` only when called. Nothing here is used for teaching; it is an independent
reference. Autograd computes the gradients, so agreement with ``MLP.loss_and_grads`` checks the
hand-written backward pass against a separately written one.
"""

from __future__ import annotations

import numpy as np

__all__ = ["torch_available", "torch_loss_and_grads", "torch_sgd_step", "torch_train"]


def torch_available() -> bool:
    """True when PyTorch can be imported."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def _act(torch, name):
    return {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[name]


def _leaves(torch, params):
    """The (W, b) arrays as float64 leaf tensors that record gradients."""
    return [
        (torch.tensor(W, dtype=torch.float64, requires_grad=True), torch.tensor(b, dtype=torch.float64, requires_grad=True))
        for W, b in params
    ]


def _mean_cross_entropy(torch, leaves, X, target, hidden_activation):
    """The network's mean cross-entropy on (X, target) as a tensor, ready for backward()."""
    f = _act(torch, hidden_activation)
    A = torch.tensor(np.asarray(X), dtype=torch.float64)
    for l, (W, b) in enumerate(leaves):
        Z = A @ W + b  # (N, n_{l-1}) @ (n_{l-1}, n_l) -> (N, n_l)
        A = f(Z) if l < len(leaves) - 1 else Z
    log_p = torch.log_softmax(A, dim=1)
    t = np.asarray(target)
    if t.ndim == 1:
        return -log_p[torch.arange(t.shape[0]), torch.as_tensor(t, dtype=torch.long)].mean()
    return -(torch.tensor(t, dtype=torch.float64) * log_p).sum(dim=1).mean()


def torch_loss_and_grads(params, X, target, hidden_activation="sigmoid"):
    r"""Mean cross-entropy of the network with weights ``params`` and its gradients, by autograd.

    params: list of (W, b), W: (n_{l-1}, n_l), b: (n_l,), as ``MLP.params``.
    X: (N, n_0). target: integer labels (N,) or probability rows (N, C).
    Computed in float64. Returns (loss, [(dW, db), ...]) as NumPy arrays.
    """
    import torch

    leaves = _leaves(torch, params)
    loss = _mean_cross_entropy(torch, leaves, X, target, hidden_activation)
    loss.backward()
    grads = [(W.grad.numpy().copy(), b.grad.numpy().copy()) for W, b in leaves]
    return float(loss.item()), grads


def torch_sgd_step(params, X, target, lr, weight_decay, hidden_activation="sigmoid"):
    r"""One step of ``torch.optim.SGD`` from ``params`` on the batch's mean cross-entropy, in float64.

    ``weight_decay`` is PyTorch's: it adds ``weight_decay * W`` to each weight's gradient (the
    biases get none). Returns the new [(W, b), ...] as NumPy arrays; ``params`` is unchanged.
    """
    import torch

    leaves = _leaves(torch, params)
    _mean_cross_entropy(torch, leaves, X, target, hidden_activation).backward()
    torch.optim.SGD([{"params": [W for W, _ in leaves], "weight_decay": weight_decay},
                     {"params": [b for _, b in leaves], "weight_decay": 0.0}], lr=lr).step()
    return [(W.detach().numpy().copy(), b.detach().numpy().copy()) for W, b in leaves]


def torch_train(layer_sizes, X, y, epochs, batch_size, lr, seed=0, hidden_activation="sigmoid",
                dtype="float32"):
    r"""Plain mini-batch SGD in PyTorch (eager, CPU) with the initialisation of ``MLP``.

    The weights start as the same draws as ``MLP(layer_sizes, seed=seed)``; each epoch visits the
    rows in a fresh random order. Returns a function ``predict(X) -> labels`` (NumPy).
    """
    import torch

    from .mlp import MLP

    tdtype = {"float32": torch.float32, "float64": torch.float64}[dtype]
    start = MLP(layer_sizes, hidden_activation=hidden_activation, seed=seed)
    layers = torch.nn.ModuleList()
    for W, b in start.params:
        lin = torch.nn.Linear(W.shape[0], W.shape[1]).to(tdtype)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(W.T))  # torch stores (n_out, n_in)
            lin.bias.copy_(torch.tensor(b))
        layers.append(lin)
    f = _act(torch, hidden_activation)

    def forward(A):
        for l, lin in enumerate(layers):
            A = lin(A)
            if l < len(layers) - 1:
                A = f(A)
        return A

    opt = torch.optim.SGD(layers.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt = torch.tensor(np.asarray(X), dtype=tdtype)
    yt = torch.tensor(np.asarray(y), dtype=torch.long)
    gen = torch.Generator().manual_seed(seed)
    n = Xt.shape[0]
    for _ in range(epochs):
        order = torch.randperm(n, generator=gen)
        for s in range(0, n, batch_size):
            idx = order[s : s + batch_size]
            opt.zero_grad(set_to_none=True)
            loss_fn(forward(Xt[idx]), yt[idx]).backward()
            opt.step()

    def predict(Xnew):
        with torch.no_grad():
            return forward(torch.tensor(np.asarray(Xnew), dtype=tdtype)).argmax(dim=1).numpy()

    return predict
