#!/usr/bin/env bash
# The --json and text output, parameter files round trips, --epochs 0,
# --test-fraction 0, --batch 0, determinism.
# usage: bash tests/cli/output.sh <path-to-nnmath> <source-dir>
# shellcheck source=tests/cli/common.bash
source "$(dirname "$0")/common.bash"

W="$TMP/work"
mkdir -p "$W"
EPOCHS=3
COMMON=(train --data "$DIGITS" --epochs "$EPOCHS")
# round(count × 0.2) rows of every digit go to the test set.
TEST_COUNT=$(awk -F, '{ n[$65]++ } END { for (k in n) t += int(n[k] * 0.2 + 0.5); print t }' "$DIGITS")
ALL_COUNT=$(grep -c '' "$DIGITS")

# ---- --json ----
run "${COMMON[@]}" --json
check "--json run exits 0" [ "$RC" -eq 0 ]
check "--json prints nothing on stderr" [ -z "$ERR" ]
cp "$TMP/stdout" "$W/default.jsonl"
check "--json lines parse and have the keys ($TEST_COUNT test rows)" \
    check_json_output "$W/default.jsonl" "$EPOCHS" "$TEST_COUNT"
check "costs are printed with 9 significant digits" \
    grep -qE '"train_cost":(0\.0*[1-9][0-9]{7,8}|[1-9]\.[0-9]{7,8})[,}]' "$W/default.jsonl"

run "${COMMON[@]}" --json
check "the same seed gives the same output (apart from timing)" \
    bash -c '[ -s "$1" ] && diff <(sed "s/,\"seconds\".*//" "$1") <(sed "s/,\"seconds\".*//" "$2")' _ \
    "$W/default.jsonl" "$TMP/stdout"

run "${COMMON[@]}" --json --seed 2
check "another seed gives other numbers" \
    bash -c '! diff -q <(head -1 "$1") <(head -1 "$2") >/dev/null' _ "$W/default.jsonl" "$TMP/stdout"

# ---- text output ----
run "${COMMON[@]}"
check "text run exits 0" [ "$RC" -eq 0 ]
check "text output has one line per epoch" \
    [ "$(grep -cE '^epoch +[0-9]+ +train cost [0-9.]+ +test cost [0-9.]+ +train acc +[0-9.]+% +test acc +[0-9.]+%$' "$TMP/stdout")" -eq "$EPOCHS" ]
check "text output has a confusion matrix" grep -q "confusion matrix" "$TMP/stdout"
check "the confusion matrix has 10 rows" \
    [ "$(grep -cE '^ +[0-9]( +[0-9]+){10}$' "$TMP/stdout")" -eq 10 ]
check "text output reports seconds and samples/second" grep -qE '[0-9.]+ s \([0-9]+ samples/s\)' "$TMP/stdout"

# ---- --epochs 0: evaluate only ----
run train --data "$DIGITS" --epochs 0 --json
check "--epochs 0 exits 0" [ "$RC" -eq 0 ]
cp "$TMP/stdout" "$W/epochs0.jsonl"
check "--epochs 0 prints only the final line" check_json_output "$W/epochs0.jsonl" 0 "$TEST_COUNT"

# ---- --test-fraction 0 ----
run "${COMMON[@]}" --json --test-fraction 0
check "--test-fraction 0 exits 0" [ "$RC" -eq 0 ]
cp "$TMP/stdout" "$W/all.jsonl"
check "--test-fraction 0: test values are null" check_json_output "$W/all.jsonl" "$EPOCHS" 0
check "--test-fraction 0: the confusion matrix counts all $ALL_COUNT rows" \
    [ "$(json_field <(tail -1 "$W/all.jsonl") confusion | tr -c '0-9\n' ' ' |
         awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }')" = "$ALL_COUNT" ]
run "${COMMON[@]}" --test-fraction 0
check "--test-fraction 0 text output shows '-' for the test set" \
    grep -qE '^epoch +1 .*test cost +- ' "$TMP/stdout"

# ---- --batch 0 (full batch) ----
run "${COMMON[@]}" --json --batch 0
check "--batch 0 exits 0" [ "$RC" -eq 0 ]
cp "$TMP/stdout" "$W/batch0.jsonl"
check "--batch 0 output is valid" check_json_output "$W/batch0.jsonl" "$EPOCHS" "$TEST_COUNT"
run "${COMMON[@]}" --json --batch 100000
check "--batch 0 is the same as a batch larger than the training set" \
    same_epoch_lines "$W/batch0.jsonl" "$TMP/stdout"
check "--batch 0 differs from --batch 32" \
    bash -c '! diff -q <(head -1 "$1") <(head -1 "$2") >/dev/null' _ "$W/batch0.jsonl" "$W/default.jsonl"

# ---- --no-shuffle ----
run "${COMMON[@]}" --json --no-shuffle
cp "$TMP/stdout" "$W/noshuffle.jsonl"
check "--no-shuffle exits 0" [ "$RC" -eq 0 ]
check "--no-shuffle changes the result" \
    bash -c '! diff -q <(head -2 "$1") <(head -2 "$2") >/dev/null' _ "$W/noshuffle.jsonl" "$W/default.jsonl"

# ---- --scale raw ----
run "${COMMON[@]}" --json --scale raw --lr 0.001
check "--scale raw exits 0" [ "$RC" -eq 0 ]
check "--scale raw changes the result" \
    bash -c '! diff -q <(head -1 "$1") <(head -1 "$2") >/dev/null' _ "$TMP/stdout" "$W/default.jsonl"

# ---- --dump-init, then --init of the same file: the same run ----
run "${COMMON[@]}" --json --dump-init "$W/init.json"
check "--dump-init run exits 0" [ "$RC" -eq 0 ]
check "--dump-init does not change the run" \
    same_epoch_lines "$W/default.jsonl" "$TMP/stdout"
check "--dump-init file is valid JSON with 2 layers of 8x64 and 10x8" node -e '
    const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const shape = l => [l.weight.length, l.weight.every(r => r.length === l.weight[0].length) ?
                        l.weight[0].length : -1, l.bias.length].join("x");
    const got = p.layers.map(shape).join(" ");
    if (got !== "8x64x8 10x8x10") { console.log("    shapes " + got); process.exit(1); }
    const flat = p.layers.flatMap(l => [...l.weight.flat(), ...l.bias]);
    if (!flat.every(Number.isFinite)) process.exit(1);
    // Xavier for sigmoid: |w| <= sqrt(6/(in+out)); biases start at 0.
    if (!p.layers.every(l => l.bias.every(b => b === 0))) { console.log("    bias != 0"); process.exit(1); }
    if (Math.max(...p.layers[0].weight.flat().map(Math.abs)) > Math.sqrt(6 / 72)) process.exit(1);
' "$W/init.json"
run "${COMMON[@]}" --json --init "$W/init.json"
check "--init of the dumped file exits 0" [ "$RC" -eq 0 ]
check "--init of the dumped file gives identical epoch lines" \
    same_epoch_lines "$W/default.jsonl" "$TMP/stdout"
run "${COMMON[@]}" --json --dump-init "$W/init-same.json" --init "$W/init-same.json"
check "--dump-init and --init of the same file in one run" \
    same_epoch_lines "$W/default.jsonl" "$TMP/stdout"
run train --data "$DIGITS" --epochs 0 --json --seed 1 --dump-init "$W/init-again.json"
check "--dump-init is deterministic (same seed, same file)" cmp -s "$W/init.json" "$W/init-again.json"
run train --data "$DIGITS" --epochs 0 --json --seed 7 --dump-init "$W/init-seed7.json"
check "--dump-init with another seed differs" bash -c '[ -s "$1" ] && [ -s "$2" ] && ! cmp -s "$1" "$2"' _ "$W/init.json" "$W/init-seed7.json"

# ---- --save, then --init --epochs 0: the saved model's accuracy ----
run "${COMMON[@]}" --json --save "$W/trained.json"
check "--save run exits 0" [ "$RC" -eq 0 ]
tail -1 "$TMP/stdout" >"$W/trained-done.json"
check "--save writes the file" [ -s "$W/trained.json" ]
run train --data "$DIGITS" --epochs 0 --json --init "$W/trained.json" --save "$W/resaved.json"
check "--init of the saved file with --epochs 0 exits 0" [ "$RC" -eq 0 ]
tail -1 "$TMP/stdout" >"$W/reloaded-done.json"
check "the reloaded model has the saved model's accuracy and costs" node -e '
    const fs = require("fs");
    const [a, b] = process.argv.slice(1).map(f => JSON.parse(fs.readFileSync(f, "utf8")));
    let ok = true;
    for (const k of ["train_acc", "test_acc"]) if (a[k] !== b[k]) { ok = false; console.log(`    ${k} ${a[k]} != ${b[k]}`); }
    for (const k of ["train_cost", "test_cost"])
        if (Math.abs(a[k] - b[k]) > 1e-5) { ok = false; console.log(`    ${k} ${a[k]} != ${b[k]}`); }
    if (JSON.stringify(a.confusion) !== JSON.stringify(b.confusion)) { ok = false; console.log("    confusion differs"); }
    process.exit(ok ? 0 : 1);
' "$W/trained-done.json" "$W/reloaded-done.json"
check "saving a loaded model reproduces the file byte for byte (floats round-trip)" \
    cmp -s "$W/trained.json" "$W/resaved.json"
check "the saved model differs from the initial one" bash -c '[ -s "$1" ] && [ -s "$2" ] && ! cmp -s "$1" "$2"' _ "$W/init.json" "$W/trained.json"

run "${COMMON[@]}" --save "$W/trained-text.json"
check "text mode says where the parameters were saved" grep -qF "saved the parameters to $W/trained-text.json" "$TMP/stdout"
check "text and --json runs save the same model" cmp -s "$W/trained.json" "$W/trained-text.json"

# --save replaces an existing file (through a temporary file + rename).
echo "old content" >"$W/replace.json"
run train --data "$DIGITS" --epochs 0 --json --save "$W/replace.json"
check "--save replaces an existing file" cmp -s "$W/init.json" "$W/replace.json"
check "no temporary files are left behind" bash -c '! ls -a "$1" | grep -q "\.tmp"' _ "$W"

# A symbolic link: its target is replaced (keeping its permissions), the link stays.
echo "{}" >"$W/real.json"
chmod 600 "$W/real.json"
ln -s real.json "$W/link.json"
run train --data "$DIGITS" --epochs 0 --json --save "$W/link.json"
check "--save through a symbolic link exits 0" [ "$RC" -eq 0 ]
check "--save through a symbolic link keeps the link" [ -L "$W/link.json" ]
check "--save through a symbolic link writes its target" cmp -s "$W/init.json" "$W/real.json"
check "--save keeps the permissions of the file it replaces" \
    [ "$(stat -c %a "$W/real.json")" = 600 ]

# Not a regular file (a FIFO here; /dev/null, /dev/stdout alike): written in
# place, never replaced by a rename.
mkfifo "$W/fifo"
timeout 30 cat "$W/fifo" >"$W/from-fifo.json" &
run train --data "$DIGITS" --epochs 0 --json --save "$W/fifo"
wait
check "--save into a FIFO exits 0" [ "$RC" -eq 0 ]
check "--save into a FIFO leaves the FIFO in place" [ -p "$W/fifo" ]
check "--save into a FIFO writes the parameters through it" cmp -s "$W/init.json" "$W/from-fifo.json"
run train --data "$DIGITS" --epochs 0 --save /dev/stdout
check "--save /dev/stdout prints the parameters" grep -q '^{"layers":\[' "$TMP/stdout"

# Other architectures and options round-trip too.
run train --data "$DIGITS" --epochs 1 --json --layers 64,16,12,10 --activation tanh --cost xent \
    --optimizer adam --lr 0.01 --weight-decay 0.001 --save "$W/deep.json"
check "a 3-layer adam run exits 0" [ "$RC" -eq 0 ]
tail -1 "$TMP/stdout" >"$W/deep-done.json"
run train --data "$DIGITS" --epochs 0 --json --layers 64,16,12,10 --activation tanh --cost xent \
    --init "$W/deep.json"
tail -1 "$TMP/stdout" >"$W/deep-reloaded.json"
DEEP_ACC=$(json_field "$W/deep-done.json" test_acc)
check "a 3-layer model reloads with the same accuracy ($DEEP_ACC)" \
    bash -c '[ -n "$1" ] && [ "$1" = "$2" ]' _ "$DEEP_ACC" "$(json_field "$W/deep-reloaded.json" test_acc)"

finish
