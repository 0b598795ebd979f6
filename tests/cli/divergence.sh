#!/usr/bin/env bash
# Training that blows up: exit 4, one message suggesting a smaller learning rate,
# and with --json the epochs completed before the blow-up are still printed.
# usage: bash tests/cli/divergence.sh <path-to-nnmath> <source-dir>
# shellcheck source=tests/cli/common.bash
source "$(dirname "$0")/common.bash"

# expect_diverged NAME ARGS... : exit 4 with the learning-rate advice, no final line.
expect_diverged() {
    local name=$1
    shift
    run train --data "$DIGITS" --json "$@"
    if [ "$RC" -ne 4 ]; then
        fail "$name: exit 4" "exit $RC; stderr: $ERR"
        return
    fi
    pass "$name: exit 4"
    check "$name: one message suggesting a smaller learning rate" \
        one_line_error_with "smaller learning rate"
    check "$name: no final \"done\" line" bash -c '! grep -q "\"done\"" "$1"' _ "$TMP/stdout"
    # The message names the epoch that blew up; the ones before it were printed.
    local epoch lines
    epoch=$(printf '%s\n' "$ERR" | grep -oiE 'epoch [0-9]+' | head -1 | grep -oE '[0-9]+')
    lines=$(grep -c '"epoch"' "$TMP/stdout")
    check "$name: the epochs before the blow-up ($((${epoch:-1} - 1))) were printed" \
        bash -c '[ -n "$1" ] && [ "$2" -eq $(($1 - 1)) ]' _ "$epoch" "$lines"
    check "$name: every printed line is valid JSON" node -e '
        const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
        lines.forEach(l => { const o = JSON.parse(l); if (!Number.isFinite(o.train_cost)) process.exit(1); });
    ' "$TMP/stdout"
}

expect_diverged "mse + identity output, lr 100" --lr 100 --cost mse --output identity --epochs 5
expect_diverged "relu + mse + identity output, lr 10" --lr 10 --activation relu --cost mse --output identity --epochs 30
expect_diverged "mse + identity output, lr 3 (blows up after epoch 1)" \
    --lr 3 --cost mse --output identity --epochs 30

# With a saved file requested, nothing is written when training blows up.
run train --data "$DIGITS" --lr 100 --output identity --epochs 5 --save "$TMP/never.json"
check "text mode: exit 4" [ "$RC" -eq 4 ]
check "text mode: one message on stderr" one_line_error_with "smaller learning rate"
check "no --save file after a blow-up" [ ! -e "$TMP/never.json" ]

# The same settings with a small learning rate train fine.
run train --data "$DIGITS" --json --lr 0.1 --cost mse --output identity --epochs 2
check "the same network with lr 0.1 trains (exit 0)" [ "$RC" -eq 0 ]

finish
