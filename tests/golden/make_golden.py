#!/usr/bin/python3
"""Generate the golden reference fixtures of nnmath with PyTorch.

Regenerate (from the project root, with Debian's python3-torch):

    /usr/bin/python3 tests/golden/make_golden.py

This writes, next to this script:

  init_<sizes>.json   initial parameters, one file per architecture, in the
                      CLI's parameter format {"layers":[{"weight":[[...]],
                      "bias":[...]}, ...]} (weight rows = outputs, like
                      nn.Linear.weight);
  golden.json         for every configuration: 11 full-data-set costs (before
                      each of the 10 full-batch steps, then after the last)
                      and the final parameters (same format as the init files).

The tests (tests/c/test_golden.c, and the wasm/JS golden test) only read the
committed JSON files; neither Python nor PyTorch is needed to run them.  See
tests/golden/README.md for the format and the exact conventions.

Everything is deterministic: torch.manual_seed, one thread, float32.  Every
number is written as the shortest decimal that reads back as the same float32
(numpy's float32 repr), so strtof / Math.fround recover the exact value.

As a conditioning check the script re-runs every configuration in float64
from the same (float32) initial parameters and prints how far the float32
results are from it; a configuration whose float32 run is itself uncertain at
the 1e-4 level would make a useless fixture, so the script refuses to write
one whose float32/float64 discrepancy exceeds 2.5e-5 (relative, with the same
near-zero floor as the tests).
"""

import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "data", "digits.csv")

STEPS = 10
INIT_SEED = 20240601

# name, sizes, hidden activation, output activation, cost, optimizer, lr,
# momentum (SGD momentum or Adam's beta1), weight decay (L2 on weights only)
CONFIGS = [
    # The lesson's "simple" network, with a learning rate large enough that
    # 10 steps move the parameters visibly.
    dict(name="simple_sigmoid_mse", layers=[64, 8, 10], activation="sigmoid",
         output="sigmoid", cost="mse", optimizer="sgd", lr=2.0, momentum=0.0,
         weight_decay=0.0),
    dict(name="relu_softmax_xent", layers=[64, 32, 10], activation="relu",
         output="softmax", cost="xent", optimizer="sgd", lr=0.5, momentum=0.0,
         weight_decay=0.0),
    dict(name="tanh_identity_mse", layers=[64, 16, 10], activation="tanh",
         output="identity", cost="mse", optimizer="sgd", lr=0.2, momentum=0.0,
         weight_decay=0.0),
    dict(name="deep_relu_softmax_xent", layers=[64, 32, 16, 10], activation="relu",
         output="softmax", cost="xent", optimizer="sgd", lr=0.5, momentum=0.0,
         weight_decay=0.0),
    # No hidden layer: the softmax Jacobian inside the MSE gradient.
    dict(name="nohidden_softmax_mse", layers=[64, 10], activation="sigmoid",
         output="softmax", cost="mse", optimizer="sgd", lr=2.0, momentum=0.0,
         weight_decay=0.0),
    dict(name="sigmoid_softmax_xent", layers=[64, 16, 10], activation="sigmoid",
         output="softmax", cost="xent", optimizer="sgd", lr=1.0, momentum=0.0,
         weight_decay=0.0),
    # Optimizers and L2.
    dict(name="momentum_sigmoid_xent", layers=[64, 16, 10], activation="sigmoid",
         output="softmax", cost="xent", optimizer="momentum", lr=0.2,
         momentum=0.9, weight_decay=0.0),
    dict(name="adam_tanh_xent", layers=[64, 16, 10], activation="tanh",
         output="softmax", cost="xent", optimizer="adam", lr=0.01,
         momentum=0.9, weight_decay=0.0),
    dict(name="weight_decay_relu_xent", layers=[64, 32, 10], activation="relu",
         output="softmax", cost="xent", optimizer="sgd", lr=0.5, momentum=0.0,
         weight_decay=0.05),
    dict(name="momentum_weight_decay_tanh_mse", layers=[64, 16, 10],
         activation="tanh", output="sigmoid", cost="mse", optimizer="momentum",
         lr=0.5, momentum=0.8, weight_decay=0.01),
]

# Tolerance model shared with the tests: |a - b| <= REL * max(|b|, FLOOR).
# The floor: float32 rounding errors in a parameter are set by the magnitudes
# it passed through (init and updates of order 0.1 .. 1), not by its final
# value, so a parameter that ends near zero carries an absolute error of
# ~1e-8 .. 3e-7 (measured against float64) and its own relative error means
# nothing.  FLOOR = 1e-2 turns that into an absolute 1e-6 for such values.
REL = 1e-4
FLOOR = 1e-2
# The float32 fixture must be this close to a float64 run of the same maths
# (4x margin below REL: another float32 implementation such as the C core
# differs from torch by at most about twice this).
CONDITIONING = 2.5e-5


def init_name(sizes):
    return "init_" + "_".join(str(s) for s in sizes) + ".json"


def f32(x):
    """Shortest decimal that reads back as the same float32."""
    s = repr(np.float32(x))
    if s in ("nan", "inf", "-inf"):
        raise ValueError("non-finite value %r" % (x,))
    return s


def params_json(layers):
    """layers: list of (W (out,in), b (out)) numpy float32 arrays."""
    out = ['{"layers": [']
    for li, (W, b) in enumerate(layers):
        out.append('  {"weight": [')
        rows = ["    [" + ", ".join(f32(v) for v in row) + "]" for row in W]
        out.append(",\n".join(rows))
        out.append('  ],')
        out.append('   "bias": [' + ", ".join(f32(v) for v in b) + "]}" +
                   ("," if li + 1 < len(layers) else ""))
    out.append("]}")
    return "\n".join(out)


def load_data():
    a = np.loadtxt(DATA, delimiter=",", dtype=np.int64)
    assert a.shape == (1797, 65), a.shape
    x = a[:, :64].astype(np.float32) / np.float32(16.0)
    y = a[:, 64].astype(np.int64)
    return x, y


def make_init(sizes):
    """nn.Linear-style uniform weights U(+-1/sqrt(in)) and non-zero biases
    U(+-0.1), seeded per architecture."""
    seed = INIT_SEED + sum(s * (i + 1) for i, s in enumerate(sizes))
    g = torch.Generator().manual_seed(seed)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        bound = 1.0 / np.sqrt(n_in)
        W = (torch.rand(n_out, n_in, generator=g, dtype=torch.float32) * 2 - 1) * bound
        b = (torch.rand(n_out, generator=g, dtype=torch.float32) * 2 - 1) * 0.1
        layers.append((W.numpy().astype(np.float32), b.numpy().astype(np.float32)))
    return layers


def act(name, z):
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return torch.relu(z)
    if name == "softmax":
        return torch.softmax(z, dim=1)
    if name == "identity":
        return z
    raise ValueError(name)


def cost_fn(cfg, params, x, y, y1h):
    a = x
    n_w = len(params) // 2
    z = None
    for l in range(n_w):
        W, b = params[2 * l], params[2 * l + 1]
        z = a @ W.t() + b
        a = act(cfg["activation"] if l + 1 < n_w else cfg["output"], z)
    if cfg["cost"] == "mse":
        return 0.5 * ((a - y1h) ** 2).sum(dim=1).mean()
    assert cfg["cost"] == "xent" and cfg["output"] == "softmax"
    return F.cross_entropy(z, y)


def run(cfg, init_layers, x_np, y_np, dtype):
    x = torch.tensor(x_np, dtype=dtype)
    y = torch.tensor(y_np)
    y1h = F.one_hot(y, 10).to(dtype)
    params = []
    for W, b in init_layers:
        params.append(torch.tensor(W, dtype=dtype, requires_grad=True))
        params.append(torch.tensor(b, dtype=dtype, requires_grad=True))
    if cfg["optimizer"] == "sgd":
        opt = torch.optim.SGD(params, lr=cfg["lr"])
    elif cfg["optimizer"] == "momentum":
        # v = mu*v + g; p -= lr*v  (dampening 0, not Nesterov)
        opt = torch.optim.SGD(params, lr=cfg["lr"], momentum=cfg["momentum"])
    elif cfg["optimizer"] == "adam":
        opt = torch.optim.Adam(params, lr=cfg["lr"], betas=(cfg["momentum"], 0.999),
                               eps=1e-8)
    else:
        raise ValueError(cfg["optimizer"])
    costs = []
    for _ in range(STEPS):
        opt.zero_grad()
        c = cost_fn(cfg, params, x, y, y1h)
        c.backward()
        costs.append(c.item())
        if cfg["weight_decay"]:
            # L2 on the weights only (NOT the biases), so not the optimizer's
            # weight_decay option, which would decay the biases too.
            with torch.no_grad():
                for l in range(0, len(params), 2):
                    params[l].grad.add_(params[l], alpha=cfg["weight_decay"])
        opt.step()
    with torch.no_grad():
        costs.append(cost_fn(cfg, params, x, y, y1h).item())
    final = [(params[2 * l].detach().numpy(), params[2 * l + 1].detach().numpy())
             for l in range(len(params) // 2)]
    return costs, final


def rel_err(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), FLOOR)))


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    x, y = load_data()

    inits = {}
    for cfg in CONFIGS:
        key = tuple(cfg["layers"])
        if key not in inits:
            inits[key] = make_init(cfg["layers"])
            with open(os.path.join(HERE, init_name(cfg["layers"])), "w") as fh:
                fh.write(params_json(inits[key]) + "\n")

    entries = []
    bad = False
    for cfg in CONFIGS:
        init = inits[tuple(cfg["layers"])]
        costs, final = run(cfg, init, x, y, torch.float32)
        costs64, final64 = run(cfg, init, x, y, torch.float64)
        flat32 = np.concatenate([np.concatenate([W.ravel(), b]) for W, b in final])
        flat64 = np.concatenate([np.concatenate([W.ravel(), b]) for W, b in final64])
        flat0 = np.concatenate([np.concatenate([W.ravel(), b]) for W, b in init])
        e_cost = rel_err(np.float32(costs), costs64)
        e_par = rel_err(flat32, flat64)
        moved = float(np.max(np.abs(flat32 - flat0)))
        print("%-32s cost %.6f -> %.6f  max|final-init| %.4f  f32 vs f64: costs %.2e params %.2e"
              % (cfg["name"], costs[0], costs[-1], moved, e_cost, e_par))
        if e_cost > CONDITIONING or e_par > CONDITIONING:
            print("  ill-conditioned: float32 and float64 disagree", file=sys.stderr)
            bad = True
        if not costs[-1] < costs[0]:
            print("  the cost did not go down", file=sys.stderr)
            bad = True
        entries.append((cfg, costs, final))
    if bad:
        sys.exit(1)

    out = ["{", '"generator": "tests/golden/make_golden.py, PyTorch %s, NumPy %s, float32, '
           'full batch of all %d rows, %d steps",' % (torch.__version__, np.__version__,
                                                     len(y), STEPS),
           '"configs": [']
    for i, (cfg, costs, final) in enumerate(entries):
        head = {k: cfg[k] for k in ("name", "layers", "activation", "output", "cost",
                                    "optimizer", "lr", "momentum", "weight_decay")}
        out.append("{")
        for k, v in head.items():
            out.append(' "%s": %s,' % (k, json.dumps(v)))
        out.append(' "steps": %d,' % STEPS)
        out.append(' "init": "%s",' % init_name(cfg["layers"]))
        out.append(' "costs": [' + ", ".join(f32(c) for c in costs) + "],")
        out.append(' "final": ' + params_json(final))
        out.append("}" + ("," if i + 1 < len(entries) else ""))
    out.append("]}")
    text = "\n".join(out) + "\n"

    # Self-check: the file is valid JSON and every number reads back exactly.
    doc = json.loads(text)
    for (cfg, costs, final), e in zip(entries, doc["configs"]):
        assert np.array_equal(np.float32(e["costs"]), np.float32(costs))
        for (W, b), L in zip(final, e["final"]["layers"]):
            assert np.array_equal(np.float32(L["weight"]), W)
            assert np.array_equal(np.float32(L["bias"]), b)
    with open(os.path.join(HERE, "golden.json"), "w") as fh:
        fh.write(text)
    print("wrote golden.json (%d configurations)" % len(entries))


if __name__ == "__main__":
    main()
