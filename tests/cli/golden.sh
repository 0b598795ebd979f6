#!/usr/bin/env bash
# End to end against the PyTorch reference runs (tests/golden): --init with the
# reference's initial parameters, full batch (--batch 0) of all rows
# (--test-fraction 0), no shuffling; the per-epoch train costs and the --save'd
# final parameters must match within 1e-4 · max(|want|, 1e-2).
# usage: bash tests/cli/golden.sh <path-to-nnmath> <source-dir>
# shellcheck source=tests/cli/common.bash
source "$(dirname "$0")/common.bash"

G="$SRC/tests/golden"
if [ ! -f "$G/golden.json" ]; then
    fail "tests/golden/golden.json exists"
    finish
fi

# One line per configuration: name, then the CLI options.
node -e '
    const g = require(process.argv[1]);
    for (const c of g.configs)
        console.log([c.name, "--layers", c.layers.join(","), "--activation", c.activation,
                     "--output", c.output, "--cost", c.cost, "--optimizer", c.optimizer,
                     "--lr", c.lr, "--momentum", c.momentum, "--weight-decay", c.weight_decay,
                     "--epochs", c.steps, "--init", c.init].join(" "));
' "$G/golden.json" >"$TMP/configs.txt"
check "golden.json lists configurations" [ -s "$TMP/configs.txt" ]

while read -r name args; do
    # The init file name is the last word; make it a path.
    init=${args##* }
    args="${args% *} $G/$init"
    # shellcheck disable=SC2086
    run train --data "$DIGITS" --json --batch 0 --test-fraction 0 --no-shuffle \
        --save "$TMP/$name.json" $args
    if [ "$RC" -ne 0 ]; then
        fail "$name: exit 0" "exit $RC: $ERR"
        continue
    fi
    cp "$TMP/stdout" "$TMP/$name.jsonl"
    check "$name: costs and final parameters match the reference" node -e '
        const fs = require("fs");
        const [goldenFile, name, outFile, savedFile] = process.argv.slice(1);
        const cfg = require(goldenFile).configs.find(c => c.name === name);
        const lines = fs.readFileSync(outFile, "utf8").split("\n").filter(Boolean).map(JSON.parse);
        const saved = JSON.parse(fs.readFileSync(savedFile, "utf8"));
        const close = (got, want) => Math.abs(got - want) <= 1e-4 * Math.max(Math.abs(want), 1e-2);
        const bad = [];
        for (let k = 1; k <= cfg.steps; k++) {
            const got = lines[k - 1] && lines[k - 1].train_cost;
            if (!close(got, cfg.costs[k])) bad.push(`cost after epoch ${k}: ${got}, want ${cfg.costs[k]}`);
        }
        cfg.final.layers.forEach((layer, l) => {
            const got = saved.layers[l];
            layer.weight.forEach((row, r) => row.forEach((w, i) => {
                if (!close(got.weight[r][i], w)) bad.push(`layer ${l + 1} W[${r}][${i}] ${got.weight[r][i]}, want ${w}`);
            }));
            layer.bias.forEach((b, i) => {
                if (!close(got.bias[i], b)) bad.push(`layer ${l + 1} b[${i}] ${got.bias[i]}, want ${b}`);
            });
        });
        bad.slice(0, 5).forEach(b => console.log("    " + b));
        process.exit(bad.length ? 1 : 0);
    ' "$G/golden.json" "$name" "$TMP/$name.jsonl" "$TMP/$name.json"
done <"$TMP/configs.txt"

finish
