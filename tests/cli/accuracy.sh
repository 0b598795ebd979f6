#!/usr/bin/env bash
# Accuracy of the lesson's classifiers (30 or 10 epochs on 80% of the digits,
# tested on the other 20%, seed 1), as stated in the issue.
# usage: bash tests/cli/accuracy.sh <path-to-nnmath> <source-dir>
# shellcheck source=tests/cli/common.bash
source "$(dirname "$0")/common.bash"

# expect_accuracy NAME OP THRESHOLD ARGS... : the final test_acc OP THRESHOLD
# (OP: ge or lt).
expect_accuracy() {
    local name=$1 op=$2 threshold=$3 acc
    shift 3
    run train --data "$DIGITS" --json --seed 1 --test-fraction 0.2 "$@"
    if [ "$RC" -ne 0 ]; then
        fail "$name" "exit $RC: $ERR"
        return
    fi
    last_line "$OUT" >"$TMP/done.json"
    acc=$(json_field "$TMP/done.json" test_acc)
    if ! [[ "$acc" =~ ^[0-9.eE+-]+$ ]]; then
        fail "$name" "no test accuracy in the output: $acc"
    elif "$op" "$acc" "$threshold"; then
        pass "$name: test accuracy $acc ($op $threshold)"
    else
        fail "$name: test accuracy $acc, expected $op $threshold"
    fi
}

IMPROVED=(--activation relu --output softmax --cost xent --optimizer sgd --lr 0.1 --batch 32 --epochs 30)
expect_accuracy "improved 64,32,10 relu/softmax/xent" ge 0.97 --layers 64,32,10 "${IMPROVED[@]}"
expect_accuracy "improved 64,8,10 relu/softmax/xent" ge 0.95 --layers 64,8,10 "${IMPROVED[@]}"
expect_accuracy "simple 64,8,10 sigmoid/sigmoid/mse, 10 epochs" lt 0.60 \
    --layers 64,8,10 --activation sigmoid --output sigmoid --cost mse --optimizer sgd \
    --lr 0.1 --batch 32 --epochs 10

finish
