#!/usr/bin/env bash
# Bad parameter files for --init (exit 3), and output files that cannot be written.
# usage: bash tests/cli/init_errors.sh <path-to-nnmath> <source-dir>
# shellcheck source=tests/cli/common.bash
source "$(dirname "$0")/common.bash"

P="$TMP/params"
mkdir -p "$P"
BASE=(train --data "$DIGITS" --epochs 0 --json)

"$NNMATH" "${BASE[@]}" --dump-init "$P/init.json" >/dev/null 2>&1
check "--dump-init writes a file to start from" [ -s "$P/init.json" ]

run "${BASE[@]}" --init "$P/init.json"
check "the dumped file loads (exit 0)" [ "$RC" -eq 0 ]

# init_error NAME PHRASE CONTENT : --init of a file holding CONTENT fails with exit 3.
init_error() {
    local name=$1 phrase=$2 file="$P/case.json"
    printf '%s' "$3" >"$file"
    expect_error "$name" 3 "$phrase" "${BASE[@]}" --init "$file"
}

# edit_json FILE JS : prints FILE's JSON after running JS on it (as `obj`).
edit_json() {
    node -e '
        const obj = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        eval(process.argv[2]);
        process.stdout.write(JSON.stringify(obj));
    ' "$1" "$2"
}

# The weight of layer 1, first row, first number, is on line 3, column 2.
init_error "empty file" "empty" ""
init_error "only whitespace" "empty" $'  \n\t\n'
init_error "malformed JSON (unclosed object)" "line 1, column 2" '{'
init_error "malformed JSON (missing comma)" "line 1, column 13: expected ',' or '}'" '{"layers":[]"x":1}'
init_error "syntax errors come before shape errors" "line 2, column 1: expected" '{"layers":[]
'
init_error "malformed JSON (trailing comma)" "expected a number" '{"layers":[{"bias":[1,]}]}'
init_error "not an object" "expected '{'" '[1,2,3]'
init_error "layers is not a list" "expected '['" '{"layers":1}'
init_error "no layers" "no \"layers\"" '{"weights":[]}'
init_error "empty list of layers" "the file has 0 layers, the network (64,8,10) has 2" '{"layers":[]}'
init_error "single quotes are not JSON" "member name in double quotes" "{'layers':[]}"
init_error "leading zero" "cannot start with 0" '{"layers":[{"bias":[01]}]}'
init_error "unclosed string" "not closed" '{"layers'
init_error "bad escape" "unknown escape" '{"la\yers":[]}'
init_error "deep nesting is bounded" "nested more than" \
    "{\"x\":$(printf '[%.0s' $(seq 1 200))$(printf ']%.0s' $(seq 1 200))}"
init_error "NaN literal" "NaN and Infinity are not allowed" \
    "$(sed '3s/^\[[^,]*,/[NaN,/' "$P/init.json")"
init_error "Infinity literal" "NaN and Infinity are not allowed" \
    "$(sed '3s/^\[[^,]*,/[-Infinity,/' "$P/init.json")"
init_error "non-finite value (1e999)" "layer 1 has a non-finite value" \
    "$(sed '3s/^\[[^,]*,/[1e999,/' "$P/init.json")"
init_error "value too large for a float (1e39)" "non-finite" \
    "$(sed '3s/^\[[^,]*,/[1e39,/' "$P/init.json")"
init_error "text instead of a number names line and column" "line 3, column 2: expected a number" \
    "$(sed '3s/^\[[^,]*,/[abc,/' "$P/init.json")"
init_error "trailing garbage" "nothing after the end" "$(cat "$P/init.json") x"
init_error "two objects" "nothing after the end" "$(cat "$P/init.json")$(cat "$P/init.json")"
init_error "wrong shape: a missing weight row" \
    "layer 1 weight should be 8 rows of 64 numbers, found 7 rows" "$(sed 3d "$P/init.json")"
init_error "wrong shape: a short weight row" \
    "layer 1 weight should be 8 rows of 64 numbers, but row 1 has 63" \
    "$(sed '3s/^\[[^,]*,/[/' "$P/init.json")"
init_error "wrong shape: a short bias" "layer 2 bias should be 10 numbers, found 9" \
    "$(edit_json "$P/init.json" 'obj.layers[1].bias.pop()')"
init_error "wrong shape: an extra layer" "the file has 3 layers, the network (64,8,10) has 2" \
    "$(edit_json "$P/init.json" 'obj.layers.push(obj.layers[1])')"
init_error "wrong shape: transposed weight" "layer 1 weight should be 8 rows of 64 numbers, but row 1 has 8" \
    "$(edit_json "$P/init.json" 'obj.layers[0].weight = obj.layers[0].weight[0].map((_, i) => obj.layers[0].weight.map(r => r[i]))')"
init_error "non-finite value in layer 2" "layer 2 has a non-finite value" \
    "$(edit_json "$P/init.json" 'obj.layers[1].bias[3] = 12345' | sed s/12345/-1e400/)"
init_error "missing bias" "layer 1 has no \"bias\"" \
    "$(edit_json "$P/init.json" 'delete obj.layers[0].bias')"
init_error "duplicate member" "layer 1 has \"bias\" twice" \
    "$(sed '0,/^"bias":/s//"bias":[0,0,0,0,0,0,0,0],"bias":/' "$P/init.json")"

# The wrong architecture: a 64,8,10 file into 64,16,10 and 64,32,16,10 nets.
expect_error "wrong architecture (64,16,10)" 3 "layer 1 weight should be 16 rows of 64 numbers" \
    "${BASE[@]}" --layers 64,16,10 --init "$P/init.json"
expect_error "wrong architecture (64,10)" 3 "layer 1 weight should be 10 rows of 64 numbers, found 8" \
    "${BASE[@]}" --layers 64,10 --init "$P/init.json"

expect_error "missing file" 3 "cannot read parameter file" "${BASE[@]}" --init "$P/nope.json"
check "missing file message names the file and reason" \
    grep -qF "nope.json\": No such file or directory" "$TMP/stderr"

# Messages start with the file's path.
printf '{' >"$P/named.json"
expect_error "messages name the file" 3 "$P/named.json: line 1" "${BASE[@]}" --init "$P/named.json"

# Accepted variations: whitespace, key order, unknown members, exponents.
node -e '
    const fs = require("fs");
    const obj = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const layers = obj.layers.map(l => ({bias: l.bias.map(v => v.toExponential()),
                                        note: {any: [1, "x", null, true]}, weight: l.weight}));
    let text = JSON.stringify({version: 1, layers}, null, 3).replace(/"(-?[0-9.]+e[-+][0-9]+)"/g, "$1");
    fs.writeFileSync(process.argv[2], "\ufeff" + text.replace(/\n/g, "\r\n") + "\n\n");
' "$P/init.json" "$P/variant.json"
run "${BASE[@]}" --init "$P/init.json"
WANT=$OUT
run "${BASE[@]}" --init "$P/variant.json"
check "whitespace, CRLF, BOM, key order, unknown members and exponents are accepted" [ "$RC" -eq 0 ]
check "the reformatted file gives the same model" [ "$OUT" = "$WANT" ]

# ---- output files that cannot be written: exit 3, nothing half-written ----
expect_error "--save into a missing directory" 3 "cannot write" \
    "${BASE[@]}" --save "$P/no/such/dir/out.json"
expect_error "--dump-init into a missing directory" 3 "cannot write" \
    "${BASE[@]}" --dump-init "$P/no/such/dir/out.json"
mkdir -p "$P/adir"
expect_error "--save onto a directory" 3 "cannot write" "${BASE[@]}" --save "$P/adir"
if [ -w /dev/full ]; then
    "$NNMATH" "${BASE[@]}" --init "$P/init.json" >/dev/full 2>"$TMP/stderr"
    RC=$?
    # shellcheck disable=SC2034 # ERR is read by one_line_error_with
    ERR=$(cat "$TMP/stderr")
    check "--json to a full disk fails (exit 1)" [ "$RC" -eq 1 ]
    check "a full disk is reported in one line" one_line_error_with "standard output"
fi
check "no temporary files are left behind" \
    bash -c '! ls -a "$1" | grep -q "\.tmp"' _ "$P"

# A failed --init does not leave the run half done: nothing on stdout.
printf '{"layers":[]}' >"$P/bad.json"
run "${BASE[@]}" --init "$P/bad.json" --save "$P/should-not-exist.json"
check "a bad --init prints nothing on stdout" [ -z "$OUT" ]
check "a bad --init writes no --save file" [ ! -e "$P/should-not-exist.json" ]

finish
