#!/usr/bin/env bash
# Command-line usage: help, version, and every kind of bad usage (exit 2).
# usage: bash tests/cli/usage.sh <path-to-nnmath> <source-dir>
# shellcheck source=tests/cli/common.bash
source "$(dirname "$0")/common.bash"

# ---- help and version ----
run --help
check "--help exits 0" [ "$RC" -eq 0 ]
check "--help prints the usage on stdout" grep -q "usage: nnmath train" "$TMP/stdout"
check "--help lists every option" bash -c '
    for opt in --data --layers --activation --output --cost --optimizer --lr --momentum \
               --weight-decay --batch --epochs --seed --test-fraction --scale --no-shuffle \
               --dump-init --init --save --json; do
        grep -q -- "$opt" "$1" || { echo "missing $opt"; exit 1; }
    done' _ "$TMP/stdout"
check "--help prints nothing on stderr" [ -z "$ERR" ]

run train -h
check "train -h exits 0 with the usage" [ "$RC" -eq 0 ]
check "train -h prints the usage" grep -q "usage: nnmath train" "$TMP/stdout"

run train --lr 0.5 --help
check "train --lr 0.5 --help exits 0" [ "$RC" -eq 0 ]

run --version
check "--version exits 0" [ "$RC" -eq 0 ]
check "--version prints 'nnmath <version>'" bash -c '[[ "$1" =~ ^nnmath\ [0-9]+\.[0-9]+\.[0-9]+ ]]' _ "$OUT"

# ---- commands ----
expect_error "no command" 2 "missing command"
expect_error "unknown command" 2 "unknown command \"fly\"" fly

# ---- options ----
expect_error "unknown option" 2 "unknown option \"--frobnicate\"" train --frobnicate
expect_error "unexpected argument" 2 "unexpected argument \"extra\"" train extra
expect_error "missing value at the end" 2 "--lr needs a value" train --lr
expect_error "missing value (--data)" 2 "--data needs a value" train --epochs 1 --data
expect_error "flag given a value" 2 "--json does not take a value" train --json=yes
expect_error "--lr abc" 2 "--lr needs a number, got \"abc\"" train --lr abc
expect_error "--lr empty" 2 "--lr needs a number" train --lr ""
expect_error "--lr 0.1x" 2 "--lr needs a number, got \"0.1x\"" train --lr 0.1x
expect_error "--lr nan" 2 "--lr needs a number" train --lr nan
expect_error "--lr inf" 2 "--lr needs a number" train --lr inf
expect_error "--lr -1" 2 "learning rate" train --lr -1
expect_error "--lr 0" 2 "learning rate" train --lr 0
expect_error "--lr 1000" 2 "learning rate" train --lr 1000
expect_error "--momentum 1" 2 "momentum" train --momentum 1
expect_error "--momentum x" 2 "--momentum needs a number" train --momentum x
expect_error "--momentum 0.99999999 (1 as a float)" 2 "--momentum 0.99999999 must be below 1, but the network keeps it as a 32-bit float" train --momentum 0.99999999
expect_error "--lr 1e-46 (0 as a float)" 2 "--lr 1e-46 is too small: the network keeps it as a 32-bit float, and that is 0" train --lr 1e-46
run train --data "$DIGITS" --epochs 0 --lr 0.99999999 --momentum 0.99999994 --weight-decay 1e-300
check "--lr 0.99999999, --momentum 0.99999994 and --weight-decay 1e-300 are fine (1, below 1, 0)" [ "$RC" -eq 0 ]
expect_error "--weight-decay -1" 2 "weight decay" train --weight-decay -1
expect_error "--batch 2.5" 2 "--batch needs a whole number" train --batch 2.5
expect_error "--batch -1" 2 "batch" train --batch -1
expect_error "--epochs -1" 2 "--epochs needs a whole number" train --epochs -1
expect_error "--epochs x" 2 "--epochs needs a whole number" train --epochs x
expect_error "--seed -1" 2 "--seed needs a whole number" train --seed -1
expect_error "--seed too big" 2 "--seed needs a whole number" train --seed 4294967296
expect_error "--test-fraction 0.95" 2 "--test-fraction must be from 0 to 0.9" train --test-fraction 0.95
expect_error "--test-fraction -0.1" 2 "--test-fraction must be from 0 to 0.9" train --test-fraction -0.1
expect_error "--test-fraction x" 2 "--test-fraction needs a number" train --test-fraction x
expect_error "--layers 64,0,10" 2 "between 1 and 512" train --layers 64,0,10
expect_error "--layers 64,513,10" 2 "between 1 and 512" train --layers 64,513,10
expect_error "--layers 63,8,10" 2 "64" train --layers 63,8,10
expect_error "--layers 64,8,9" 2 "10" train --layers 64,8,9
expect_error "--layers 64" 2 "--layers takes 2 to 6 sizes" train --layers 64
expect_error "--layers with 7 sizes" 2 "--layers takes 2 to 6 sizes" train --layers 64,8,8,8,8,8,10
expect_error "--layers 64,,10" 2 "--layers needs" train --layers 64,,10
expect_error "--layers 64,x,10" 2 "--layers needs" train --layers 64,x,10
expect_error "--activation foo" 2 "--activation must be sigmoid, tanh or relu, got \"foo\"" \
    train --activation foo
expect_error "--output foo" 2 "--output must be softmax, sigmoid or identity" train --output foo
expect_error "--cost foo" 2 "--cost must be mse or xent" train --cost foo
expect_error "--optimizer foo" 2 "--optimizer must be sgd, momentum or adam" train --optimizer foo
expect_error "--scale foo" 2 "--scale must be unit or raw" train --scale foo
expect_error "--cost xent --output sigmoid" 2 "softmax" train --cost xent --output sigmoid
expect_error "--cost xent --output identity" 2 "softmax" train --cost xent --output identity
expect_error "empty --save" 2 "--save needs a file name" train --save ""

# A usage error is found before the data is read and before anything is written.
expect_error "usage error before reading data" 2 "--lr needs a number" \
    train --data "$TMP/does-not-exist.csv" --lr abc
run train --lr abc --save "$TMP/never.json" --dump-init "$TMP/never-init.json"
check "usage error writes no files" bash -c '[ ! -e "$1" ] && [ ! -e "$2" ]' _ "$TMP/never.json" "$TMP/never-init.json"
check "usage error prints nothing on stdout" [ -z "$OUT" ]

# ---- accepted forms ----
run train --data "$DIGITS" --epochs=0 --json --lr=0.5
check "--opt=value form accepted" [ "$RC" -eq 0 ]
run train --data "$DIGITS" --epochs 0 --json --cost xent
check "--cost xent defaults to the softmax output (accepted)" [ "$RC" -eq 0 ]
run train --data "$DIGITS" --epochs 0 --json --seed 4294967295 --lr 1e-3 --momentum 0 --weight-decay 0.001 --batch 0
check "boundary values accepted" [ "$RC" -eq 0 ]

finish
