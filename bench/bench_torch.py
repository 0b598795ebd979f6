#!/usr/bin/python3
"""PyTorch contender, one thread: python3 bench/bench_torch.py --hidden 64,32,128 --epochs 20 --runs 5 --out FILE

The same task as every contender: data/digits.csv, x = pixel/16, the rows of bench/out/split.json,
64 -> H -> 10, ReLU, CrossEntropyLoss (mean), SGD lr 0.1, shuffled mini-batches of 32 taken as
slices of a pre-shuffled copy of the pre-made training tensor (no DataLoader).  Only training
is timed, one interval per epoch (the shuffle included).
"""
import argparse
import json
import math
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", default="64")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    try:
        import torch
    except Exception as e:  # noqa: BLE001
        json.dump({"which": "torch", "skipped": "PyTorch is not installed for %s: %s" % (sys.executable, e)},
                  open(a.out, "w"))
        print("  torch: skipped (%s)" % e)
        return
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    split = json.load(open(os.path.join(ROOT, "bench", "out", "split.json")))
    rows = [list(map(int, l.split(","))) for l in open(os.path.join(ROOT, "data", "digits.csv")) if l.strip()]
    X = torch.tensor([r[:64] for r in rows], dtype=torch.float32) / 16.0
    Y = torch.tensor([r[64] for r in rows], dtype=torch.int64)
    tr = torch.tensor(split["train"], dtype=torch.int64)
    te = torch.tensor(split["test"], dtype=torch.int64)
    Xtr, Ytr, Xte, Yte = X[tr].contiguous(), Y[tr].contiguous(), X[te].contiguous(), Y[te].contiguous()
    n = Xtr.shape[0]
    results = {}
    for H in [int(h) for h in a.hidden.split(",")]:
        runs = []
        t_all = time.perf_counter()
        for r in range(a.runs):
            torch.manual_seed(1 + r)
            model = torch.nn.Sequential(torch.nn.Linear(64, H), torch.nn.ReLU(), torch.nn.Linear(H, 10))
            with torch.no_grad():  # the same distributions as our core: He / Glorot uniform, biases 0
                model[0].weight.uniform_(-math.sqrt(6 / 64), math.sqrt(6 / 64))
                model[2].weight.uniform_(-math.sqrt(6 / (H + 10)), math.sqrt(6 / (H + 10)))
                model[0].bias.zero_()
                model[2].bias.zero_()
            loss_fn = torch.nn.CrossEntropyLoss()
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            gen = torch.Generator().manual_seed(100 + r)
            epoch_ms = []
            for _ in range(a.epochs):
                t0 = time.perf_counter()
                perm = torch.randperm(n, generator=gen)
                xs, ys = Xtr[perm], Ytr[perm]
                for s in range(0, n, 32):
                    xb, yb = xs[s:s + 32], ys[s:s + 32]
                    opt.zero_grad(set_to_none=True)
                    loss = loss_fn(model(xb), yb)
                    loss.backward()
                    opt.step()
                epoch_ms.append((time.perf_counter() - t0) * 1000.0)
            with torch.no_grad():
                test_acc = (model(Xte).argmax(1) == Yte).float().mean().item()
                train_acc = (model(Xtr).argmax(1) == Ytr).float().mean().item()
            runs.append({"epochMs": epoch_ms, "testAcc": test_acc, "trainAcc": train_acc})
        med = sorted(sorted(x["epochMs"][1:])[len(x["epochMs"][1:]) // 2] for x in runs)[len(runs) // 2]
        print("  torch 64,%d,10: %.3f ms/epoch (median), test acc %.4f, %.1f s"
              % (H, med, runs[0]["testAcc"], time.perf_counter() - t_all))
        results[str(H)] = {"runs": runs, "notes": [
            "torch.set_num_threads(1); nn.Sequential(Linear, ReLU, Linear), CrossEntropyLoss, optim.SGD(lr=0.1); "
            "batches are slices of a pre-shuffled copy of the training tensor (randperm + index, timed)"]}
    json.dump({"which": "torch", "env": "python " + sys.version.split()[0], "version": torch.__version__,
               "threads": torch.get_num_threads(), "epochs": a.epochs, "runs": a.runs,
               "trainCount": int(n), "results": results}, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
